"""A Ready agent whose screen closes is paused once the grace has passed, so the dialer stops
sending debtors to an empty seat; a reload inside the grace, or a call in progress, changes
nothing, and nobody is logged out."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import redis
from console_floor import Floor, login, pk
from test_call_flow import htmx, pop_call
from websockets.sync.client import ClientConnection, connect

from core.settings import Settings

pytestmark = pytest.mark.integration
GRACE = 0.6


@pytest.fixture
def app_settings(app_settings: Settings) -> Settings:
    return app_settings.model_copy(update={"agent_screen_grace_seconds": GRACE})


def _state(redis_url: str, floor: Floor) -> dict[str, object]:
    raw = redis.Redis.from_url(redis_url).hget("concord:agent_states", str(pk(floor.agent)))
    assert raw is not None
    state: dict[str, object] = json.loads(raw)
    return state


@contextmanager
def _screen(client: httpx.Client, server: str) -> Iterator[ClientConnection]:
    """The agent page's socket, open for the block."""
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    with connect(f"ws://{server}/ws/agent", additional_headers={"Cookie": cookie}) as ws:
        assert json.loads(ws.recv(timeout=5))["op"] == "hello"
        yield ws


def _open_and_close(client: httpx.Client, server: str) -> None:
    with _screen(client, server):
        pass


@pytest.fixture
def ready(client: httpx.Client, redis_url: str, floor_data: Floor) -> Iterator[str]:
    token = login(client, "ana")
    htmx(client, token, "/agent/state", {"action": "ready"})
    assert _state(redis_url, floor_data)["state"] == "ready"
    yield token


def test_a_ready_agent_whose_screen_closed_is_paused_not_logged_out(
    client: httpx.Client, server: str, redis_url: str, floor_data: Floor, ready: str
) -> None:
    _open_and_close(client, server)

    deadline = time.monotonic() + 5
    while _state(redis_url, floor_data)["state"] == "ready" and time.monotonic() < deadline:
        time.sleep(0.1)
    state = _state(redis_url, floor_data)
    assert (state["state"], state["reason"]) == ("paused", "screen_closed")
    bar = client.get("/agent/state", headers={"HX-Request": "true"}).text
    assert "Paused: screen closed" in bar
    assert htmx(client, ready, "/agent/state", {"action": "ready"}).status_code == 200
    assert _state(redis_url, floor_data)["state"] == "ready"  # one click, no new login


def test_a_screen_reopened_inside_the_grace_keeps_the_agent_ready(
    client: httpx.Client, server: str, redis_url: str, floor_data: Floor, ready: str
) -> None:
    _open_and_close(client, server)
    with _screen(client, server):  # a reload
        time.sleep(GRACE * 3)
        assert _state(redis_url, floor_data)["state"] == "ready"


def test_an_agent_on_a_call_is_left_on_it_when_the_screen_closes(
    client: httpx.Client, server: str, redis_url: str, floor_data: Floor, ready: str
) -> None:
    pop_call(redis_url, floor_data)
    deadline = time.monotonic() + 5
    while _state(redis_url, floor_data)["state"] != "on_call" and time.monotonic() < deadline:
        time.sleep(0.05)
    _open_and_close(client, server)

    time.sleep(GRACE * 3)

    assert _state(redis_url, floor_data)["state"] == "on_call"
