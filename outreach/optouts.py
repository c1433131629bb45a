"""Opt-outs and provider webhooks: a STOP text or an unsubscribe click takes effect at once.

The opt-out is written to the debtor (`sms_opt_out` / `email_opt_out`), which the compliance
engine reads at every send, plus an `OptOut` row as evidence of when and how it arrived.
Nothing here commits; the webhook route's transaction does.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, col, select

from core.models import Debtor, Phone
from outreach import messages
from outreach.models import MessageStatus, OptOut, OutreachMessage

#: CTIA's standard opt-out words, and the Spanish ones debtors answering our es texts use: a
#: reply that is one of these, alone, opts out.
STOP_WORDS = frozenset(
    {
        "STOP",
        "STOPALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "REVOKE",
        "OPTOUT",
        "OPT OUT",
        "PARA",
        "PARAR",
        "PARE",
        "ALTO",
        "BAJA",
        "CANCELAR",
    }
)
#: Within a longer reply ("Please stop texting me", "Wrong number. Stop", "No me manden más
#: mensajes") these still opt out: the TCPA lets a person revoke consent by any reasonable
#: means, and a collector that keeps texting someone who wrote "stop texting me" has no defence.
#: "Stop" counts when it says what to stop or stands as a sentence of its own, so "can you stop
#: the late fees?" or "stop by tomorrow" do not opt a paying debtor out. "End", "cancel",
#: "quit" and "para" count alone only: "at the end of the month", "para pagar".
_STOP_IN_TEXT = re.compile(
    r"\bstop\s+(texting|text|txt|messag\w*|sending|contacting|calling|emailing|bothering"
    r"|harass\w*)\b|(?:^|[.!?,;:]\s*)stop(?:\s+(?:it|now|please|all))?\s*(?:[.!?]|[^\w\s]*\s*$)"
    r"|\b(stopall|unsubscribe|opt[ -]?out|revoke)\b|\bremove me\b|\btake me off\b"
    r"|\bno (me )?(manden|env[ií]en|escriban)\b|\bdej[ae]n? de (escribir|mandar|enviar)\w*"
    r"|\bno m[aá]s mensajes\b|\bno quiero (recibir )?(m[aá]s )?mensajes\b|\bpara ya\b"
    r"|^\s*basta\b|\bno more (texts|messages)\b"
    r"|\b(don'?t|do not|never)\s+(text|txt|message|sms)"
    r"(\s+(or|and|&)\s+(call|contact|email)\w*)?\s+me\b"
    r"|\b(don'?t|do not|never)\s+(call|contact)\w*\s+(or|and|&)\s+(text|txt|message)\w*\s+me\b"
    r"|\b(stop|quit)\s+(calling|contacting)\s+(and|or|&)\s+(texting|txting|messaging)\b"
    r"|\bi\s+(don'?t|do not)\s+want\s+(these|your|any|the(se)?)?\s*(texts|messages|sms)\b"
    r"|\bno (texts|messages) please\b"
    # The FCC's 2024 order names stop, quit, end, revoke, opt out, cancel and unsubscribe as
    # reasonable ways to revoke: said of the texts, not of a payment or a card.
    r"|\bopt[ -]?(me )?out\b|\b(quit|stop)\s+(texting|txting|messaging|sending)\b"
    r"|\bplease\s+stop\s*[.!]*\s*$"
    r"|\b(quit|end|cancel|stop)\s+(?:all\s+)?(?:(?:these|the|your|this|those|my)\s+)?"
    r"(text\s+messages?|texts?|txts?|messages?|sms|notifications?)\b",
    re.IGNORECASE,
)
_NOT_STOP = re.compile(r"\b(don'?t|do not|never)\s+stop\b", re.IGNORECASE)
_DELIVERY = {
    "delivered": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.UNDELIVERED,
}


def is_stop(body: str) -> bool:
    """An inbound text asks to stop when it is an opt-out word (any case), or says so in a
    sentence; "don't stop" does not."""
    words = " ".join(body.strip().split()).upper().rstrip(".!")
    if words in STOP_WORDS or words.replace(" ", "") in STOP_WORDS:  # "S T O P"
        return True
    return bool(_STOP_IN_TEXT.search(body)) and not _NOT_STOP.search(body)


def record_opt_out(
    session: Session,
    debtor: Debtor,
    channel: str,
    address: str,
    source: str,
    now: datetime,
    detail: str = "",
) -> None:
    """Stop `channel` for `debtor` from now on, and keep the evidence."""
    if channel == "sms":
        debtor.sms_opt_out = True
    elif channel == "email":
        debtor.email_opt_out = True
    else:
        raise ValueError(f"channel {channel!r} has no opt-out (sms or email)")
    debtor.updated_at = now
    debtor.updated_by = f"opt-out:{source}"
    session.add(debtor)
    session.add(
        OptOut(
            debtor_id=debtor.id or 0,
            channel=channel,
            address=address,
            source=source,
            at=now,
            detail=detail,
        )
    )


def still_texted(session: Session, number: str) -> list[int]:
    """The debtors holding `number` who have not opted out of texts: those a STOP from it would
    newly opt out (a second STOP gets no second confirmation)."""
    holders = select(Phone.debtor_id).where(Phone.number == number)
    query = select(Debtor.id).where(col(Debtor.id).in_(holders), col(Debtor.sms_opt_out).is_(False))
    return sorted(i for i in session.exec(query).all() if i is not None)


def inbound_sms(
    session: Session, sender: str, body: str, now: datetime, asks_to_stop: bool = False
) -> list[int]:
    """Handle a text from `sender`; a STOP (or a text the caller read as one, `asks_to_stop`:
    a request to cease contact) opts out every debtor holding that number. Returns the debtors
    opted out."""
    if not (asks_to_stop or is_stop(body)):
        return []
    debtor_ids = sorted(
        set(session.exec(select(Phone.debtor_id).where(Phone.number == sender)).all())
    )
    for debtor_id in debtor_ids:
        debtor = session.get(Debtor, debtor_id)
        if debtor is not None:
            record_opt_out(session, debtor, "sms", sender, "sms_stop", now, body.strip()[:80])
    # The consent a STOP revokes is the number's, for calls too (the TCPA lets a person revoke
    # by any reasonable means, and the FCC's 2024 order reads a revocation as covering every
    # autodialled call and text): the mobile is dialled from a preview only, by a person.
    for phone in session.exec(select(Phone).where(Phone.number == sender, col(Phone.consent))):
        phone.consent = False
        phone.updated_at, phone.updated_by = now, "opt-out:sms_stop"
        session.add(phone)
    return debtor_ids


def delivery_status(
    session: Session, reference: str, provider_id: str, status: str, error: str = ""
) -> bool:
    """Apply a provider's delivery webhook; False when the message or status is unknown."""
    new_status = _DELIVERY.get(status)
    message = messages.by_key(session, reference) if reference else None
    if message is None and provider_id:
        message = session.exec(
            select(OutreachMessage).where(col(OutreachMessage.provider_message_id) == provider_id)
        ).first()
    if message is None or new_status is None:
        return False
    if message.status in (MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED):
        messages.set_status(session, message, new_status, error or f"provider: {status}")
    return True
