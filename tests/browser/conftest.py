"""Browser fixtures: the console as a real uvicorn process, Debian's chromium via Playwright.

Run in their own pytest process (`pytest tests/browser`): Playwright's sync API cannot share a
thread with a running asyncio loop. The test of a real call also starts `concord dialer` on the
session's Asterisk (dialer_floor.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.localservices import (
    Asterisk,
    RedisServer,
    free_port,
    pbx_recordings_dir,
    wait_for_port,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "console"))
from console_floor import Floor, seed
from dialer_floor import DialerProcess, hang_up_everything

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def floor_data(db_engine: Engine) -> Floor:
    with Session(db_engine, expire_on_commit=False) as db:
        return seed(db)


@pytest.fixture(scope="session")
def concord_env(
    migrated_engine: Engine, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The settings every process shares: the session's database, Redis and a var dir."""
    return {
        "CONCORD_ENVIRONMENT": "test",
        "CONCORD_DATABASE_URL": migrated_engine.url.render_as_string(hide_password=False),
        "CONCORD_REDIS_URL": redis_server.url,
        "CONCORD_VAR_DIR": str(tmp_path_factory.mktemp("concord-var")),
        "CONCORD_SECRET_KEY": "browser-test-secret",
        "CONCORD_RECORDINGS_DIR": str(pbx_recordings_dir()),
    }


@pytest.fixture(scope="session")
def console_process(
    concord_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`uvicorn console.app:create_app --factory` on a free port, as `concord web` runs it.

    One process for the session: it keeps no state of its own between requests (the database
    and Redis hold it all, and `console_url` empties both around each test), and starting it
    costs seconds of imports per test on a busy machine.
    """
    port = free_port()
    env = {**os.environ, **concord_env}
    log = (tmp_path_factory.mktemp("console") / "console.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "console.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--ws", "websockets-sansio"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


@pytest.fixture
def console_url(console_process: str, redis_url: str, floor_data: Floor) -> str:
    """The console on a flushed Redis and a freshly seeded floor for this test."""
    return console_process


@pytest.fixture
def dialer(
    asterisk: Asterisk, concord_env: dict[str, str], floor_data: Floor, tmp_path: Path
) -> Iterator[DialerProcess]:
    """`concord dialer` on the real Asterisk; the PBX is left with no channels afterwards."""
    hang_up_everything(asterisk)
    process = DialerProcess(
        {**concord_env, "CONCORD_AMI_PORT": str(asterisk.ami_port)}, tmp_path / "dialer.log"
    )
    try:
        yield process
    finally:
        process.stop()
        hang_up_everything(asterisk)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
