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
from dialer.messages import ClientMessage, MessageError, business_name_problem, message_text


class ClientDetailsError(ValueError):
    """A detail that cannot be stored; the message names the option."""


def _e164(number: str) -> str:
    found = e164(number)
    if found is None:
        raise ClientDetailsError(
            f"--callback-number: {number!r} is not a valid phone number (+18005550110)"
        )
    return found


def readiness(client: Client) -> str:
    """'ok', or why the client's limited-content message cannot be made yet."""
    try:
        message_text(ClientMessage(client.id or 0, client.business_name, client.callback_number))
    except MessageError as exc:
        reason = str(exc).split(": ", 1)[-1]
        return f"{reason}: abandoned calls hear the stock prompt"
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
) -> Client:
    """Stores the given details (the others stay as they are) after checking each."""
    client = db.exec(select(Client).where(Client.code == code)).first()
    if client is None:
        codes = listing(client_codes(db))
        raise ClientDetailsError(f"code: no client {code!r} (clients: {codes})")
    if name is None and business_name is None and callback_number is None:
        raise ClientDetailsError("give --name, --business-name or --callback-number")
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
    client.updated_at, client.updated_by = now, actor
    db.add(client)
    return client
