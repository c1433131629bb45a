"""How the client hands out what it receives: list-action results and event subscriptions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from .message import Message
from .reconcile import Notice

Delivery = Message | Notice


@dataclass(frozen=True, slots=True)
class ListResult:
    """A list action's response and the events it produced (`CoreShowChannel`, `Status`...)."""

    response: Message
    events: tuple[Message, ...]


class Subscription:
    """Events and notices in arrival order, through an unbounded queue (nothing is dropped).

    Iterate with `async for item in sub`, or `await sub.get()`. `close()` stops delivery.
    """

    def __init__(
        self, events: frozenset[str] | None, on_close: Callable[[Subscription], None]
    ) -> None:
        self._on_close = on_close
        self._events = events
        self._queue: asyncio.Queue[Delivery] = asyncio.Queue()

    def wants(self, message: Message) -> bool:
        return self._events is None or message.name in self._events

    def put(self, item: Delivery) -> None:
        self._queue.put_nowait(item)

    async def get(self) -> Delivery:
        return await self._queue.get()

    def get_nowait(self) -> Delivery | None:
        try:
            return self._queue.get_nowait()
        except asyncio.QueueEmpty:
            return None

    def close(self) -> None:
        self._on_close(self)

    def __aiter__(self) -> AsyncIterator[Delivery]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Delivery]:
        while True:
            yield await self._queue.get()
