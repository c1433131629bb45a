"""The one text that answers a STOP.

A debtor who texts STOP heard nothing back, so many text again, or call in angry, unsure it
worked. The FCC's 2024 consent-revocation rule (47 CFR 64.1200(a)(12)) lets a sender answer a
revocation with one text within five minutes that confirms it and says nothing else; carriers'
messaging guidelines (CTIA) expect one. So the worker sends exactly that: the business name the
debtor's texts come from and that no more will come, nothing about a debt (the phone may be
someone else's), no link. It goes once per STOP that newly opts a number out, and not at all
once five minutes have passed (a worker that was down sends nothing late). It is kept as a
message of the account, so its page shows the confirmation with the opt-out.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from rq import Queue
from sqlalchemy import event
from sqlmodel import Session, col, select

from core.models import Account, Client, Debtor
from outreach import messages
from outreach.delivery import SmsSender
from outreach.models import InboundText, MessageStatus, OutreachMessage

log = logging.getLogger(__name__)
CONFIRM_WITHIN = timedelta(minutes=5)
TRIGGER = "opt_out_confirmation"
JOB = "outreach.jobs.confirm_opt_out_job"
_WORDS = {
    "en": "{name}: you are unsubscribed. You will get no more texts from us at this number.",
    "es": "{name}: su baja está confirmada. No recibirá más mensajes de texto nuestros en este "
    "número.",
}


def confirmation_key(text_id: int) -> str:
    """The message key, also the provider's idempotency key: a retried job sends nothing twice."""
    return f"t{text_id}:{TRIGGER}"


def enqueue_after_commit(
    session: Session, queue: Queue, text_id: int, debtor_ids: list[int]
) -> None:
    """Queue the confirmation once the opt-out is committed (a worker must find it stored)."""

    def send_job(_: Session) -> None:
        queue.enqueue(
            JOB, text_id, debtor_ids, job_id=f"outreach-optout-{text_id}", failure_ttl=86_400
        )

    event.listen(session, "after_commit", send_job, once=True)


def confirm(
    session: Session, sms: SmsSender, text_id: int, debtor_ids: list[int], now: datetime,
    status_callback: str, agency_name: str,
) -> str:  # fmt: skip
    """Sends the confirmation for the STOP `text_id` that opted out `debtor_ids`; returns what
    happened: sent, done (already sent), late or gone (the text or its debtors are gone)."""
    key = confirmation_key(text_id)
    if messages.by_key(session, key) is not None:
        return "done"
    text = session.get(InboundText, text_id)
    debtor = session.get(Debtor, debtor_ids[0]) if debtor_ids else None
    if text is None or debtor is None:
        return "gone"
    received = text.received_at
    if received.tzinfo is None:  # SQLite hands datetimes back naive; they are UTC
        received = received.replace(tzinfo=now.tzinfo)
    if now - received > CONFIRM_WITHIN:
        log.warning("STOP text %s is %s old: no confirmation sent", text_id, now - received)
        return "late"
    account = session.exec(
        select(Account).where(Account.debtor_id == debtor.id).order_by(col(Account.id))
    ).first()
    client = session.get(Client, debtor.client_id)
    if account is None or client is None:
        return "gone"
    language = debtor.preferred_language if debtor.preferred_language in _WORDS else "en"
    body = _WORDS[language].format(name=client.collector_name(agency_name))
    provider_id = sms.send(text.sender, body, key, status_callback)
    session.add(
        OutreachMessage(
            key=key, client_id=client.id or 0, account_id=account.id or 0,
            debtor_id=debtor.id or 0, trigger=TRIGGER, occurrence=str(text_id), channel="sms",
            to_address=text.sender, language=language, body_text=body,
            status=MessageStatus.SENT.value, due_at=received, sent_at=now,
            provider_message_id=provider_id, updated_by="outreach",
            context={"inbound_text_id": text_id, "debtor_ids": debtor_ids},
        )
    )  # fmt: skip
    return "sent"
