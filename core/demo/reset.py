"""Remove a previous demo, and everything that refers to it, before seeding again (`--reset`).

Other packages add tables that point at accounts, attempts and users (the compliance ledger,
QA reviews...), so the rows to delete are found by walking every foreign key in the metadata
from the demo's roots (its clients, users and team) rather than by a fixed list of tables.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, or_, select
from sqlmodel import Session

from core.db import load_all_models
from core.demo import catalog
from core.models import Client, Team, User
from core.placements.bulk import table_of


def remove_demo(session: Session) -> int:
    """Delete the demo's rows in the caller's transaction; returns how many rows went.

    A row goes when it is a demo root or any of its foreign keys points at a row that goes; a
    call logged by a demo agent on a real account goes with the agent (demo databases only).
    """
    roots: dict[str, ColumnElement[bool]] = {
        "client": table_of(Client).c.code.in_([c.code for c in catalog.CLIENTS]),
        "user": table_of(User).c.username.in_([u.username for u in catalog.USERS]),
        "team": table_of(Team).c.name == catalog.TEAM_NAME,
    }
    tables = load_all_models().metadata.sorted_tables  # parents before children
    doomed: dict[str, ColumnElement[bool]] = {}
    for table in tables:
        conditions = [roots[table.name]] if table.name in roots else []
        for fk in table.foreign_keys:
            parent = fk.column.table
            if parent is not table and parent.name in doomed:
                chosen = select(fk.column).where(doomed[parent.name])
                conditions.append(fk.parent.in_(chosen))
        if conditions:
            doomed[table.name] = or_(*conditions)
    connection = session.connection()
    removed = 0
    for table in reversed(tables):  # children before the rows they point at
        if table.name in doomed:
            removed += connection.execute(delete(table).where(doomed[table.name])).rowcount
    return removed
