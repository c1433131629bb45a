"""The agent's state and live call are read as one: the hub writes both at a screen pop, and a
snapshot that paired the new call with the state before it showed an agent 'paused' on a call."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import redis

from console.gateways import AGENT_STATES, Floor, live_call_key, state_value
from console.hub import on_connected
from console.live import AgentStatus
from core.events import CallConnected

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)


def flip(client: redis.Redis[bytes], stop: threading.Event) -> None:
    """Pop a call and take it away again, each as one transaction, as the hub writes them."""
    paused = AgentStatus(agent_id=1, state="paused", reason="logged_in", since=NOW)
    n = 0
    while not stop.is_set():
        n += 1
        event = CallConnected(
            at=NOW,
            call_id=f"c-{n}",
            agent_id=1,
            account_id=1,
            debtor_id=1,
            campaign_id=1,
            number="+12025550111",
            answer_to_agent_ms=1,
        )
        call, status = on_connected(event)
        with client.pipeline(transaction=True) as pipe:
            pipe.set(live_call_key(1), call.model_dump_json())
            pipe.hset(AGENT_STATES, "1", state_value(status))
            pipe.execute()
        with client.pipeline(transaction=True) as pipe:
            pipe.delete(live_call_key(1))
            pipe.hset(AGENT_STATES, "1", state_value(paused))
            pipe.execute()


def test_the_desk_never_pairs_a_live_call_with_the_state_before_it(redis_url: str) -> None:
    floor = Floor(redis.Redis.from_url(redis_url))
    stop = threading.Event()
    writer = threading.Thread(target=flip, args=(redis.Redis.from_url(redis_url), stop))
    writer.start()
    try:
        reads = [floor.desk(1, NOW) for _ in range(3000)]
    finally:
        stop.set()
        writer.join()
    assert {call is not None for _, call in reads} == {True, False}  # both were seen
    assert all((status.state == "on_call") == (call is not None) for status, call in reads)
