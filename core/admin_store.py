"""The database half every admin file shares: clients by code, and writing one entry's changes.

Kept apart from core.admin_file (pure: text in, model out) so the file checks stay testable
without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from core.admin_file import Change, Path
from core.models import Audited, Client


def listing(names: Iterable[str]) -> str:
    """Names for a message saying what there is: sorted, the first twelve, or 'none yet'."""
    shown = sorted(names)
    return ", ".join(shown[:12]) + (" …" if len(shown) > 12 else "") if shown else "none yet"


def client_codes(db: Session) -> dict[str, int]:
    """Every client's id by its code."""
    return {c.code: c.id for c in db.exec(select(Client)) if c.id is not None}


def unknown_clients(
    list_key: str, wanted: Sequence[str], known: Mapping[str, int]
) -> list[tuple[Path, str]]:
    """A problem per entry whose client code is not a client's (with the codes there are)."""
    there = listing(known)
    return [
        (
            (list_key, i, "client"),
            f"no client with code {code!r} (clients: {there}); "
            "a client is created by its first placement import",
        )
        for i, code in enumerate(wanted)
        if code not in known
    ]


def namesake(name: str, existing: Iterable[str]) -> str | None:
    """The existing name that `name`, when new, matches but for case or spacing: a typo in all
    likelihood. A portfolio or campaign created from it would leave the real one under its old
    rules (and a campaign's 30-day abandon ledger would start again at zero)."""
    names = set(existing)
    if name in names:
        return None

    def folded(text: str) -> str:
        return " ".join(text.casefold().split())

    return next((other for other in sorted(names) if folded(other) == folded(name)), None)


def export_scope(db: Session, client_code: str | None) -> tuple[dict[int, str], int | None]:
    """(client code by id, the one client's id or None for all); LookupError for a code that
    is not a client's."""
    codes = {client_id: code for code, client_id in client_codes(db).items()}
    if client_code is None:
        return codes, None
    for client_id, code in codes.items():
        if code == client_code:
            return codes, client_id
    raise LookupError(f"no client with code {client_code!r}")


def write_changes(
    db: Session,
    row: Audited,
    wanted: Mapping[str, Any],
    changed: Sequence[str],
    created: bool,
    key: tuple[str, str],
    actor: str,
    now: datetime,
) -> Change:
    """Sets the `changed` fields of `row` to `wanted`, stamps who and when, and says what
    applying did: created, updated (which fields) or unchanged (the row is left untouched)."""
    if not (created or changed):
        return Change(key[0], key[1], "unchanged")
    for field in changed:
        setattr(row, field, wanted[field])
    row.updated_at, row.updated_by = now, actor
    db.add(row)
    return Change(key[0], key[1], "created" if created else "updated", tuple(changed))
