"""A Ready agent whose screen closes is paused once the grace has passed, so the dialer stops
sending debtors to an empty seat; a reload inside the grace, or a call in progress, changes
nothing, and nobody is logged out."""

from __future__ import annotations

import base64
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import redis
from console_floor import Floor, login, pk
from test_call_flow import htmx, pop_call
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from core.events import SCREENS_AWAY_KEY
from core.settings import Settings

pytestmark = pytest.mark.integration
GRACE = 0.6


@pytest.fixture
def app_settings(app_settings: Settings) -> Settings:
    update = {"agent_screen_grace_seconds": GRACE, "agent_link_ping_seconds": 0.5,
              "agent_link_timeout_seconds": 1.0}  # fmt: skip
    return app_settings.model_copy(update=update)


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


@contextmanager
def _dropped_screen(client: httpx.Client, server: str) -> Iterator[socket.socket]:
    """An agent screen whose network dropped: the socket opens, then nothing more is read or
    answered (a half-open TCP link sends no close), as when Wi-Fi goes mid-shift."""
    host, port = server.split(":")
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    raw = socket.create_connection((host, int(port)), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    raw.sendall(
        f"GET /ws/agent HTTP/1.1\r\nHost: {server}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Cookie: {cookie}\r\n\r\n".encode()
    )
    seen = b""
    while b"hello" not in seen:
        seen += raw.recv(4096)
    assert seen.startswith(b"HTTP/1.1 101")
    try:
        yield raw
    finally:
        raw.close()


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


def test_a_closed_screen_marks_the_agent_away_at_once_and_a_reload_lifts_it(
    client: httpx.Client, server: str, redis_url: str, floor_data: Floor, ready: str
) -> None:
    """Review r16, finding 12: for the grace's 10 s the dialer went on placing calls for an
    agent whose tab was closed, and one was abandoned. The mark stops new placements at once;
    a reload (or another open screen) lifts it, and the agent was never paused."""
    agent = str(pk(floor_data.agent))
    store = redis.Redis.from_url(redis_url)

    def away() -> bool:
        return store.zscore(SCREENS_AWAY_KEY, agent) is not None

    _open_and_close(client, server)
    deadline = time.monotonic() + 2
    while not away():
        assert time.monotonic() < deadline, "the closed screen never marked the agent away"
        time.sleep(0.02)
    with _screen(client, server):  # the reload
        deadline = time.monotonic() + 2
        while away():
            assert time.monotonic() < deadline, "the reopened screen never lifted the mark"
            time.sleep(0.02)
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


def test_a_ready_agent_whose_link_went_silent_is_paused_within_seconds(
    client: httpx.Client, server: str, redis_url: str, floor_data: Floor, ready: str
) -> None:
    with _dropped_screen(client, server):
        started = time.monotonic()
        while _state(redis_url, floor_data)["state"] == "ready" and time.monotonic() < started + 10:
            time.sleep(0.1)
        took = time.monotonic() - started
    state = _state(redis_url, floor_data)
    assert (state["state"], state["reason"]) == ("paused", "connection_lost")
    assert took < 5  # keepalive 0.5 s + 1 s, then one presence refresh: not 50 s
    assert (
        "Paused: connection lost" in client.get("/agent/state", headers={"HX-Request": "true"}).text
    )


def test_a_lost_link_leaves_the_agent_ready_while_another_screen_of_theirs_is_open(
    client: httpx.Client, server: str, redis_url: str, floor_data: Floor, ready: str
) -> None:
    with _screen(client, server) as other, _dropped_screen(client, server):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            other.recv(timeout=1)  # a live page reads its frames (and pongs the pings)
        assert _state(redis_url, floor_data)["state"] == "ready"


def test_the_lead_sees_an_agent_on_a_call_whose_screen_is_gone(
    client: httpx.Client, server: str, redis_url: str, floor_data: Floor, ready: str
) -> None:
    """An agent who drops mid-call stays 'On call' (the call is theirs); the lead must see that
    no screen of theirs answers, or a debtor sits on a seat nobody looks at."""
    pop_call(redis_url, floor_data)
    deadline = time.monotonic() + 5
    while _state(redis_url, floor_data)["state"] != "on_call" and time.monotonic() < deadline:
        time.sleep(0.05)
    with httpx.Client(base_url=f"http://{server}", follow_redirects=True) as lead:
        login(lead, "lee")

        def screen_cell() -> str:
            page = lead.get("/lead", headers={"HX-Request": "true"}).text
            row = page.split(f'data-agent="{floor_data.agent.username}"', 1)[1]
            return row.split('class="screen">', 1)[1].split("</td>", 1)[0]

        with _screen(client, server):
            deadline = time.monotonic() + 3
            while screen_cell() != "open" and time.monotonic() < deadline:
                time.sleep(0.05)  # the socket marks its presence just after its hello
            assert screen_cell() == "open"
        time.sleep(GRACE * 2)  # the presence lapses once the screen is gone
        assert "no screen" in screen_cell()
    assert _state(redis_url, floor_data)["state"] == "on_call"


def test_a_second_sign_in_of_the_agent_ends_the_first_screen_and_says_why(
    client: httpx.Client, server: str, floor_data: Floor
) -> None:
    """Two screens of one agent both took the same pops, and either could save over the
    other's outcome: the newest sign-in is the seat, and the old screen is told."""
    login(client, "ana")
    with (
        _screen(client, server) as first,
        httpx.Client(base_url=f"http://{server}", follow_redirects=True) as other_pc,
    ):
        login(other_pc, "ana")
        with _screen(other_pc, server):
            deadline = time.monotonic() + 5
            closed = None
            while closed is None and time.monotonic() < deadline:
                try:
                    first.recv(timeout=0.5)  # beats until the socket is closed
                except TimeoutError:
                    continue
                except ConnectionClosed as exc:
                    closed = exc
            assert closed is not None and closed.rcvd is not None
            assert closed.rcvd.code == 4401  # the page goes to the login
            assert other_pc.get("/agent/snapshot").status_code == 200  # the new seat
    # the page, its socket closed, goes straight to the login: no request found the session dead
    assert "your login was used on another computer" in client.get("/login").text
    client.get("/agent/state", headers={"HX-Request": "true"})  # a background poll first
    page = client.get("/agent/snapshot")  # the first computer's next request
    assert page.url.path == "/login"
    assert "You were signed out here: your login was used on another computer at" in page.text
