"""The dialer's reader of console requests outlives a Redis stall: a dialer that stopped on a
Redis read timeout took the web console and every live call on the floor down with it."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest
from redis.asyncio import Redis

from core.localservices import start_redis
from dialer.console import DIAL_REQUESTS_KEY, next_request

pytestmark = pytest.mark.integration


def test_a_request_waiting_through_a_redis_stall_is_read_once_redis_answers() -> None:
    server = start_redis()
    try:
        asyncio.run(_through_a_stall(server.url, server.process.pid))
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
        server.stop()


async def _through_a_stall(url: str, pid: int) -> None:
    redis = Redis.from_url(url, socket_timeout=0.5)
    os.kill(pid, signal.SIGSTOP)  # Redis stalls: a paused process, a slow disk, a failover
    started = time.monotonic()
    assert await next_request(redis) is None  # no exception: the dialer goes on
    assert time.monotonic() - started >= 0.5
    os.kill(pid, signal.SIGCONT)
    await redis.rpush(DIAL_REQUESTS_KEY, b'{"agent_id": 1}')
    popped = None
    for _ in range(5):
        popped = popped or await next_request(redis)
    assert popped == (DIAL_REQUESTS_KEY.encode(), b'{"agent_id": 1}')
    await redis.aclose()
