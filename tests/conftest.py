"""Fixtures that start the real services: Redis, Asterisk, the database (SQLite or PostgreSQL).

Each service is started once per pytest session on a free loopback port and cleaned around every
test, as RQ's own suite does with a dedicated Redis database.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.db import load_all_models, make_engine, migrate
from core.localservices import Asterisk, RedisServer, start_asterisk, start_redis

ASTERISK_LOCK = "/tmp/concord-asterisk.lock"


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = start_redis(appendonly=True)
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    """A flushed Redis for this test; the URL points at the session's real redis-server."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    yield redis_server.url
    client.flushall()
    client.close()


@pytest.fixture(scope="session")
def asterisk() -> Iterator[Asterisk]:
    """The real Asterisk 22 from ../shared/asterisk with infra/asterisk, on a free AMI port.

    Only one Asterisk can run per machine (one chroot), so a second pytest process waits on a
    lock file until the first is done with it, instead of getting its instance and its port.
    """
    with open(ASTERISK_LOCK, "w") as lock:
        deadline = time.monotonic() + 900
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another test run held {ASTERISK_LOCK} for 15 minutes")
                time.sleep(0.2)
        pbx = start_asterisk()
        try:
            yield pbx
        finally:
            pbx.stop()


def pytest_report_header() -> str:
    return f"database: {os.environ.get('CONCORD_TEST_DATABASE_URL', 'sqlite (temp file)')}"


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite in a temp file, or the PostgreSQL in CONCORD_TEST_DATABASE_URL (the PG lane)."""
    url = os.environ.get("CONCORD_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'concord.db'}"


@pytest.fixture(scope="session")
def migrated_engine(db_url: str) -> Iterator[Engine]:
    """The database migrated once per session through the real Alembic migrations."""
    migrate(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db_engine(migrated_engine: Engine) -> Iterator[Engine]:
    """A migrated database, emptied after the test so tests do not see each other's rows."""
    yield migrated_engine
    tables = reversed(load_all_models().metadata.sorted_tables)
    with migrated_engine.begin() as connection:
        if migrated_engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    """A session on the test database; the test commits what it wants to persist."""
    with Session(db_engine, expire_on_commit=False) as db_session:
        yield db_session
