"""Contacts: every attempt on any channel, the client's disposition codes, campaigns, callbacks."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, text
from sqlmodel import Field, UniqueConstraint

from core.models.base import Audited, json_column


class DispositionCategory(StrEnum):
    """What kind of outcome a disposition code reports, for rates and follow-ups."""

    RIGHT_PARTY = "right_party"
    PROMISE = "promise"
    PLAN = "plan"
    REFUSED = "refused"
    WRONG_NUMBER = "wrong_number"
    THIRD_PARTY = "third_party"
    NO_CONTACT = "no_contact"
    CALLBACK = "callback"
    DISPUTE = "dispute"
    CEASE = "cease"
    DECEASED = "deceased"
    BANKRUPTCY = "bankruptcy"
    ATTORNEY = "attorney"


class DispositionCode(Audited, table=True):
    """A client's own code for an outcome, and the fields an agent must fill for it."""

    __table_args__ = (UniqueConstraint("client_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    code: str = Field(max_length=20)
    label: str = Field(max_length=120)
    category: str = Field(max_length=20)
    # Fields the outcome panel requires, e.g. ["promise"], ["plan"], ["callback"], ["notes"].
    requires: list[str] = json_column(list)
    active: bool = True


class Campaign(Audited, table=True):
    """Portfolios + filter + dial mode + schedule + caller ID + script + abandon target."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    name: str = Field(max_length=120)
    portfolio_ids: list[int] = json_column(list)
    filter: dict[str, Any] = json_column(dict)
    dial_mode: str = Field(default="preview", max_length=12)
    schedule: dict[str, Any] = json_column(dict)
    caller_id: str = Field(default="", max_length=20)
    script_name: str = Field(default="", max_length=80)
    # A challenger script read to `challenger_share` percent of the accounts, split by account
    # (scripts_library.challenger): the figures say which collects better.
    challenger_script: str = Field(default="", max_length=80)
    challenger_share: int = 0
    abandon_target: float = 0.03
    wrapup_seconds: int = 30
    active: bool = True


class CampaignAgent(Audited, table=True):
    """Which agents work which campaign; an agent sees only these campaigns' accounts."""

    __table_args__ = (UniqueConstraint("campaign_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)


class Channel(StrEnum):
    CALL = "call"
    SMS = "sms"
    EMAIL = "email"


class ContactAttempt(Audited, table=True):
    """One attempt to reach a debtor on one channel, with the decision that allowed it."""

    # A call is recorded once, whatever reconnects and restarts replay (empty for SMS/email).
    # A campaign's abandon ledger reads its answered calls of 30 days from the second index
    # alone (covering): the lead page asks every few seconds.
    __table_args__ = (
        Index(
            "uq_contactattempt_call_id",
            "call_id",
            unique=True,
            sqlite_where=text("call_id <> ''"),
            postgresql_where=text("call_id <> ''"),
        ),
        Index(
            "ix_contactattempt_campaign_ledger",
            "campaign_id",
            "started_at",
            "outcome",
            "disposition_code_id",
        ),
        # The lead's missed calls in of 7 days, read every minute: calls in are a few percent
        # of the log, which by started_at alone is a scan of a week's calls (2 s at 1M).
        Index("ix_contactattempt_direction_outcome", "direction", "outcome", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    channel: str = Field(max_length=8)
    direction: str = Field(default="outbound", max_length=8)
    to_address: str = Field(default="", max_length=254)
    started_at: datetime = Field(index=True)
    ended_at: datetime | None = None
    # no_answer, busy, voicemail, abandoned, conversation, not_connected (compliance outcomes)
    outcome: str = Field(default="", max_length=20)
    disposition_code_id: int | None = Field(default=None, foreign_key="dispositioncode.id")
    agent_id: int | None = Field(default=None, foreign_key="user.id")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id")
    call_id: str = Field(default="", max_length=64, description="AMI ChannelId")
    recording_ref: str = Field(default="", max_length=255)
    # A message the debtor left after calling in and finding no agent free (a separate file).
    message_ref: str = Field(default="", max_length=255)
    script_name: str = Field(default="", max_length=80)
    script_version: str = Field(default="", max_length=20)
    # name + version are unique only within one variant (client, language, jurisdiction, segment)
    script_variant: str = Field(default="", max_length=120)
    script_path: list[str] = json_column(list)
    compliance: dict[str, Any] = json_column(dict)
    notes: str = ""


class Callback(Audited, table=True):
    """A callback an agent scheduled; the hopper returns it at its time, to the same agent."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    agent_id: int | None = Field(default=None, foreign_key="user.id")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id")
    phone: str = Field(default="", max_length=20)
    due_at: datetime = Field(index=True)
    status: str = Field(default="pending", max_length=12)
    # The debtor asked to be called then (Reg F 1006.14(b)(3)(i): consent given directly to us
    # within the past 7 days takes the call out of the 7-in-7 count and the post-conversation
    # rest); when False the callback is only the agent's plan and every rule applies.
    consent: bool = False
