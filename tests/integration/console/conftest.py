"""The console app on the test's real Redis and migrated database, with a fixed clock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from console_floor import NOW, Floor, seed
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner, Result

from console.app import create_app
from core.cli import app as concord
from core.localservices import free_port, wait_for_port
from core.settings import Settings, get_settings


@pytest.fixture
def floor_data(db_engine: Engine) -> Floor:
    with Session(db_engine, expire_on_commit=False) as db:
        return seed(db)


@pytest.fixture
def app_settings(db_engine: Engine, redis_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=db_engine.url.render_as_string(hide_password=False),
        redis_url=redis_url,
        var_dir=tmp_path,
        secret_key="test-secret-key-for-console",
        floor_timezone="UTC",  # NOW's "today" must not move with the machine's zone
    )


@pytest.fixture
def clock() -> list[datetime]:
    """The console's now: NOW unless a test moves it (clock[0] = ...)."""
    return [NOW]


@pytest.fixture
def server(app_settings: Settings, floor_data: Floor, clock: list[datetime]) -> Iterator[str]:
    """The console under a real uvicorn in a thread (lifespan, websockets and all)."""
    app = create_app(app_settings)
    app.state.clock = lambda: clock[0]
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio",
        ws_ping_interval=app_settings.agent_link_ping_seconds,
        ws_ping_timeout=app_settings.agent_link_timeout_seconds,
    )  # fmt: skip
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    wait_for_port(port)
    yield f"127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(10)


@pytest.fixture
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"http://{server}", follow_redirects=True) as http:
        yield http


@pytest.fixture
def numbers(db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """`concord numbers ARGS...` on the test database, run through sudo by "sam.ops"."""
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_engine.url.render_as_string(False))
    monkeypatch.setenv("SUDO_USER", "sam.ops")
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(concord, ["numbers", *args])
    get_settings.cache_clear()
