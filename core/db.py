"""Database engine, sessions and migrations (SQLite by default, PostgreSQL tested).

Repositories take a Session and never commit on their own: the caller owns the transaction, so a
disposition and its follow-up job record can be written together or not at all.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

from core.schema import SchemaNotCurrent

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Every package that owns tables; Alembic and the tests need all of them in one metadata.
MODEL_MODULES = (
    "core.models",
    "compliance.models",
    "dialer.models",
    "scripts_library.models",
    "outreach.models",
    "qa.models",
    "console.models",
)


def load_all_models() -> type[SQLModel]:
    """Import every package's table module so SQLModel.metadata knows all tables."""
    for name in MODEL_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    return SQLModel


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web app read while a worker writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite files get their folder created and sane pragmas."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def alembic_config(url: str) -> Config:
    """Alembic configured in code, so `concord` works from any directory."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema of every package (all heads)."""
    if url.startswith("sqlite"):
        make_engine(url).dispose()  # creates the folder of a new SQLite file
    command.upgrade(alembic_config(url), "heads")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def schema_gap(engine: Engine, url: str) -> str | None:
    """Why the schema at `url` is not this Concord's (None when it is), in an admin's words."""
    script = ScriptDirectory.from_config(alembic_config(url))
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    wanted = set(script.get_heads())
    if current == wanted:
        return None
    known = {rev.revision for rev in script.walk_revisions()}
    if current - known:
        return (
            f"the database was migrated by a newer Concord ({', '.join(sorted(current - known))});"
            " use that version"
        )
    at = ", ".join(sorted(current)) or "no Concord schema"
    return (
        f"the database is at {at}; this Concord expects {', '.join(sorted(wanted))}: "
        "run `concord db migrate` first (with the running services stopped or upgraded)"
    )


@contextmanager
def command_session(url: str, *, reading: bool = False) -> Iterator[Session]:
    """A session for one admin command on the database at `url`, migrated first (a fresh
    install may run `concord users add` before anything else). A command that only reads
    (`reading`) never migrates: run from a newer checkout, it would change the schema under
    the running services; it refuses with SchemaNotCurrent instead. Nothing is committed here:
    the command decides, so a refused request leaves the database as it was."""
    if not reading:
        migrate(url)
    engine = make_engine(url)
    gap = schema_gap(engine, url) if reading else None
    if gap is not None:
        engine.dispose()
        raise SchemaNotCurrent(gap)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()
