"""Applying a dispositions file, and writing the stored codes back as one (see
console.dispositions_file). One transaction; codes the file does not list are left alone."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from console.dispositions_file import DispositionsFile, DispositionSpec
from core.admin_file import Change, NamesNotFound
from core.admin_store import client_codes, export_scope, unknown_clients, write_changes
from core.models import ContactAttempt, DispositionCode

_FIELDS = ("label", "category", "requires", "active")


def apply(db: Session, file: DispositionsFile, actor: str, now: datetime) -> list[Change]:
    """Make every code of `file` as it says (flushed, not committed); NamesNotFound, with
    nothing changed, when a client code is unknown."""
    clients = client_codes(db)
    unknown = unknown_clients("dispositions", [s.client for s in file.dispositions], clients)
    if unknown:
        raise NamesNotFound(unknown)
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
    return changes


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
