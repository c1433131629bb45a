"""Upsert checked placements with bulk statements on the caller's connection.

100,000 rows must land in seconds, so rows are never loaded as ORM objects: rows are written in
chunks of 5,000, and for each chunk the stored state of its accounts and their contact points is
read into dicts, then new rows go in with executemany inserts and changed rows with executemany
updates. Nothing here commits on its own: a caller that commits after each chunk (the CLI, so
that on SQLite the floor's saves get the write lock between chunks) is safe because each chunk
reads its accounts just before writing them, so a hold, payment or number an agent saved while
earlier chunks were written is not overwritten with what the import read before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlmodel import SQLModel

from core.models import Account, Address, Debtor, Email, Payment, Phone
from core.placements.balances import rebase_balance
from core.placements.bulk import execute_many, reserve_ids, table_of
from core.placements.contacts import ContactBook, ContactWrites
from core.placements.persons import People, person_key
from core.placements.rows import Placement
from core.segments import PaymentHistory, segment_account, status_for_balance

CHUNK = 5_000
# Compared as one tuple to tell a changed account from one already as in the file.
ACCOUNT_FIELDS = (
    "portfolio_id", "original_creditor", "principal_minor", "interest_minor", "fees_minor",
    "balance_minor", "currency", "delinquency_date", "charge_off_date", "last_payment_date",
    "segment", "segment_score", "status", "placed_balance_minor", "placed_paid_minor",
)  # fmt: skip
_STORED = {name: index for index, name in enumerate(ACCOUNT_FIELDS)}
DEBTOR_FIELDS = ("first_name", "last_name", "date_of_birth")
# The account column each blank file field (core.placements.rows.KEPT_WHEN_BLANK) leaves as stored.
_BLANK_AS = {
    "original_creditor": "original_creditor", "principal_minor": "principal",
    "interest_minor": "interest", "fees_minor": "fees", "delinquency_date": "delinquency_date",
    "charge_off_date": "charge_off_date",
}  # fmt: skip
MODELS: dict[str, type[SQLModel]] = {
    "account": Account,
    "debtor": Debtor,
    "phone": Phone,
    "email": Email,
    "address": Address,
}


@dataclass
class StoreCounts:
    """What the upsert did: new accounts, changed accounts, accounts already as in the file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Accounts whose stored balance stays below the file's: payments booked here that the
    # client's books do not show yet (core.placements.balances).
    unremitted: int = 0
    reopened: int = 0
    paid_off: int = 0
    # New accounts the file places with nothing owed: stored paid, never worked.
    created_paid: int = 0
    # Accounts this file moved into its portfolio, by the portfolio they were in.
    moved_from: dict[int, int] = field(default_factory=dict)
    # New accounts of a person already on file (core.placements.persons), sharing its debtor.
    joined: int = 0


@dataclass(frozen=True, slots=True)
class Stamp:
    """Who writes (audit `updated_by`), when, and the day rows are checked and segmented on."""

    actor: str
    now: datetime
    today: date

    def audit(self) -> dict[str, Any]:
        return {"created_at": self.now, "updated_at": self.now, "updated_by": self.actor}


@dataclass(slots=True)
class _Known:
    """A stored account: its ids, flags and the compared values."""

    id: int
    debtor_id: int
    flags: list[str]
    values: tuple[Any, ...]


