"""What a team lead does about a debtor's text: set the hold it asks for, retire a number the
text says reaches someone else, record the time the text says not to call, or close it with no
hold, saying why when the text read like a reason to stop collecting.

Both act on the accounts the lead ticked (a number on two clients' accounts may concern either),
on those accounts' debtors, and only within the lead's reach (outreach.inbound.accounts_for).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from console.services.quiet_hours import add_quiet, every_day
from core.holds import change_holds, record_change
from core.models import Account, Client, Debtor, Phone
from core.sensitive import refusal
from outreach.inbound import NEEDS_A_REASON, TextNotFound, accounts_for
from outreach.models import InboundText


class ActionRefused(ValueError):
    """The lead's input cannot be recorded; the message names the field."""


def _ticked(
    session: Session, text_id: int, ticked: Iterable[int], client_id: int | None
) -> tuple[InboundText, list[Account]]:
    wanted = set(ticked)
    if not wanted:
        raise ActionRefused("Tick the accounts the text is about first.")
    accounts = [a for a in accounts_for(session, text_id, client_id) if a.id in wanted]
    text = session.get(InboundText, text_id)
    if text is None or not accounts:
        raise TextNotFound(f"no text {text_id}")
    return text, accounts


def set_hold(
    session: Session,
    text_id: int,
    ticked: Iterable[int],
    client_id: int | None,
    hold: str,
    actor: str,
    now: datetime,
) -> list[int]:
    """Sets the hold the text asks for on the ticked accounts (core.holds keeps who and why):
    a hold on every account of the number would stop another client's lawful collection and
    report a dispute it never had. Returns the accounts acted on."""
    _, accounts = _ticked(session, text_id, ticked, client_id)
    for account in accounts:
        client = session.get(Client, account.client_id)
        assert client is not None  # the foreign key holds it
        change_holds(session, client.code, account.client_account_number, add=[hold], lift=[],
                     actor=actor, now=now,
                     reason=f"the debtor's text {text_id}, read on the lead page")  # fmt: skip
    return [a.id or 0 for a in accounts]


def retire_number(
    session: Session,
    text_id: int,
    ticked: Iterable[int],
    client_id: int | None,
    actor: str,
    now: datetime,
) -> list[int]:
    """Marks the sender's number wrong on the ticked accounts' debtors, as an agent's WRONG
    outcome does: the engine then refuses calls and texts to it (`concord accounts holds
    --number-ok` takes it back). Returns the accounts acted on."""
    text, accounts = _ticked(session, text_id, ticked, client_id)
    debtors = {a.debtor_id for a in accounts}
    phones = session.exec(
        select(Phone).where(col(Phone.debtor_id).in_(debtors), Phone.number == text.sender)
    ).all()
    for phone in phones:
        if phone.wrong_number_at is None:
            phone.wrong_number_at = now
            phone.updated_at, phone.updated_by = now, actor
            session.add(phone)
    for account in accounts:
        record_change(session, account, "wrong_number", "set", "debtor",
                      f"{text.sender}: the debtor's text {text_id}", actor, now)  # fmt: skip
    return [a.id or 0 for a in accounts]


def record_time_not_to_call(
    session: Session,
    text_id: int,
    ticked: Iterable[int],
    client_id: int | None,
    start: str,
    end: str,
    actor: str,
    now: datetime,
) -> list[int]:
    """Adds [start, end), every day, local to the debtor, to the ticked accounts' debtors'
    stated inconvenient times, which the engine refuses contact in (1692c(a)(1)). Returns the
    accounts acted on."""
    try:
        stored = every_day(start, end)
    except ValueError as exc:
        raise ActionRefused(
            f"{exc}: give the hours as 09:00 to 18:00 (the end later than the start)"
        ) from None
    _, accounts = _ticked(session, text_id, ticked, client_id)
    for debtor_id in sorted({a.debtor_id for a in accounts}):
        debtor = session.get(Debtor, debtor_id)
        assert debtor is not None  # the account's foreign key holds it
        if add_quiet(debtor, stored, actor, now):
            session.add(debtor)
    return [a.id or 0 for a in accounts]


def close_without_hold(
    session: Session, text_id: int, client_id: int | None, reason: str, actor: str, now: datetime
) -> list[int]:
    """Closes a text with no hold. One that reads like a dispute, a lawyer, a bankruptcy, a
    death or a cease request needs the lead's reason (a written dispute closed with one click,
    no trace, let collection resume at once), kept in the hold history of every account of
    its number within the lead's reach, as the review hold's lift. Returns no accounts."""
    text = session.get(InboundText, text_id)
    accounts = accounts_for(session, text_id, client_id)
    if text is None or (client_id is not None and not accounts):
        raise TextNotFound(f"no text {text_id}")  # out of a bound lead's reach: not there
    if text.concern not in NEEDS_A_REASON or text.handled_at is not None:
        return []
    said = " ".join(reason.split())
    if not said:
        raise ActionRefused(
            f"reason: this text reads like a {text.concern.replace('_', ' ')}: say why no hold "
            "is needed (kept in the accounts' hold history)"
        )
    sensitive = refusal(said, "the reason")
    if sensitive:
        raise ActionRefused(f"reason: {sensitive}")
    for account in accounts:
        why = f"text {text_id} ({text.concern}) read, no hold: {said}"
        record_change(session, account, "text_review", "lift", "debtor", why, actor, now)
    return []
