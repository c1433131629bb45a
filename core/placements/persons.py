"""Which debtor a newly placed account belongs to: a person the client already placed, or a new one.

A client places one person's accounts (two cards, a card and a loan) as separate rows, often in
separate files. Holds that belong to the person, a bankruptcy or a death, are kept on the debtor,
so they stop contact on every account of that person only if those accounts share the debtor.
Without a national identifier on file, the same person is the same name (case and accents as
typed aside), the same date of birth, and at least one shared phone, email or address: name and
birth date alone join two John Smiths born on the same day, which in a 100,000-row book is not
rare, and a joined stranger would hear about the other's debt.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date

from core.placements.contacts import ContactBook, address_key
from core.placements.rows import Placement

PersonKey = tuple[str, str, date]


def _folded(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def person_key(first_name: str, last_name: str, born: date | None) -> PersonKey | None:
    """Name and birth date as compared; None without a birth date (never matched)."""
    if born is None:
        return None
    return (_folded(first_name), _folded(last_name), born)


class People:
    """The client's debtors that a chunk's new accounts could belong to, by name and birth."""

    def __init__(self, rows: Iterable[tuple[int, str, str, date | None]] = ()) -> None:
        self._by_key: dict[PersonKey, list[int]] = {}
        for debtor_id, first, last, born in rows:
            self.add(debtor_id, person_key(first, last, born))

    def add(self, debtor_id: int, key: PersonKey | None) -> None:
        if key is not None:
            self._by_key.setdefault(key, []).append(debtor_id)

    def debtor_ids(self) -> list[int]:
        return sorted({d for ids in self._by_key.values() for d in ids})

    def match(self, p: Placement, book: ContactBook) -> int | None:
        """The debtor this placement's person already is, or None for a new person."""
        key = person_key(p.first_name, p.last_name, p.date_of_birth)
        for debtor_id in self._by_key.get(key, []) if key is not None else []:
            if _shares_contact(p, debtor_id, book):
                return debtor_id
        return None


def _shares_contact(p: Placement, debtor_id: int, book: ContactBook) -> bool:
    if p.phone is not None and p.phone in book.phones.get(debtor_id, {}):
        return True
    if p.email is not None and p.email.lower() in book.emails.get(debtor_id, set()):
        return True
    if p.address is not None:
        a = p.address
        return address_key(a.line1, a.postal_code, a.country) in book.addresses.get(debtor_id, {})
    return False
