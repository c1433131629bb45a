"""Asks the compliance engine about one message at send time.

Loading goes through `compliance.store` (the engine's own database adapter), so a text or an
email is judged on exactly the data a call would be; every rule is `compliance.engine.decide`'s.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from pydantic import ValidationError
from sqlmodel import Session

from compliance.contact import Channel, Contact
from compliance.engine import Decision, decide
from compliance.store import decision_record, load_contact


class ContactDataError(ValueError):
    """The debtor's stored data cannot be read as a contact; the message names the field."""


def ask(
    session: Session, account_id: int, channel: str, to: str, at: datetime
) -> tuple[Decision, dict[str, Any]]:
    """The engine's decision for this send at `at`, and the record an attempt stores of it."""
    try:
        contact: Contact | None = load_contact(session, account_id, cast(Channel, channel), at, to)
    except ValidationError as exc:
        fields = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ContactDataError(f"account {account_id}: {fields}") from exc
    if contact is None:
        raise ContactDataError(f"account {account_id}: no {channel} address to decide about")
    decision = decide(contact, at)
    return decision, decision_record(decision, contact, at)
