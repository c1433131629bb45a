"""Where an agent lands after saving an outcome, whichever comes first: the save or the call's end.

The end of the call is replayed with the dialer's own code, in the order DialerService._settle
uses (the agent's state goes to wrap_up, then CallEnded is published); the browser lane runs the
same case with the real dialer on the real Asterisk.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta

import httpx
import pytest
import redis
from console_floor import NOW, Floor, login
from redis.asyncio import Redis
from sqlalchemy.engine import Engine
from sqlmodel import Session
from test_call_flow import answer, htmx, pop_call, wait_for_call

from core.events import CallEnded
from core.models import Campaign
from dialer import agents
from dialer.notifier import Notifier

pytestmark = pytest.mark.integration


def dialer_ends_call(redis_url: str, floor: Floor, call_id: str, *, ended: bool = True) -> None:
    """What the dialer does when a connected call ends: wrap_up for the agent, then CallEnded.
    With `ended=False`, only the wrap_up: what the first agent gets when a transfer lands."""

    async def settle() -> None:
        client = Redis.from_url(redis_url)
        agent_id = floor.agent.id or 0
        await agents.write_state(client, agent_id, "wrap_up", NOW, floor.campaign.id)
        if ended:
            event = CallEnded(at=NOW, call_id=call_id, account_id=floor.account.id or 0,
                              outcome="conversation", agent_id=agent_id)  # fmt: skip
            await Notifier(client).publish(event)
        await client.aclose()  # type: ignore[attr-defined]  # stubs predate aclose

    asyncio.run(settle())


def state_becomes(client: httpx.Client, wanted: str, timeout: float = 5.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    snap: dict[str, object] = {}
    while time.monotonic() < deadline:
        snap = client.get("/agent/snapshot").json()
        if snap["state"] == wanted:
            return snap
        time.sleep(0.05)
    raise AssertionError(f"agent never reached {wanted!r}; last snapshot {snap}")


def save_promise(client: httpx.Client, token: str) -> httpx.Response:
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)
    due = (NOW + timedelta(days=7)).date().isoformat()
    form = {"code": "PTP", "promise_amount": "200.00", "promise_date": due}
    response = htmx(client, token, "/agent/outcome", form)
    assert "Saved: Promise to pay" in response.text
    return response


def hangups(redis_url: str) -> list[dict[str, object]]:
    raw = redis.Redis.from_url(redis_url).lrange("concord:call_commands", 0, -1)
    return [json.loads(r) for r in raw if json.loads(r)["action"] == "hangup"]


def test_saved_while_the_call_is_up_the_agent_is_ready_after_the_dialers_wrap_up(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    htmx(client, token, "/agent/state", {"action": "ready"})
    pop_call(redis_url, floor_data, "c-up")
    wait_for_call(client, "c-up")
    save_promise(client, token)
    assert [h["call_id"] for h in hangups(redis_url)] == ["c-up"]
    assert client.get("/agent/snapshot").json()["state"] == "on_call"  # until the call ends
    dialer_ends_call(redis_url, floor_data, "c-up")
    snap = state_becomes(client, "ready")
    assert snap["call_id"] == ""
    time.sleep(0.3)  # nothing later may put the agent back into wrap-up
    assert client.get("/agent/snapshot").json()["state"] == "ready"


def test_saved_while_the_call_is_up_with_wrap_up_time_the_agent_gets_the_timed_wrap_up(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        campaign = db.get(Campaign, floor_data.campaign.id)
        assert campaign is not None
        campaign.wrapup_seconds = 45
        db.add(campaign)
        db.commit()
    token = login(client, "ana")
    htmx(client, token, "/agent/state", {"action": "ready"})
    pop_call(redis_url, floor_data, "c-wrap")
    wait_for_call(client, "c-wrap")
    save_promise(client, token)
    dialer_ends_call(redis_url, floor_data, "c-wrap")
    deadline = time.monotonic() + 5
    until = None
    while until is None and time.monotonic() < deadline:
        until = redis.Redis.from_url(redis_url).hget(
            "concord:agent_wrapup_until", str(floor_data.agent.id)
        )
        time.sleep(0.05)
    assert until is not None, "the campaign's wrap-up timer never started"
    assert until.decode() == (NOW + timedelta(seconds=45)).isoformat()
    assert client.get("/agent/snapshot").json()["state"] == "wrap_up"


def test_call_that_ended_before_the_save_is_not_hung_up_and_the_agent_goes_ready_at_once(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    htmx(client, token, "/agent/state", {"action": "ready"})
    pop_call(redis_url, floor_data, "c-gone")
    wait_for_call(client, "c-gone")
    dialer_ends_call(redis_url, floor_data, "c-gone")
    deadline = time.monotonic() + 5
    while not client.get("/agent/snapshot").json()["ended"]:
        assert time.monotonic() < deadline, "the call never showed as ended"
        time.sleep(0.05)
    save_promise(client, token)
    assert client.get("/agent/snapshot").json()["state"] == "ready"
    assert hangups(redis_url) == []


def test_saving_after_a_transfer_to_the_lead_does_not_hang_up_the_lead_and_goes_ready(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    htmx(client, token, "/agent/state", {"action": "ready"})
    pop_call(redis_url, floor_data, "c-moved")
    wait_for_call(client, "c-moved")
    dialer_ends_call(redis_url, floor_data, "c-moved", ended=False)  # the lead took the call
    state_becomes(client, "wrap_up")
    screen = client.get("/agent").text
    assert "Call transferred to your team lead — record the outcome" in screen
    assert 'data-key="h" title="Hang up (Alt+H)" disabled' in screen  # the lead's call now
    save_promise(client, token)
    assert hangups(redis_url) == []
    assert client.get("/agent/snapshot").json()["state"] == "ready"
