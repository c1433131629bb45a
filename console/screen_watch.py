"""Pausing a Ready agent whose screen has been closed for a while.

The dialer sends calls to agents whose state says Ready. An agent who shuts the laptop or
closes the browser while Ready stayed Ready for as long as nobody noticed, and every debtor
the dialer connected to that seat heard silence. Each open agent screen keeps a short-lived
presence key in Redis alive; when a screen closes, the console looks again after the grace
period and, if no screen of that agent is open anywhere (any console process, any tab), pauses
the agent with the reason "screen closed". A reload or a network drop reconnects well within
the grace, and nobody is logged out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import cast

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from console.gateways import AGENT_STATES, parse_state, queue_status
from console.logs import log
from console.services.agent_state import screen_closed


def presence_key(agent_id: int) -> str:
    return f"concord:agent:{agent_id}:screen"


class ScreenWatch:
    """Presence of agent screens, and the delayed check after one closes."""

    def __init__(
        self, client: aioredis.Redis[bytes], grace: float, clock: Callable[[], datetime]
    ) -> None:
        self._redis, self._grace, self._clock = client, grace, clock
        self._checks: set[asyncio.Task[None]] = set()

    @property
    def refresh_every(self) -> float:
        """How often an open screen renews its presence: well inside the key's lifetime."""
        return self._grace / 4

    async def seen(self, agent_id: int) -> None:
        """An open screen of the agent: alive for half the grace unless renewed. Redis away
        does not close the screen: the hub's own reconnect will show it."""
        try:
            await self._redis.set(presence_key(agent_id), "1", px=int(self._grace * 500))
        except Exception as exc:
            log.warning("screen_presence_failed", agent_id=agent_id, error=str(exc))

    def closed(self, agent_id: int) -> None:
        """A screen of the agent closed: look again once the grace has passed."""
        task = asyncio.create_task(self._check(agent_id), name=f"screen-check-{agent_id}")
        self._checks.add(task)
        task.add_done_callback(self._checks.discard)

    async def stop(self) -> None:
        for task in tuple(self._checks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _check(self, agent_id: int) -> None:
        await asyncio.sleep(self._grace)
        try:
            if await self._redis.exists(presence_key(agent_id)):
                return  # reconnected, or another tab is open
            await self._pause(agent_id)
        except Exception as exc:  # Redis away: the agent stays as they were, as before
            log.warning("screen_check_failed", agent_id=agent_id, error=str(exc))

    async def _pause(self, agent_id: int) -> None:
        """Store the pause only if the state is still the one judged (the dialer may connect a
        call meanwhile: its on_call must not be overwritten)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(AGENT_STATES)
                    raw = cast("bytes | None", await pipe.hget(AGENT_STATES, str(agent_id)))
                    if raw is None:
                        return
                    now = self._clock()
                    after = screen_closed(parse_state(agent_id, raw, None, now), now)
                    if after is None:
                        return
                    pipe.multi()
                    queue_status(pipe, after)
                    await pipe.execute()
                    was = json.loads(raw).get("state")
                    log.info("agent_paused_screen_closed", agent_id=agent_id, was=was)
                    return
                except WatchError:
                    continue
