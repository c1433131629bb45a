"""Holds on a debt: the flags that stop every contact, set and lifted by hand.

Agents set them through the outcome of a call (core.dispositions.FLAG_OF_CATEGORY). Someone
must also be able to lift one, when a dispute has been answered with validation, say, or a
bankruptcy was dismissed, and to set one from a letter that never came through a call. A hold
about the person (deceased, bankruptcy) sits on the debtor, the others on the account, as the
outcomes put them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from core.dispositions import FLAG_OF_CATEGORY
from core.models import Account, Client, Debtor, DispositionCategory, HoldChange, Phone
from core.placements.fields import FieldError, phone
from core.sensitive import refusal
from core.stopped_numbers import HOW_SAID, holders, in_force, lift_number

# The holds an outcome sets, and "recalled": the client took the account back (recalled, sold,
# settled on its own books), which no call brings, only the client's word.
LEVEL_OF_FLAG: dict[str, str] = {**dict(FLAG_OF_CATEGORY.values()), "recalled": "account"}


class HoldError(ValueError):
    """A hold change that cannot be made; the message names the value."""


@dataclass(frozen=True)
class Holds:
    """An account's holds after a change: its own and its debtor's."""

    account_number: str
    account_flags: list[str]
    debtor_flags: list[str]
    wrong_numbers: list[str]
    no_call_numbers: list[str]  # the debtor asked not to be called there (or pressed 9)
    history: list[HoldChange]  # the latest first


def client_id_by_code(db: Session, client_code: str) -> int:
    """The client's id by its code; HoldError when no client has it."""
    client = db.exec(select(Client).where(Client.code == client_code)).first()
    if client is None:
        raise HoldError(f"no client with code {client_code!r}")
    return client.id or 0


def account_by_number(db: Session, client_code: str, number: str) -> Account:
    """The client's account by its own number; HoldError names whichever is unknown."""
    client_id = client_id_by_code(db, client_code)
    account = db.exec(
        select(Account).where(
            Account.client_id == client_id, Account.client_account_number == number
        )
    ).first()
    if account is None:
        raise HoldError(f"client {client_code} has no account {number!r}")
    return account


def change_holds(
    db: Session,
    client_code: str,
    number: str,
    *,
    add: list[str],
    lift: list[str],
    actor: str,
    now: datetime,
    numbers_ok: Sequence[str] = (),
    calls_ok: Sequence[str] = (),
    reason: str = "",
) -> Holds:
    """Add and lift holds on one account (or its debtor), take back a wrong-number report on
    any of the debtor's numbers (an outcome recorded by mistake), and lift a request not to be
    called on one (`calls_ok`: the debtor asked to be called there again); each hold set or
    lifted, and each request lifted, is recorded with `actor` and `reason` (a lift needs one);
    the caller commits."""
    for flag in [*add, *lift]:
        if flag not in LEVEL_OF_FLAG:
            raise HoldError(f"{flag!r} is not a hold; holds are {', '.join(LEVEL_OF_FLAG)}")
    if not actor.strip():
        raise HoldError("who changes it is needed (--by NAME)")
    if (lift or calls_ok or numbers_ok) and not reason.strip():
        what = "a hold" if lift else "a request not to be called" if calls_ok else "a report"
        raise HoldError(
            f"lifting {what} needs a reason, kept with it (--reason 'validation mailed "
            "2026-11-30', say)"
        )
    sensitive = refusal(reason, "--reason")
    if sensitive:
        raise HoldError(sensitive)
    account = account_by_number(db, client_code, number)
    debtor = db.get(Debtor, account.debtor_id)
    assert debtor is not None  # the foreign key holds it
    targets: tuple[tuple[str, Account | Debtor], ...] = (("account", account), ("debtor", debtor))
    held = {*account.flags, *debtor.flags}
    for flag in lift:
        if flag not in held:  # a script lifting the wrong hold, or the wrong account's, is told
            raise HoldError(f"{client_code} {number} has no {flag} hold to lift")
    for level, target in targets:
        flags = [f for f in target.flags if f not in lift]
        flags += [f for f in add if LEVEL_OF_FLAG[f] == level and f not in flags]
        changes = [(f, "set") for f in flags if f not in target.flags]
        changes += [(f, "lift") for f in target.flags if f not in flags]
        for flag, action in changes:
            record_change(db, account, flag, action, level, reason.strip(), actor, now)
        set_flags(target, flags, actor, now)
        db.add(target)
    phones = list(db.exec(select(Phone).where(Phone.debtor_id == debtor.id)))
    for typed in numbers_ok:
        wanted = debtors_number(phones, typed)
        mark_number(db, debtor.id or 0, wanted, wrong=False, actor=actor, now=now)
        record_change(db, account, "wrong_number", "lift", "debtor", f"{wanted}: {reason.strip()}",
                      actor, now)  # fmt: skip
    for typed in calls_ok:
        wanted = debtors_number(phones, typed)
        stopped = [p for p in phones if p.number == wanted and p.no_calls_at is not None]
        entry = in_force(db, [wanted]).get(wanted)
        if not stopped and entry is None:
            raise HoldError(f"{typed!r}: no one has asked not to be called there")
        others = [d for d in holders(db, wanted) if d != debtor.id]
        if entry is not None and others:
            # The line's owner asked for every debtor on it; one of them asking to be called
            # there is not the owner's word, and a lead of one client would open another's.
            raise HoldError(
                f"{wanted} is on the agency's do-not-call list ({HOW_SAID[entry.how]}) and "
                f"{len(others)} other debtor(s) hold it: only the line's owner takes that "
                f"back, for all of them (concord numbers allow {wanted} --reason WHY)"
            )
        for found in stopped:
            found.no_calls_at, found.updated_at, found.updated_by = None, now, actor
            db.add(found)
        if stopped:  # the request's date goes into the history: the row forgets it
            since = min(p.no_calls_at for p in stopped if p.no_calls_at is not None)
            record_change(db, account, "no_calls", "lift", "debtor",
                          f"{wanted}, asked {since:%Y-%m-%d}: {reason.strip()}",
                          actor, now)  # fmt: skip
        if entry is not None:  # the list writes its own lift, with its date and how it came
            lift_number(db, wanted, reason, actor, now)
    wrong = [p.number for p in phones if p.wrong_number_at is not None]
    listed = in_force(db, [p.number for p in phones])
    no_calls = [p.number for p in phones if p.no_calls_at is not None or p.number in listed]
    db.flush()
    history = list(
        db.exec(
            select(HoldChange)
            .where(HoldChange.account_id == account.id)
            .order_by(col(HoldChange.at).desc(), col(HoldChange.id).desc())
            .limit(10)
        )
    )
    return Holds(number, list(account.flags), list(debtor.flags), wrong, no_calls, history)


