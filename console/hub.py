"""One Redis subscription per console process, fanned out to every agent's open websockets.

A subscription per socket would cost 500 Redis connections for 500 agents; one pattern
subscription and in-process queues keep a screen pop to a dictionary lookup. Before a
CallConnected is forwarded, the live call is written to Redis, so a browser that was away (or a
reload) finds the call in the snapshot: no lost screen pops.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict
from typing import cast

import redis.asyncio as aioredis
import structlog
from redis.exceptions import WatchError

from console.gateways import (
    AGENT_STATES,
    after_call_key,
    live_call_key,
    parse_after_call,
    queue_status,
    state_value,
)
from console.live import AgentStatus, LiveCall
from core.events import (
    ENVELOPE_VERSION,
    CallConnected,
    CallEnded,
    Event,
    parse_envelope,
    pause_pending,
)

AGENT_PATTERN = "concord:agent:*"
QUEUE_DEPTH = 256
log = structlog.get_logger("concord.console.hub")


def on_connected(
    event: CallConnected, reason: str = "", working: int | None = None
) -> tuple[LiveCall, AgentStatus]:
    """The screen pop as floor state: the call on screen and the agent on it (`reason`: a
    pause the agent asked for while the call rang, kept for after it). A call in may come under
    another campaign of the agent's (the caller's client's): the agent stays on the campaign
    they were `working`, which they go back to after it."""
    call = LiveCall(
        account_id=event.account_id,
        debtor_id=event.debtor_id,
        campaign_id=event.campaign_id,
        call_id=event.call_id,
        number=event.number,
        connected_at=event.at,
        inbound=event.inbound,
    )
    status = AgentStatus(
        agent_id=event.agent_id,
        state="on_call",
        reason=reason if pause_pending(reason) is not None else "",
        campaign_id=working if event.inbound and working is not None else event.campaign_id,
        since=event.at,
    )
    return call, status


class Subscriber:
    """One open websocket's inbox; `overflowed` tells the socket to close with SLOW_CONSUMER."""

    def __init__(self, agent_id: int) -> None:
        self.agent_id = agent_id
        self.queue: asyncio.Queue[str] = asyncio.Queue(QUEUE_DEPTH)
        self.overflowed = asyncio.Event()

    def offer(self, frame: str) -> None:
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.overflowed.set()


class AgentHub:
    def __init__(self, client: aioredis.Redis[bytes]) -> None:
        self._redis = client
        self._subscribers: dict[int, set[Subscriber]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()

    def add(self, agent_id: int) -> Subscriber:
        subscriber = Subscriber(agent_id)
        self._subscribers[agent_id].add(subscriber)
        return subscriber

    def remove(self, subscriber: Subscriber) -> None:
        peers = self._subscribers.get(subscriber.agent_id)
        if peers is not None:
            peers.discard(subscriber)
            if not peers:
                del self._subscribers[subscriber.agent_id]

    @property
    def connections(self) -> int:
        return sum(len(s) for s in self._subscribers.values())

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="agent-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        backoff = 0.2
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.psubscribe(AGENT_PATTERN)
                    self.subscribed.set()
                    backoff = 0.2
                    async for message in pubsub.listen():
                        if message["type"] == "pmessage":
                            await self._dispatch(message["channel"], message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis restarted: resubscribe; screens reload snapshots
                self.subscribed.clear()
                log.warning("hub_redis_lost", error=str(exc), retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _dispatch(self, channel: bytes | str, data: bytes | str) -> None:
        name = channel.decode() if isinstance(channel, bytes) else channel
        try:
            agent_id = int(name.rsplit(":", 1)[1])
            payload = json.loads(data)
        except ValueError as exc:
            log.warning("hub_bad_frame", channel=name, error=str(exc))
            return
        if not isinstance(payload, dict) or payload.get("v") != ENVELOPE_VERSION:
            log.warning("hub_bad_frame", channel=name, error="not a v1 envelope")
            return
        try:
            event = parse_envelope(data)
        except ValueError:
            event = None  # a dialer notice (dial_refused, command_refused): forward only
        if event is not None:
            await self._record(event)
        frame = data.decode() if isinstance(data, bytes) else data
        for subscriber in tuple(self._subscribers.get(agent_id, ())):
            subscriber.offer(frame)

    async def _record(self, event: Event) -> None:
        """Write what a later snapshot must show before any screen hears of it."""
        if isinstance(event, CallConnected):
            # A pause asked for while the call rang stands: the dialer carried it onto on_call.
            stored = await self._redis.hget(AGENT_STATES, str(event.agent_id))
            before = json.loads(stored) if stored else {}
            reason = str(before.get("reason", ""))
            working = before.get("campaign_id")
            call, status = on_connected(
                event, reason, working if isinstance(working, int) else None
            )
            # The dialer writes on_call too; writing it here as well keeps the snapshot right
            # for whatever published the pop, and the same value twice is harmless.
            pipe = self._redis.pipeline(transaction=True)
            pipe.set(live_call_key(event.agent_id), call.model_dump_json())
            pipe.hset(AGENT_STATES, str(event.agent_id), state_value(status))
            await pipe.execute()
        elif isinstance(event, CallEnded) and event.agent_id is not None:
            await self._call_ended(event.agent_id, event.call_id, event.outcome)

    async def _call_ended(self, agent_id: int, call_id: str, outcome: str) -> None:
        """Mark the call on screen as ended, or, if its outcome was saved while it was up, put
        the agent in the state the save chose (Floor.finish_call). The dialer wrote wrap_up
        before it published CallEnded, so what is stored here is what stays."""
        live, after = live_call_key(agent_id), after_call_key(agent_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(live, after)
                    raw = cast("bytes | None", await pipe.get(live))
                    call = None if raw is None else LiveCall.model_validate_json(raw)
                    waiting = parse_after_call(await pipe.get(after), call_id)
                    pipe.multi()
                    if call is not None and call.call_id == call_id:
                        # The agent stays on the account until its outcome is saved.
                        ended = call.model_copy(update={"ended": True, "outcome": outcome})
                        pipe.set(live, ended.model_dump_json())
                    elif waiting is not None:
                        pipe.delete(after)
                        queue_status(pipe, waiting)
                    else:
                        await pipe.reset()
                        return
                    await pipe.execute()
                    return
                except WatchError:
                    continue
