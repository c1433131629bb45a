"""What a client's debtors are told about the client: its name, the business name a limited-
content message may say, and the number to call back.

A client is created by its first placement import with only its code. Until its business name
and callback number are set, an abandoned call or an answering machine hears the stock prompt,
which names no one and gives no number: the TCPA's abandoned-call message must do both. So an
admin sets them here, checked the way the dialer will use them, and `readiness` says in words
what is still missing. Nothing is committed here: the caller owns the transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from core.admin_store import client_codes, listing
from core.models import Client
from core.phones import e164
from dialer.campaign_admin import number_owners
from dialer.messages import (
    NAME_MAX,
    ClientMessage,
    MessageError,
    business_name_problem,
    message_text,
)
from scripts_library.graph import DEBT_WORDS


class ClientDetailsError(ValueError):
    """A detail that cannot be stored; the message names the option."""


def _e164(number: str) -> str:
    found = e164(number)
    if found is None:
        raise ClientDetailsError(
            f"--callback-number: {number!r} is not a valid phone number (+18005550110)"
        )
    return found


def readiness(client: Client, agency_contact: str = "") -> str:
    """'ok', or what the client's limited-content message lacks: why it cannot be made yet, or
    the person it should name (the client's own, else the agency's `agency_contact`)."""
    try:
        message_text(ClientMessage(client.id or 0, client.business_name, client.callback_number))
    except MessageError as exc:
        reason = str(exc).split(": ", 1)[-1]
        return f"{reason}: abandoned calls hear the stock prompt"
    if not (client.message_contact or agency_contact).strip():
        return (
            "names no person to ask for (--contact-name): a limited-content message names "
            "one, Reg F 1006.2(j)(1)(iii)"
        )
    return "ok"


def set_details(
    db: Session,
    code: str,
    *,
    name: str | None,
    business_name: str | None,
    callback_number: str | None,
    actor: str,
    now: datetime,
    contact_name: str | None = None,
) -> Client:
    """Stores the given details (the others stay as they are) after checking each."""
    client = db.exec(select(Client).where(Client.code == code)).first()
    if client is None:
        codes = listing(client_codes(db))
        raise ClientDetailsError(f"code: no client {code!r} (clients: {codes})")
    if all(v is None for v in (name, business_name, callback_number, contact_name)):
        raise ClientDetailsError(
            "give --name, --business-name, --callback-number or --contact-name"
        )
    if name is not None:
        if not name.strip() or len(name) > 200:
            raise ClientDetailsError(f"--name: {name!r} must be 1 to 200 characters")
        client.name = name.strip()
    if business_name is not None:
        problem = business_name_problem(business_name)
        if problem is not None:
            raise ClientDetailsError(f"--business-name: {problem}")
        if len(business_name.strip()) > 200:
            raise ClientDetailsError("--business-name: at most 200 characters")
        client.business_name = business_name.strip()
    if callback_number is not None:
        number = _e164(callback_number)
        owner = number_owners(db).get(number)
        if owner is not None and owner[0] != client.id:
            raise ClientDetailsError(
                f"--callback-number: {number} is {owner[1]}; a debtor calling back would "
                "reach another creditor's line"
            )
        client.callback_number = number
    if contact_name is not None:
        person = " ".join(contact_name.split())
        if len(person) > NAME_MAX:
            raise ClientDetailsError(f"--contact-name: at most {NAME_MAX} characters")
        if DEBT_WORDS.search(person) or any(ch.isdigit() for ch in person):
            raise ClientDetailsError(
                f"--contact-name: {person!r} is not a person's name (a message says it to "
                "whoever answers)"
            )
        client.message_contact = person
    client.updated_at, client.updated_by = now, actor
    db.add(client)
    return client
