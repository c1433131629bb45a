"""A client's stored phones, emails and addresses per debtor, merged with what a placement brings.

Merging, not replacing: a number an agent captured on a call, and the consent recorded on it,
must survive the client's next file. A point already known is updated in place (phone type,
city/state of the same street address); a new one is added after the debtor's others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select

from core.models import Address, Email, Phone
from core.placements.bulk import table_of
from core.placements.rows import Placement

AddressKey = tuple[str, str, str]


def address_key(line1: str, postal_code: str, country: str) -> AddressKey:
    """Same street line (case and spacing aside), postal code and country: the same address."""
    return (" ".join(line1.lower().split()), postal_code, country)


class ContactWrites:
    """Rows to insert and update, per table, written by the store in one executemany each."""

    def __init__(self) -> None:
        self.inserts: dict[str, list[dict[str, Any]]] = {"phone": [], "email": [], "address": []}
        self.updates: dict[str, list[dict[str, Any]]] = {"phone": [], "address": []}


class ContactBook:
    """Known contact points of one client's debtors; row id 0 marks one added by this import."""

    def __init__(self) -> None:
        self.phones: dict[int, dict[str, tuple[int, str, str]]] = {}
        self.emails: dict[int, set[str]] = {}
        self.addresses: dict[int, dict[AddressKey, tuple[int, str, str]]] = {}
        self.last_position: dict[tuple[str, int], int] = {}

    @classmethod
    def load(cls, conn: Connection, debtor_ids: Sequence[int]) -> ContactBook:
        """Everything these debtors already have, read in three queries."""
        book = cls()
        mine = list(debtor_ids)
        phone, email, address = table_of(Phone), table_of(Email), table_of(Address)
        rows: Iterable[Any] = conn.execute(
            select(phone.c.debtor_id, phone.c.position, phone.c.id, phone.c.number, phone.c.type,
                   phone.c.extension)
            .where(phone.c.debtor_id.in_(mine))
        )  # fmt: skip
        for debtor_id, position, row_id, number, kind, extension in rows:
            book.phones.setdefault(debtor_id, {})[number] = (row_id, kind, extension)
            book._seen("phone", debtor_id, position)
        rows = conn.execute(
            select(email.c.debtor_id, email.c.position, email.c.address)
            .where(email.c.debtor_id.in_(mine))
        )  # fmt: skip
        for debtor_id, position, text in rows:
            book.emails.setdefault(debtor_id, set()).add(text.lower())
            book._seen("email", debtor_id, position)
        rows = conn.execute(
            select(address.c.debtor_id, address.c.position, address.c.id, address.c.line1,
                   address.c.postal_code, address.c.country, address.c.city, address.c.state)
            .where(address.c.debtor_id.in_(mine))
        )  # fmt: skip
        for debtor_id, position, row_id, line1, postal, country, city, state in rows:
            key = address_key(line1, postal, country)
            book.addresses.setdefault(debtor_id, {})[key] = (row_id, city, state)
            book._seen("address", debtor_id, position)
        return book

    def _seen(self, kind: str, debtor_id: int, position: int) -> None:
        key = (kind, debtor_id)
        if position > self.last_position.get(key, -1):
            self.last_position[key] = position

    def _next(self, kind: str, debtor_id: int) -> int:
        key = (kind, debtor_id)
        self.last_position[key] = position = self.last_position.get(key, -1) + 1
        return position

    def merge(
        self, writes: ContactWrites, debtor_id: int, p: Placement, audit: dict[str, Any]
    ) -> bool:
        """Queue the writes that bring the row's contact points in; True when there are any."""
        touched = False
        stamp = {"updated_at": audit["updated_at"], "updated_by": audit["updated_by"]}
        if p.phone is not None:
            known = self.phones.setdefault(debtor_id, {})
            found = known.get(p.phone)
            kind, extension = p.phone_type, p.phone_extension
            if found is None:
                writes.inserts["phone"].append(
                    {"debtor_id": debtor_id, "position": self._next("phone", debtor_id),
                     "number": p.phone, "type": kind, "extension": extension, "consent": False,
                     "rnd_result": "", **audit}
                )  # fmt: skip
                known[p.phone] = (0, kind, extension)
                touched = True
            elif found[1:] != (kind, extension) and found[0]:
                writes.updates["phone"].append(
                    {"row_id": found[0], "type": kind, "extension": extension, **stamp}
                )
                known[p.phone] = (found[0], kind, extension)
                touched = True
        if p.email is not None:
            emails = self.emails.setdefault(debtor_id, set())
            if p.email.lower() not in emails:
                writes.inserts["email"].append(
                    {"debtor_id": debtor_id, "position": self._next("email", debtor_id),
                     "address": p.email, "work": False, **audit}
                )  # fmt: skip
                emails.add(p.email.lower())
                touched = True
        if p.address is not None:
            a = p.address
            places = self.addresses.setdefault(debtor_id, {})
            key = address_key(a.line1, a.postal_code, a.country)
            place = places.get(key)
            if place is None:
                writes.inserts["address"].append(
                    {"debtor_id": debtor_id, "position": self._next("address", debtor_id),
                     "line1": a.line1, "city": a.city, "state": a.state,
                     "postal_code": a.postal_code, "country": a.country, **audit}
                )  # fmt: skip
                places[key] = (0, a.city, a.state)
                touched = True
            elif place[1:] != (a.city, a.state) and place[0]:
                writes.updates["address"].append(
                    {"row_id": place[0], "city": a.city, "state": a.state, **stamp}
                )
                places[key] = (place[0], a.city, a.state)
                touched = True
        return touched
