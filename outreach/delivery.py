"""Sending one message, exactly once in effect, after asking the compliance engine.

The steps, each its own short transaction so no lock is held across the network:
1. claim: compare-and-set the row to `sending` with a lease (losers return at once);
2. check: still wanted? compliance says yes now? (no -> defer to next_allowed_at, or drop);
   render once and store the body, so any resend is byte-identical;
3. send through the gateway with the message key as idempotency key;
4. record the provider id and `sent`.

The crash window is between 3 and 4. A worker killed there leaves the row `sending`; once the
lease runs out the sweep (or RQ's abandoned-job retry) claims it again and resends:
- SMS: the provider sees the same Idempotency-Key and returns the first message: no duplicate.
- Email: SMTP has no idempotency, so we chose at-least-once over at-most-once: a lost promise
  confirmation costs a debtor their written record, while a rare duplicate carries the same
  Message-ID, which mail stores collapse. The window is one local commit wide (milliseconds).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.db import session_scope
from core.models import Client, ContactAttempt
from outreach import gate, messages
from outreach.config import OutreachSettings
from outreach.content import Content, still_wanted
from outreach.mail import Email
from outreach.models import FINAL, SENT_NOTE, MessageStatus, OutreachMessage
from outreach.render import Renderer
from outreach.sms import ProviderRejectedError

log = logging.getLogger(__name__)
#: RQ's scheduler may fire a moment before the instant; that is not early.
EARLY_SLACK = timedelta(seconds=5)


class SmsSender(Protocol):
    def send(self, to: str, body: str, idempotency_key: str, status_callback: str) -> str: ...


class MailSender(Protocol):
    def send(self, mail: Email) -> str: ...


#: Puts the send job back for a later time: (message key, due at, deferral number).
Reschedule = Callable[[str, datetime, int], None]


@dataclass
class Outbound:
    """The gateways and settings a delivery needs, built once per worker process."""

    engine: Engine
    sms: SmsSender
    mail: MailSender
    renderer: Renderer
    content: Content
    config: OutreachSettings
    status_callback_url: str
    reschedule: Reschedule


@dataclass(frozen=True)
class _Ready:
    channel: str
    to: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str
    sender_name: str  # the collector the debtor knows, on the email's From line


def deliver(out: Outbound, key: str, now: datetime) -> str:
    """Send message `key` if it may go now. Returns what happened: sent, deferred, dropped,
    early (not due yet), busy (another worker holds it), final (already done) or missing."""
    with session_scope(out.engine) as session:
        early = messages.by_key(session, key)
        if early is not None and early.status not in FINAL and early.due_at > now + EARLY_SLACK:
            # A duplicate or recovery job ahead of time; the job scheduled for due_at sends it.
            return "early"
        if not messages.claim(session, key, now, out.config.lease_seconds):
            found = messages.by_key(session, key)
            if found is None:
                return "missing"
            return "final" if found.status in FINAL else "busy"
    deferred_to: tuple[datetime, int] | None = None
    with session_scope(out.engine) as session:
        message = messages.by_key(session, key)
        assert message is not None
        outcome = _check(out, session, message, now)
        if outcome == "deferred":
            deferred_to = (message.due_at, message.deferrals)
        elif outcome == "go":
            ready = _prepare(out, session, message)
    if deferred_to is not None:
        out.reschedule(key, *deferred_to)
    if outcome != "go":
        return outcome
    try:
        provider_id = _send(out, key, ready)
    except ProviderRejectedError as exc:
        _send_failed(out, key, MessageStatus.DROPPED, str(exc), reasons=["provider_rejected"])
        return "dropped"
    except Exception as exc:
        _send_failed(out, key, MessageStatus.ERROR, repr(exc))
        raise
    with session_scope(out.engine) as session:
        _record_sent(session, _reload(session, key), provider_id, now)
    return "sent"


def _check(out: Outbound, session: Session, message: OutreachMessage, now: datetime) -> str:
    reason = still_wanted(session, message, now)
    if reason is not None:
        messages.set_status(
            session, message, MessageStatus.DROPPED, reason, reasons=[reason], lease_until=None
        )
        return "dropped"
    try:
        decision, record = gate.ask(
            session, message.account_id, message.channel, message.to_address, now
        )
    except gate.ContactDataError as exc:
        messages.set_status(
            session,
            message,
            MessageStatus.DROPPED,
            str(exc),
            reasons=["contact_data"],
            last_error=str(exc),
            lease_until=None,
        )
        return "dropped"
    message.context = {**message.context, "compliance": record}  # evidence for the ledger
    if decision.allowed:
        return "go"
    reasons = [r.value for r in decision.reasons]
    if decision.next_allowed_at is None:
        messages.set_status(
            session,
            message,
            MessageStatus.DROPPED,
            ", ".join(reasons),
            reasons=reasons,
            lease_until=None,
        )
        return "dropped"
    messages.set_status(
        session,
        message,
        MessageStatus.DEFERRED,
        f"{', '.join(reasons)}; next allowed {decision.next_allowed_at.isoformat()}",
        reasons=reasons,
        due_at=decision.next_allowed_at,
        deferrals=message.deferrals + 1,
        lease_until=None,
    )
    return "deferred"


def _prepare(out: Outbound, session: Session, message: OutreachMessage) -> _Ready:
    """Render on the first claim only; a reclaimed message resends what was stored."""
    unsubscribe_url = out.content.unsubscribe_url(message)
    if not message.body_text:
        context = out.content.context(session, message)
        portfolio_set = message.context.get("template_set", "default")
        render = out.renderer.sms if message.channel == "sms" else out.renderer.email
        rendered = render(portfolio_set, message.language, message.trigger, context)
        message.template = rendered.template
        message.template_version = rendered.version
        message.subject = rendered.subject
        message.body_text = rendered.text
        message.body_html = rendered.html
        session.add(message)
    client = session.get(Client, message.client_id)
    return _Ready(
        message.channel,
        message.to_address,
        message.subject,
        message.body_text,
        message.body_html,
        unsubscribe_url,
        client.collector_name(out.content.agency_name) if client is not None else "",
    )


def _send(out: Outbound, key: str, ready: _Ready) -> str:
    if ready.channel == "sms":
        return out.sms.send(ready.to, ready.text, key, out.status_callback_url)
    mail = Email(
        ready.to, ready.subject, ready.text, ready.html, key, ready.unsubscribe_url,
        ready.sender_name,
    )  # fmt: skip
    return out.mail.send(mail)


def _send_failed(
    out: Outbound, key: str, status: MessageStatus, error: str, **changes: Any
) -> None:
    """Record a failed send in its own transaction: the lease is released, the error kept."""
    with session_scope(out.engine) as session:
        message = _reload(session, key)
        changes.update(last_error=error, lease_until=None)
        messages.set_status(session, message, status, error, **changes)


def _reload(session: Session, key: str) -> OutreachMessage:
    message = messages.by_key(session, key)
    assert message is not None
    return message


def _record_sent(
    session: Session, message: OutreachMessage, provider_id: str, now: datetime
) -> None:
    # A delivery webhook may have beaten us here; it already moved the status forward.
    status = (
        MessageStatus.SENT
        if message.status == MessageStatus.SENDING
        else MessageStatus(message.status)
    )
    messages.set_status(
        session,
        message,
        status,
        f"provider id {provider_id}",
        provider_message_id=provider_id,
        sent_at=now,
        lease_until=None,
        reasons=[],
    )
    # The cross-channel attempt ledger: SMS and email count as contacts like calls do.
    session.add(
        ContactAttempt(
            account_id=message.account_id,
            debtor_id=message.debtor_id,
            channel=message.channel,
            to_address=message.to_address,
            started_at=now,
            ended_at=now,
            compliance=message.context.get("compliance", {}),
            notes=f"{SENT_NOTE}{message.key}",
        )
    )