class _Store:
    """One upsert: the client's stored state, and the writes queued for the current chunk."""

    def __init__(self, conn: Connection, client_id: int, portfolio_id: int, stamp: Stamp) -> None:
        self.conn, self.client_id, self.portfolio_id, self.stamp = (
            conn,
            client_id,
            portfolio_id,
            stamp,
        )
        self.audit = stamp.audit()
        self.accounts: dict[str, _Known] = {}
        self.debtors: dict[int, tuple[Any, ...]] = {}
        self.paid_here: dict[int, int] = {}
        self.book = ContactBook()
        self.people = People()
        self.account_updates: list[dict[str, Any]] = []
        self.debtor_updates: list[dict[str, Any]] = []
        self.contacts = ContactWrites()
        self.counts = StoreCounts()

    def load(self, chunk: Sequence[Placement]) -> None:
        """The stored state of the chunk's accounts (by client account number), their debtors,
        the payments booked on them, the debtors a new account could belong to (same name and
        birth date, core.placements.persons) and all these debtors' contact points."""
        account, debtor, payment = table_of(Account), table_of(Debtor), table_of(Payment)
        numbers = [p.client_account_number for p in chunk]
        query = select(
            account.c.client_account_number, account.c.id, account.c.debtor_id, account.c.flags,
            *[account.c[name] for name in ACCOUNT_FIELDS],
        ).where(account.c.client_id == self.client_id,
                account.c.client_account_number.in_(numbers))  # fmt: skip
        self.accounts = {
            number: _Known(row_id, debtor_id, list(flags), tuple(values))
            for number, row_id, debtor_id, flags, *values in self.conn.execute(query)
        }
        keys = {
            person_key(p.first_name, p.last_name, p.date_of_birth)
            for p in chunk
            if p.client_account_number not in self.accounts  # only new accounts are matched
        }
        born = sorted({key[2] for key in keys if key is not None})
        # Narrowed in SQL to the new accounts' last names as written in the usual cases
        # (SQLite's lower() knows no accents); person_key then compares exactly. A name stored
        # in an odd mix of cases is missed, and its person gets a debtor of their own.
        surnames = sorted(
            {form for p in chunk if p.client_account_number not in self.accounts
             for form in (p.last_name, p.last_name.upper(), p.last_name.lower(),
                          p.last_name.title())}
        )  # fmt: skip
        namesakes = select(debtor.c.id, debtor.c.first_name, debtor.c.last_name,
                           debtor.c.date_of_birth).where(
            debtor.c.client_id == self.client_id, debtor.c.date_of_birth.in_(born),
            debtor.c.last_name.in_(surnames),
        )  # fmt: skip
        self.people = People(
            row for row in self.conn.execute(namesakes) if person_key(*row[1:]) in keys
        )
        debtor_ids = sorted({known.debtor_id for known in self.accounts.values()})
        people = select(debtor.c.id, *[debtor.c[n] for n in DEBTOR_FIELDS]).where(
            debtor.c.id.in_(debtor_ids)
        )
        self.debtors = {row_id: tuple(values) for row_id, *values in self.conn.execute(people)}
        paid = (
            select(payment.c.account_id, func.sum(payment.c.amount_minor))
            .where(payment.c.account_id.in_([known.id for known in self.accounts.values()]))
            .group_by(payment.c.account_id)
        )
        self.paid_here = {row_id: int(total) for row_id, total in self.conn.execute(paid)}
        self.book = ContactBook.load(self.conn, sorted({*debtor_ids, *self.people.debtor_ids()}))

    def account_values(self, p: Placement, known: _Known | None) -> tuple[Any, ...]:
        """The account's columns from the file, on top of what was booked here since the
        client last placed it: payments stay off the balance and the later payment date
        stands."""
        # The columns a blank cell leaves as stored; the Placement names them the same way.
        given: dict[str, Any] = {column: getattr(p, column) for column in _BLANK_AS}
        if known is None:
            flags, status, last_paid = [], "open", p.last_payment_date
            rebased = rebase_balance(p.balance_minor, p.balance_minor, 0, 0)
        else:
            stored = known.values
            for name in given:
                if _BLANK_AS[name] in p.blank:
                    given[name] = stored[_STORED[name]]
            flags, status = known.flags, stored[_STORED["status"]]
            rebased = rebase_balance(
                p.balance_minor, stored[_STORED["placed_balance_minor"]],
                stored[_STORED["placed_paid_minor"]], self.paid_here.get(known.id, 0),
            )  # fmt: skip
            last_paid = max(
                (d for d in (p.last_payment_date, stored[_STORED["last_payment_date"]]) if d),
                default=None,
            )
        balance = rebased.balance_minor
        history = PaymentHistory(last_payment_date=last_paid)
        delinquent = given["delinquency_date"]
        segment = segment_account(balance, delinquent, history, flags, self.stamp.today)
        return (
            self.portfolio_id, given["original_creditor"], given["principal_minor"],
            given["interest_minor"], given["fees_minor"], balance, p.currency, delinquent,
            given["charge_off_date"], last_paid, segment.label, segment.score,
            status_for_balance(status, balance), rebased.placed_balance_minor,
            rebased.placed_paid_minor,
        )  # fmt: skip

    def update_known(self, known: _Known, p: Placement) -> bool:
        """Queue the account's, debtor's and contact points' changes; True when there are any."""
        stamp = {"updated_at": self.stamp.now, "updated_by": self.stamp.actor}
        values = self.account_values(p, known)
        if values[_STORED["balance_minor"]] < p.balance_minor:
            self.counts.unremitted += 1
        was, now = known.values[_STORED["status"]], values[_STORED["status"]]
        if (was, now) == ("paid", "open"):
            self.counts.reopened += 1
        elif (was, now) == ("open", "paid"):
            self.counts.paid_off += 1
        moved_from = known.values[_STORED["portfolio_id"]]
        if moved_from != self.portfolio_id:
            self.counts.moved_from[moved_from] = self.counts.moved_from.get(moved_from, 0) + 1
        changed = values != known.values
        if changed:
            self.account_updates.append(
                {"row_id": known.id, **dict(zip(ACCOUNT_FIELDS, values, strict=True)), **stamp}
            )
            known.values = values
        stored_person = self.debtors.get(known.debtor_id)
        born = p.date_of_birth
        if "date_of_birth" in p.blank and stored_person is not None:
            born = stored_person[DEBTOR_FIELDS.index("date_of_birth")]
        person = (p.first_name, p.last_name, born)
        moved = stored_person != person
        if moved:
            self.debtor_updates.append(
                {
                    "row_id": known.debtor_id,
                    **dict(zip(DEBTOR_FIELDS, person, strict=True)),
                    **stamp,
                }
            )
            self.debtors[known.debtor_id] = person
        touched = self.book.merge(self.contacts, known.debtor_id, p, self.audit)
        return changed or moved or touched

    def insert_fresh(self, fresh: Sequence[Placement]) -> None:
        """New accounts: each joins the person on file it is (core.placements.persons), or an
        earlier new account's person in this chunk, or else a new debtor whose id is reserved
        up front (no RETURNING)."""
        owners: list[int] = []  # a known debtor's id, or -n for the n-th new person
        newcomers: list[Placement] = []
        pending, scratch = People(), ContactBook()  # new persons, by placeholder id
        for p in fresh:
            # Contact points are merged as rows are matched, so a later row can match on a
            # number an earlier row of this chunk brought to the person.
            owner = self.people.match(p, self.book)
            if owner is not None:
                self.book.merge(self.contacts, owner, p, self.audit)
                self.counts.joined += 1
            else:
                owner = pending.match(p, scratch)
                if owner is None:
                    newcomers.append(p)
                    owner = -len(newcomers)
                    pending.add(owner, person_key(p.first_name, p.last_name, p.date_of_birth))
                else:
                    self.counts.joined += 1
                scratch.merge(ContactWrites(), owner, p, self.audit)
            owners.append(owner)
        debtor_ids = reserve_ids(self.conn, table_of(Debtor), len(newcomers))
        debtors = [
            {"id": debtor_id, "client_id": self.client_id, "first_name": p.first_name,
             "last_name": p.last_name, "date_of_birth": p.date_of_birth,
             "preferred_language": "en", "inconvenient_times": [], "flags": [], "dnc": False,
             "sms_opt_out": False, "email_opt_out": False, **self.audit}
            for p, debtor_id in zip(newcomers, debtor_ids, strict=True)
        ]  # fmt: skip
        accounts = []
        for p, owner in zip(fresh, owners, strict=True):
            debtor_id = debtor_ids[-owner - 1] if owner < 0 else owner
            values = self.account_values(p, None)
            accounts.append(
                {"client_id": self.client_id, "debtor_id": debtor_id,
                 "client_account_number": p.client_account_number,
                 "flags": [], **dict(zip(ACCOUNT_FIELDS, values, strict=True)), **self.audit}
            )  # fmt: skip
            if owner < 0:
                self.book.merge(self.contacts, debtor_id, p, self.audit)
        execute_many(self.conn, insert(table_of(Debtor)), debtors)
        execute_many(self.conn, insert(table_of(Account)), accounts)

    def flush(self) -> None:
        """Write the queued changes: updates first, then the contact points they may refer to."""
        for name, rows in (("account", self.account_updates), ("debtor", self.debtor_updates)):
            target = table_of(MODELS[name])
            execute_many(self.conn, update(target).where(target.c.id == bindparam("row_id")), rows)
            rows.clear()
        for name, rows in self.contacts.inserts.items():
            execute_many(self.conn, insert(table_of(MODELS[name])), rows)
        for name, rows in self.contacts.updates.items():
            target = table_of(MODELS[name])
            execute_many(self.conn, update(target).where(target.c.id == bindparam("row_id")), rows)
        self.contacts = ContactWrites()


