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
