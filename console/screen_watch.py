"""Pausing a Ready agent whose screen has been closed for a while.

The dialer sends calls to agents whose state says Ready. An agent who shuts the laptop or
closes the browser while Ready stayed Ready for as long as nobody noticed, and every debtor
the dialer connected to that seat heard silence. Each open agent screen keeps a short-lived
presence key in Redis alive; when a screen closes, the console looks again after the grace
period and, if no screen of that agent is open anywhere (any console process, any tab), pauses
the agent with the reason "screen closed". A reload reconnects well within the grace, and
nobody is logged out.

A network drop closes nothing: the TCP connection is left half-open and the page keeps saying
"live" while debtors are connected to the seat. The websocket keepalive (a protocol ping the
browser's network stack answers, so a background tab's throttled timers cannot miss it) ends
such a link within seconds; a link that ended that way, not by the page leaving, is `lost`:
its presence goes at once and the agent is paused ("connection lost") unless another of
their screens renews it meanwhile.
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

from console.gateways import AGENT_STATES, parse_state, presence_key, queue_status
from console.logs import log
from console.services.agent_state import CONNECTION_LOST, SCREEN_CLOSED, screen_closed
from core.events import SCREENS_AWAY_KEY


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
        """An open screen of the agent: alive for half the grace unless renewed, and the
        dialer may place calls for them again. Redis away does not close the screen: the hub's
        own reconnect will show it."""
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.set(presence_key(agent_id), "1", px=int(self._grace * 500))
                pipe.zrem(SCREENS_AWAY_KEY, str(agent_id))
                await pipe.execute()
        except Exception as exc:
            log.warning("screen_presence_failed", agent_id=agent_id, error=str(exc))

    def closed(self, agent_id: int) -> None:
        """A screen of the agent closed: no new calls are placed for them meanwhile (a call
        placed now would be answered by a debtor the agent cannot see: an abandon, or worse),
        and the console looks again once the grace has passed. Another open screen of theirs,
        or the reload, lifts the mark within one refresh."""
        self._away(agent_id, self._grace)
        self._look_again(agent_id, self._grace, SCREEN_CLOSED)

    def lost(self, agent_id: int) -> None:
        """A screen's link went silent (a network drop): its presence ends now, and the agent
        is paused unless another open screen of theirs renews it within one refresh."""
        self._away(agent_id, self.refresh_every + 1.0)
        self._look_again(agent_id, self.refresh_every + 1.0, CONNECTION_LOST, forget=True)

    def _away(self, agent_id: int, seconds: float) -> None:
        lapses = self._clock().timestamp() + seconds + 5.0  # past the pause that follows
        task = asyncio.create_task(self._mark_away(agent_id, lapses), name=f"away-{agent_id}")
        self._checks.add(task)
        task.add_done_callback(self._checks.discard)

    async def _mark_away(self, agent_id: int, lapses: float) -> None:
        try:
            await self._redis.zadd(SCREENS_AWAY_KEY, {str(agent_id): lapses})
        except Exception as exc:  # the grace and the pause still stand
            log.warning("screen_away_failed", agent_id=agent_id, error=str(exc))

    def _look_again(self, agent_id: int, after: float, reason: str, forget: bool = False) -> None:
        check = self._check(agent_id, after, reason, forget)
        task = asyncio.create_task(check, name=f"screen-check-{agent_id}")
        self._checks.add(task)
        task.add_done_callback(self._checks.discard)

    async def stop(self) -> None:
        for task in tuple(self._checks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _check(self, agent_id: int, after: float, reason: str, forget: bool) -> None:
        try:
            if forget:
                await self._redis.delete(presence_key(agent_id))
            await asyncio.sleep(after)
            if await self._redis.exists(presence_key(agent_id)):
                return  # reconnected, or another tab is open
            await self._pause(agent_id, reason)
        except Exception as exc:  # Redis away: the agent stays as they were, as before
            log.warning("screen_check_failed", agent_id=agent_id, error=str(exc))

    async def _pause(self, agent_id: int, reason: str) -> None:
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
                    after = screen_closed(parse_state(agent_id, raw, None, now), now, reason)
                    if after is None:
                        return
                    pipe.multi()
                    queue_status(pipe, after)
                    await pipe.execute()
                    was = json.loads(raw).get("state")
                    log.info("agent_paused_no_screen", agent_id=agent_id, was=was, reason=reason)
                    return
                except WatchError:
                    continue