def _chunks(items: Sequence[Placement]) -> Iterator[Sequence[Placement]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def upsert_placements(
    conn: Connection,
    client_id: int,
    portfolio_id: int,
    placements: Sequence[Placement],
    stamp: Stamp,
    on_progress: Callable[[int], None] = lambda _done: None,
    after_chunk: Callable[[], None] = lambda: None,
) -> StoreCounts:
    """Insert new accounts (each with a new debtor) and update known ones; key: account number.

    The debtor of a known account is the one it already points at; contact points are merged so
    numbers an agent added, and the consent recorded on them, survive a re-import. Account
    numbers must be unique within `placements` (the service reports repeats as row errors).
    `after_chunk` runs once each chunk is written (a commit, for a caller that wants one).
    """
    if len({p.client_account_number for p in placements}) != len(placements):
        raise ValueError("placements repeat an account number; report repeats as row errors")
    store = _Store(conn, client_id, portfolio_id, stamp)
    counts = store.counts
    done = 0
    for chunk in _chunks(placements):
        store.load(chunk)
        fresh = []
        for p in chunk:
            known = store.accounts.get(p.client_account_number)
            if known is None:
                fresh.append(p)
            elif store.update_known(known, p):
                counts.updated += 1
            else:
                counts.unchanged += 1
        store.insert_fresh(fresh)
        counts.created += len(fresh)
        counts.created_paid += sum(1 for p in fresh if p.balance_minor <= 0)
        store.flush()
        after_chunk()
        done += len(chunk)
        on_progress(done)
    return counts