def debtors_number(phones: Sequence[Phone], typed: str) -> str:
    """`typed` as stored (E.164), when it is one of the debtor's `phones`; HoldError if not."""
    try:
        wanted = phone(typed, "US")
    except FieldError as exc:
        raise HoldError(f"{typed!r}: {exc.reason}") from None
    if not any(p.number == wanted for p in phones):
        on_file = ", ".join(p.number for p in phones) or "none"
        raise HoldError(f"{typed!r} is not one of the debtor's numbers ({on_file})")
    return wanted


def hold_for(
    db: Session, account: Account, category: DispositionCategory, actor: str, now: datetime
) -> None:
    """The hold an outcome of `category` puts on the debt, or on its debtor (none for most)."""
    hold = FLAG_OF_CATEGORY.get(category)
    if hold is None:
        return
    flag, level = hold
    target: Account | Debtor | None = (
        account if level == "account" else db.get(Debtor, account.debtor_id)
    )
    if target is not None and flag not in target.flags:
        set_flags(target, [*target.flags, flag], actor, now)
        db.add(target)
        why = f"call outcome: {category.value}"
        record_change(db, account, flag, "set", level, why, actor, now)


def mark_number(
    db: Session, debtor_id: int, number: str, *, wrong: bool, actor: str, now: datetime
) -> None:
    """Report the debtor's `number` (E.164) as reaching someone else, or take that back."""
    for found in db.exec(select(Phone).where(Phone.debtor_id == debtor_id, Phone.number == number)):
        if (found.wrong_number_at is not None) != wrong:
            found.wrong_number_at = now if wrong else None
            found.updated_at, found.updated_by = now, actor
            db.add(found)


def record_change(
    db: Session,
    account: Account,
    hold: str,
    action: str,
    level: str,
    reason: str,
    actor: str,
    now: datetime,
) -> None:
    """One line of the account's hold history (HoldChange)."""
    db.add(HoldChange(account_id=account.id or 0, hold=hold, action=action, level=level,
                      reason=reason, actor=actor, at=now, updated_by=actor))  # fmt: skip


def set_flags(target: Account | Debtor, flags: list[str], actor: str, now: datetime) -> None:
    """Replaces the flags, stamped with who and when; the caller adds the row."""
    if flags != target.flags:
        target.flags = flags  # a new list: JSON columns do not see in-place edits
        target.updated_at, target.updated_by = now, actor
