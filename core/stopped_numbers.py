"""The agency's own do-not-call list, by number (`StoppedNumber`).

A request to stop calls can come from the line, not from a debtor: a person who pressed 9 at our
limited-content message, or who wrote in ("stop calling 555-0198, I am not who you want"). Such
a request binds the agency for that number whoever the call was for (a text is a call under the
TCPA, and a revocation by any reasonable means covers both), so it is kept against the number:
every debtor holding it, one placed next month with it, and a number an agent types into a
preview dial are stopped alike. A debtor asking not to be called at work stays on their own
phone row (`Phone.no_calls_at`): that is about the debtor, and texts follow their own consent.

Lifting needs a reason and keeps the entry, so the request and its lifting both stay on record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.models import Account, HoldChange, Phone, StoppedNumber
from core.sensitive import refusal

# How an entry came: a key pressed at our message, or a person asking (a letter, a call in)
# whose request a team lead entered.
KEYPAD, ASKED = "keypad", "asked"
HOW_SAID = {KEYPAD: "pressed 9 at our message", ASKED: "asked"}
_CHUNK = 500  # numbers per IN (...) list, under every backend's parameter limit


class StopError(ValueError):
    """A change to the list that cannot be made; the message names the value."""


def numbers_in_force() -> sa.Select[str]:
    """The numbers on the list now, as a subquery (`Phone.number.not_in(numbers_in_force())`)."""
    return sa.select(col(StoppedNumber.number)).where(col(StoppedNumber.lifted_at).is_(None))


def in_force(session: Session, numbers: Iterable[str]) -> dict[str, StoppedNumber]:
    """The entries in force for those of `numbers` that are on the list."""
    wanted = sorted(set(numbers))
    found: dict[str, StoppedNumber] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = select(StoppedNumber).where(
            col(StoppedNumber.number).in_(wanted[start : start + _CHUNK]),
            col(StoppedNumber.lifted_at).is_(None),
        )
        found.update((entry.number, entry) for entry in session.exec(query).all())
    return found


def stop_number(
    session: Session, number: str, at: datetime, how: str, detail: str, actor: str
) -> tuple[StoppedNumber, bool]:
    """Puts `number` (E.164) on the list; (its entry, whether it is new). A number already on
    it keeps its first entry: the earlier request stands and its date is the one that counts."""
    if how not in HOW_SAID:
        raise StopError(f"how must be one of {', '.join(HOW_SAID)}, got {how!r}")
    sensitive = refusal(detail, "--reason")
    if sensitive:
        raise StopError(sensitive)
    found = in_force(session, [number]).get(number)
    if found is not None:
        return found, False
    entry = StoppedNumber(
        number=number, since=at, how=how, detail=detail.strip()[:500],
        created_at=at, updated_at=at, updated_by=actor,
    )  # fmt: skip
    session.add(entry)
    # A request to stop calls and texts revokes the autodial consent (TCPA): calls taken up
    # again after a lift are dialled by a person until the debtor consents again.
    consented = select(Phone).where(Phone.number == number, col(Phone.consent).is_(True))
    for phone in session.exec(consented).all():
        phone.consent = False
        phone.updated_at, phone.updated_by = at, actor
        session.add(phone)
    _history(session, number, "set", f"{number}: {said(entry)}: {entry.detail}", actor, at)
    session.flush()
    return entry, True


def lift_number(
    session: Session, number: str, reason: str, actor: str, at: datetime
) -> StoppedNumber:
    """Takes `number` off the list, keeping the entry with who lifted it, when and why."""
    if not reason.strip():
        raise StopError(
            "taking a number off the do-not-call list needs a reason, kept with it "
            "(--reason 'the debtor called in from it and asked to be called there', say)"
        )
    sensitive = refusal(reason, "--reason")
    if sensitive:
        raise StopError(sensitive)
    entry = in_force(session, [number]).get(number)
    if entry is None:
        raise StopError(f"{number} is not on the do-not-call list")
    entry.lifted_at, entry.lifted_by, entry.lift_reason = at, actor, reason.strip()[:500]
    entry.updated_at, entry.updated_by = at, actor
    session.add(entry)
    why = f"{number}, {said(entry)}, taken off the do-not-call list: {entry.lift_reason}"
    _history(session, number, "lift", why, actor, at)
    return entry


def holders(session: Session, number: str) -> list[int]:
    """The debtors with a phone row holding `number`."""
    found = session.exec(select(Phone.debtor_id).where(Phone.number == number)).all()
    return sorted(set(found))


def _history(
    session: Session, number: str, action: str, why: str, actor: str, at: datetime
) -> None:
    """The list's change in the hold history of every debtor holding the number, as a hold
    on the person (on their first account, which the account page shows with its siblings):
    a complaint about a debtor's number is answered from their account page."""
    debtors = holders(session, number)
    if not debtors:
        return
    accounts = session.exec(
        select(Account).where(col(Account.debtor_id).in_(debtors)).order_by(col(Account.id))
    ).all()
    firsts: dict[int, Account] = {}
    for account in accounts:
        firsts.setdefault(account.debtor_id, account)
    for account in firsts.values():
        session.add(HoldChange(account_id=account.id or 0, hold="no_calls", action=action,
                               level="debtor", reason=why[:500], actor=actor, at=at,
                               updated_by=actor))  # fmt: skip


def listed(session: Session, with_lifted: bool = False) -> list[StoppedNumber]:
    """The list, newest first; `with_lifted` adds the entries taken off it."""
    query = select(StoppedNumber).order_by(col(StoppedNumber.since).desc())
    if not with_lifted:
        query = query.where(col(StoppedNumber.lifted_at).is_(None))
    return list(session.exec(query).all())


def said(entry: StoppedNumber) -> str:
    """An entry as an agent or lead reads it next to the number."""
    return f"no calls or texts since {entry.since:%Y-%m-%d} ({HOW_SAID.get(entry.how, entry.how)})"


def stopped_at(entries: Iterable[StoppedNumber], at: datetime) -> StoppedNumber | None:
    """The entry (lifted or not) that had the number stopped at `at`, if any: QA replays a
    contact against the list as it stood then."""
    for entry in entries:
        since = _aware(entry.since)
        lifted = _aware(entry.lifted_at) if entry.lifted_at is not None else None
        if since <= at and (lifted is None or lifted > at):
            return entry
    return None


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
