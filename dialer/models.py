"""The dialer's own tables: what each campaign's pacing policy has learned, kept across restarts.

Attempts, campaigns and the abandon ledger live in core's tables; this row only holds the
policy's memory, so a restarted dialer paces a campaign as it did before the restart instead of
dialing progressively through a relearning period.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field

from core.models.base import Audited, json_column


class PacingMemory(Audited, table=True):
    """One campaign's `PredictivePolicy.memory()`, replaced at every save."""

    __tablename__ = "dialer_pacing_memory"

    campaign_id: int = Field(foreign_key="campaign.id", primary_key=True)
    saved_at: datetime
    memory: dict[str, Any] = json_column(dict)


class UnmatchedCall(Audited, table=True):
    """A call in whose caller was never matched to an account: a number on file for nobody, or
    withheld, that hung up holding, was closed by an agent as no debtor of ours, or ended before
    the agent found the account. Attempts need an account; these are kept here, so the lead can
    return the missed ones and a complaint can be checked against the recording (Reg F 1006.100
    keeps records of every communication)."""

    __tablename__ = "dialer_unmatched_call"

    id: int | None = Field(default=None, primary_key=True)
    call_id: str = Field(max_length=64, unique=True)
    number: str = Field(default="", max_length=20, description="E.164; empty when withheld")
    started_at: datetime = Field(index=True)
    ended_at: datetime | None = None
    # abandoned: no agent took it; conversation: an agent took it and found no account
    outcome: str = Field(default="", max_length=20)
    agent_id: int | None = Field(default=None, foreign_key="user.id")
    recording_ref: str = Field(default="", max_length=255)
    message_ref: str = Field(default="", max_length=255)  # a message left after the tone
