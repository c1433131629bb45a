"""Browser fixtures: the console as a real uvicorn process, Debian's chromium via Playwright.

Run in their own pytest process (`pytest -p no:asyncio tests/browser`): Playwright's sync API
cannot share a thread with a running asyncio loop.
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

from core.localservices import free_port, wait_for_port

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "console"))
from console_floor import Floor, seed

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


@pytest.fixture
def console_url(
    db_engine: Engine, redis_url: str, floor_data: Floor, tmp_path: Path
) -> Iterator[str]:
    """`uvicorn console.app:create_app --factory` on a free port, as `concord web` runs it."""
    port = free_port()
    env = {
        **os.environ,
        "CONCORD_ENVIRONMENT": "test",
        "CONCORD_DATABASE_URL": db_engine.url.render_as_string(hide_password=False),
        "CONCORD_REDIS_URL": redis_url,
        "CONCORD_VAR_DIR": str(tmp_path),
        "CONCORD_SECRET_KEY": "browser-test-secret",
    }
    log = (tmp_path / "console.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "console.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--ws", "websockets-sansio"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


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
