"""Validation notices on record: when each account's was sent, and which are due or late.

The agency (or its letter vendor) mails the notice; Concord keeps the day it was sent, holds an
account whose notice is late after its first conversation (compliance.validation), and lists the
accounts waiting for one, so the letters go out before the hold stops anyone's work.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from compliance.store import first_conversations
from compliance.validation import applies_to, notice_due_on, overdue, period_ends_on
from core.holds import HoldError, account_by_number, client_id_by_code, record_change
from core.models import Account, Portfolio


class NoticeError(ValueError):
    """A notice that cannot be recorded; the message names the line, field or value."""


@dataclass(frozen=True)
class NoticeStanding:
    """One account's validation notice as an agent, a lead or an examiner reads it."""

    account_number: str
    first_conversation: datetime | None
    sent_on: date | None
    #: The last day to send it: set once a first conversation is on record.
    due_on: date | None
    #: The last day of the validation period: set once the notice is on record.
    period_ends_on: date | None
    #: Held now: the notice is late (compliance.validation.overdue).
    overdue: bool

    def in_words(self) -> str:
        """One line: what an agent must know before asking for payment."""
        if self.sent_on is not None and self.period_ends_on is not None:
            return (
                f"Validation notice sent {self.sent_on:%b %-d, %Y}; the debtor may dispute "
                f"until {self.period_ends_on:%b %-d, %Y}."
            )
        if self.due_on is None:
            return (
                "Validation notice: none on record yet; due within 5 business days of the "
                "first conversation."
            )
        if self.overdue:
            return (
                f"Validation notice late: it was due by {self.due_on:%b %-d, %Y}; contact is "
                "held until it is sent."
            )
        return (
            f"Validation notice: none on record yet; it must be sent by {self.due_on:%b %-d, %Y}."
        )


def standing_of(db: Session, account: Account, now: datetime) -> NoticeStanding | None:
    """The notice's standing, or None where the debt is not worked under US law."""
    portfolio = db.get(Portfolio, account.portfolio_id)
    if portfolio is None or not applies_to(portfolio.calling_profile):
        return None
    first = first_conversations(db, [account.id or 0]).get(account.id or 0)
    sent = account.validation_notice_on
    return NoticeStanding(
        account_number=account.client_account_number,
        first_conversation=first,
        sent_on=sent,
        due_on=None if first is None else notice_due_on(first),
        period_ends_on=None if sent is None else period_ends_on(sent),
        overdue=overdue(now, first, sent),
    )


def record_sent(
    db: Session, account: Account, sent_on: date, actor: str, now: datetime, correct: bool
) -> None:
    """Records the day the notice was sent. A notice already on record keeps its day (the
    validation period runs from it) unless `correct` says the stored day was a mistake."""
    today = now.astimezone(UTC).date()
    if sent_on > today:
        raise NoticeError(f"{sent_on} is in the future; record a notice once it is sent")
    created = account.created_at
    placed = (created if created.tzinfo is None else created.astimezone(UTC)).date()
    if sent_on < placed:
        raise NoticeError(
            f"{sent_on} is before the account was placed here ({placed}): our notice cannot "
            "have gone out before we had the debt"
        )
    stored = account.validation_notice_on
    if stored is not None and stored != sent_on and not correct:
        raise NoticeError(
            f"account {account.client_account_number} already has a notice sent on {stored}; "
            "--correct replaces a day recorded by mistake"
        )
    if stored == sent_on:
        return
    account.validation_notice_on = sent_on
    account.updated_by, account.updated_at = actor, now
    db.add(account)
    # Kept with the holds' history: who recorded which day, and what it replaced.
    why = f"validation notice sent {sent_on}" + (f" (was {stored})" if stored else "")
    record_change(db, account, "validation_notice", "set", "account", why, actor, now)


def record_one(
    db: Session, client: str, number: str, sent_on: date, actor: str, now: datetime, correct: bool
) -> NoticeStanding | None:
    """`record_sent` for one account named by its client's code and number."""
    try:
        account = account_by_number(db, client, number)
    except HoldError as exc:
        raise NoticeError(str(exc)) from None
    record_sent(db, account, sent_on, actor, now, correct)
    db.flush()
    return standing_of(db, account, now)


def record_file(
    db: Session, client: str, path: Path, actor: str, now: datetime, correct: bool
) -> int:
    """Records a letter vendor's mailing report: a CSV with `account_number` and `sent_on`
    (YYYY-MM-DD) columns. All or nothing: every bad line is named before anything is kept."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            header = rows[0].keys() if rows else []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise NoticeError(f"{path}: cannot be read ({exc})") from None
    missing = [c for c in ("account_number", "sent_on") if c not in header]
    if missing:
        raise NoticeError(f"{path}:1: the header lacks {', '.join(missing)}")
    client_id = _client_id(db, client)
    numbers = [(r["account_number"] or "").strip() for r in rows]
    accounts = _accounts_by_number(db, client_id, numbers)
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line, (row, number) in enumerate(zip(rows, numbers, strict=True), start=2):
        account = accounts.get(number)
        if account is None:
            errors.append(f"{path}:{line}: account_number: {client} has no account {number!r}")
            continue
        if number in seen:
            errors.append(f"{path}:{line}: account_number: {number} is also on line {seen[number]}")
            continue
        seen[number] = line
        try:
            record_sent(db, account, _day(row["sent_on"]), actor, now, correct)
        except NoticeError as exc:
            errors.append(f"{path}:{line}: sent_on: {exc}")
    if errors:
        db.rollback()
        raise NoticeError("\n".join(errors))
    return len(rows)


def due(db: Session, client: str, now: datetime) -> list[NoticeStanding]:
    """The client's US accounts with a first conversation and no notice on record, the late
    ones first, then by the day each is due: the letters to send today."""
    client_id = _client_id(db, client)
    us_portfolios = [
        p.id or 0
        for p in db.exec(select(Portfolio).where(col(Portfolio.client_id) == client_id))
        if applies_to(p.calling_profile)
    ]
    waiting = list(
        db.exec(
            select(Account).where(
                col(Account.portfolio_id).in_(us_portfolios),
                col(Account.validation_notice_on).is_(None),
                col(Account.status) == "open",
            )
        )
    )
    firsts = first_conversations(db, [a.id or 0 for a in waiting])
    found = [
        NoticeStanding(
            account_number=a.client_account_number,
            first_conversation=firsts[a.id or 0],
            sent_on=None,
            due_on=notice_due_on(firsts[a.id or 0]),
            period_ends_on=None,
            overdue=overdue(now, firsts[a.id or 0], None),
        )
        for a in waiting
        if (a.id or 0) in firsts
    ]
    return sorted(found, key=lambda s: (not s.overdue, s.due_on, s.account_number))


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise NoticeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _client_id(db: Session, code: str) -> int:
    try:
        return client_id_by_code(db, code)
    except HoldError as exc:
        raise NoticeError(str(exc)) from None


def _accounts_by_number(db: Session, client_id: int, numbers: Iterable[str]) -> dict[str, Account]:
    wanted = sorted(set(numbers))
    found: dict[str, Account] = {}
    for start in range(0, len(wanted), 500):
        query = select(Account).where(
            col(Account.client_id) == client_id,
            col(Account.client_account_number).in_(wanted[start : start + 500]),
        )
        found |= {a.client_account_number: a for a in db.exec(query)}
    return found
