"""Outreach tables: every follow-up message, its status history, and opt-outs as they happened.

A message row is written in the same transaction as the disposition (or payment) that caused it;
its `key` is unique per (account, trigger, occurrence, channel), so a saved-twice disposition or
a duplicated job can never make a second message.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field

from core.models.base import Audited, json_column, utcnow


class MessageStatus(StrEnum):
    """Where a message is in its life; `sending` is a claim held until `lease_until`."""

    SCHEDULED = "scheduled"
    DEFERRED = "deferred"
    SENDING = "sending"
    ERROR = "error"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    DROPPED = "dropped"


#: Statuses a worker may claim from (plus `sending` whose lease ran out).
CLAIMABLE = (MessageStatus.SCHEDULED, MessageStatus.DEFERRED, MessageStatus.ERROR)
#: Statuses after which nothing is ever sent again for this key.
FINAL = (
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.UNDELIVERED,
    MessageStatus.DROPPED,
)


#: The notes of the contact attempt a sent message leaves, followed by the message's key: the
#: agent's screen finds the message by it.
SENT_NOTE = "outreach "


class Trigger(StrEnum):
    """Why a follow-up is sent; portfolios switch each on or off per channel."""

    PROMISE_CONFIRMATION = "promise_confirmation"
    PLAN_SCHEDULE = "plan_schedule"
    NO_CONTACT = "no_contact"
    PROMISE_REMINDER = "promise_reminder"
    INSTALLMENT_REMINDER = "installment_reminder"
    BROKEN_PROMISE = "broken_promise"
    PAYMENT_RECEIPT = "payment_receipt"


class OutreachMessage(Audited, table=True):
    """One SMS or email to one debtor about one account, from plan to delivery."""

    __tablename__ = "outreach_message"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160, unique=True, index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    trigger: str = Field(max_length=32)
    occurrence: str = Field(max_length=40)
    channel: str = Field(max_length=8)
    to_address: str = Field(max_length=254)
    language: str = Field(default="en", max_length=8)
    template: str = Field(default="", max_length=160)
    template_version: str = Field(default="", max_length=40)
    subject: str = Field(default="", max_length=255)
    body_text: str = ""
    body_html: str = ""
    status: str = Field(default=MessageStatus.SCHEDULED.value, max_length=12, index=True)
    due_at: datetime = Field(index=True)
    lease_until: datetime | None = None
    attempts: int = 0
    deferrals: int = 0
    reasons: list[str] = json_column(list)
    provider_message_id: str = Field(default="", max_length=120, index=True)
    sent_at: datetime | None = None
    last_error: str = ""
    # What the trigger is about: promise_id, installment_id, payment_id, attempt_id.
    context: dict[str, Any] = json_column(dict)


class MessageEvent(Audited, table=True):
    """One step of a message's status history, never updated or deleted."""

    __tablename__ = "outreach_message_event"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outreach_message.id", index=True)
    status: str = Field(max_length=12)
    at: datetime = Field(default_factory=utcnow)
    detail: str = ""


class OptOut(Audited, table=True):
    """An opt-out as it was received (STOP text, unsubscribe click), kept as evidence."""

    __tablename__ = "outreach_opt_out"

    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    channel: str = Field(max_length=8)
    address: str = Field(default="", max_length=254)
    source: str = Field(max_length=20, description="sms_stop, unsubscribe_link, one_click")
    at: datetime = Field(default_factory=utcnow)
    detail: str = ""


class InboundText(Audited, table=True):
    """A text someone sent to our number, or an email replying to ours, kept as it came: a reply
    is part of the contact history, and a dispute or a lawyer's name in it is the debtor's
    writing (Reg F 1006.34 and 1006.6 count electronic messages), which a person must read and
    act on."""

    __tablename__ = "outreach_inbound_text"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(default="sms", max_length=8)  # sms, or email
    # The sender's number (E.164), or their email address (lowercase) for an email.
    sender: str = Field(max_length=254, index=True)
    to_address: str = Field(default="", max_length=254)
    body: str = ""
    received_at: datetime = Field(index=True)
    # What a person must act on ("dispute", "attorney", "bankruptcy", "cease"), "stop" when
    # the text opted out (done at once), "" for anything else.
    concern: str = Field(default="", max_length=12, index=True)
    handled_by: str = Field(default="", max_length=120)
    handled_at: datetime | None = None
    # The accounts a lead said the text is about (ticked on the lead page): a text from a number
    # two clients' debtors share shows only on these.
    account_ids: list[int] = json_column(list)
