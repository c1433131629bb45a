"""Applying a dispositions file, and writing the stored codes back as one (see
console.dispositions_file). One transaction; codes the file does not list are left alone."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from console.dispositions_file import DispositionsFile, DispositionSpec
from core.admin_file import Change, NamesNotFound, Path
from core.models import Client, DispositionCode

_FIELDS = ("label", "category", "requires", "active")


def apply(db: Session, file: DispositionsFile, actor: str, now: datetime) -> list[Change]:
    """Make every code of `file` as it says (flushed, not committed); NamesNotFound, with
    nothing changed, when a client code is unknown."""
    clients = {c.code: c.id for c in db.exec(select(Client)) if c.id is not None}
    unknown: list[tuple[Path, str]] = [
        (("dispositions", i, "client"), f"no client with code {spec.client!r}")
        for i, spec in enumerate(file.dispositions)
        if spec.client not in clients
    ]
    if unknown:
        raise NamesNotFound(unknown)
    changes = []
    for spec in file.dispositions:
        client_id = clients[spec.client]
        row = db.exec(
            select(DispositionCode).where(
                DispositionCode.client_id == client_id, DispositionCode.code == spec.code
            )
        ).first()
        action = "updated"
        if row is None:
            row = DispositionCode(
                client_id=client_id, code=spec.code, label=spec.label, category=spec.category,
                created_at=now,
            )  # fmt: skip
            action = "created"
        wanted = {"label": spec.label, "category": spec.category,
                  "requires": list(spec.requires), "active": spec.active}  # fmt: skip
        changed = [f for f in _FIELDS if getattr(row, f) != wanted[f]]
        if action == "created" or changed:
            for field in changed:
                setattr(row, field, wanted[field])
            row.updated_at, row.updated_by = now, actor
            db.add(row)
        else:
            action = "unchanged"
        changes.append(Change(spec.client, spec.code, action, tuple(changed)))
    db.flush()
    return changes


def export(db: Session, client_code: str | None = None) -> list[DispositionSpec]:
    """The stored codes as file entries (every client's, or one's), by client and code."""
    clients = {c.id: c.code for c in db.exec(select(Client))}
    query = select(DispositionCode).order_by(
        col(DispositionCode.client_id), col(DispositionCode.code)
    )
    if client_code is not None:
        ids = [cid for cid, code in clients.items() if code == client_code]
        if not ids:
            raise LookupError(f"no client with code {client_code!r}")
        query = query.where(DispositionCode.client_id == ids[0])
    return [
        DispositionSpec(
            client=clients[row.client_id],
            code=row.code,
            label=row.label,
            category=row.category,
            requires=row.requires,
            active=row.active,
        )
        for row in db.exec(query)
    ]
