"""Applying a dispositions file, and writing the stored codes back as one (see
console.dispositions_file). One transaction; codes the file does not list are left alone."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from console.dispositions_file import DispositionsFile, DispositionSpec
from core.admin_file import Change, NamesNotFound, Path
from core.admin_store import client_codes, export_scope, unknown_clients, write_changes
from core.models import ContactAttempt, DispositionCategory, DispositionCode

_FIELDS = ("label", "category", "requires", "active")


def apply(db: Session, file: DispositionsFile, actor: str, now: datetime) -> list[Change]:
    """Make every code of `file` as it says (flushed, not committed); NamesNotFound, with
    nothing changed, when a client code is unknown."""
    clients = client_codes(db)
    unknown = unknown_clients("dispositions", [s.client for s in file.dispositions], clients)
    if unknown:
        raise NamesNotFound(unknown)
    listed = {clients[s.client] for s in file.dispositions}
    could_record = {client_id: _active_categories(db, client_id) for client_id in listed}
    changes, recategorised = [], []
    for index, spec in enumerate(file.dispositions):
        client_id = clients[spec.client]
        row = db.exec(
            select(DispositionCode).where(
                DispositionCode.client_id == client_id, DispositionCode.code == spec.code
            )
        ).first()
        created = row is None
        if row is None:
            row = DispositionCode(
                client_id=client_id, code=spec.code, label=spec.label, category=spec.category,
                created_at=now,
            )  # fmt: skip
        wanted = {"label": spec.label, "category": spec.category,
                  "requires": list(spec.requires), "active": spec.active}  # fmt: skip
        changed = [f for f in _FIELDS if getattr(row, f) != wanted[f]]
        if "category" in changed and not created:
            used = _outcomes_stored(db, row)
            if used:
                recategorised.append(((*_AT, index, "category"), _RECATEGORISED.format(
                    code=spec.code, used=used, category=row.category)))  # fmt: skip
                continue
        key = (spec.client, spec.code)
        changes.append(write_changes(db, row, wanted, changed, created, key, actor, now))
    if recategorised:
        raise NamesNotFound(recategorised)
    db.flush()
    missing = _switched_off(db, file, clients, could_record)
    if missing:
        db.rollback()
        raise NamesNotFound(missing)
    return changes


# Outcomes the law needs an agent able to record on the call itself: each sets the hold that
# stops contact (core.dispositions.FLAG_OF_CATEGORY), or retires a number that reaches someone
# else. A client left without an active code for one of them cannot stop the calls it asks for.
MUST_RECORD = (
    DispositionCategory.DISPUTE, DispositionCategory.CEASE, DispositionCategory.ATTORNEY,
    DispositionCategory.BANKRUPTCY, DispositionCategory.DECEASED,
    DispositionCategory.WRONG_NUMBER,
)  # fmt: skip


def _active_categories(db: Session, client_id: int) -> set[str]:
    query = select(DispositionCode.category).where(
        DispositionCode.client_id == client_id, col(DispositionCode.active).is_(True)
    )
    return set(db.exec(query))


def _switched_off(
    db: Session, file: DispositionsFile, clients: dict[str, int], before: dict[int, set[str]]
) -> list[tuple[Path, str]]:
    """A problem per category of MUST_RECORD a client could record before the file and no
    longer after it, at the entry that switched off its last active code."""
    problems: list[tuple[Path, str]] = []
    for client_id, had in before.items():
        code = next(c for c, i in clients.items() if i == client_id)
        lost = [c for c in MUST_RECORD if c.value in had - _active_categories(db, client_id)]
        for category in lost:
            entries = [i for i, s in enumerate(file.dispositions) if s.client == code]
            at = next(
                (i for i in entries if file.dispositions[i].category == category.value), entries[0]
            )
            problems.append(
                (
                    (*_AT, at, "active"),
                    f"{code} would have no active {category.value!r} code: agents could not "
                    "record it on a call, and the hold it sets would never be set",
                )
            )
    return problems


_AT = ("dispositions",)
_RECATEGORISED = (
    "{code} already records {used} outcome(s) as {category!r}; a new category would rewrite "
    "them in every report: give {code} active: false and add a new code with the new category"
)


def _outcomes_stored(db: Session, code: DispositionCode) -> int:
    """Calls already recorded with the code: their figures read its category when reported."""
    counted = select(func.count()).where(ContactAttempt.disposition_code_id == code.id)
    return int(db.exec(counted).one())


def export(db: Session, client_code: str | None = None) -> list[DispositionSpec]:
    """The stored codes as file entries (every client's, or one's), by client and code."""
    codes, only = export_scope(db, client_code)
    query = select(DispositionCode).order_by(
        col(DispositionCode.client_id), col(DispositionCode.code)
    )
    if only is not None:
        query = query.where(DispositionCode.client_id == only)
    return [
        DispositionSpec(
            client=codes[row.client_id],
            code=row.code,
            label=row.label,
            category=row.category,
            requires=row.requires,
            active=row.active,
        )
        for row in db.exec(query)
    ]
