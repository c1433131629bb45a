"""Helpers for the AMI integration tests: an event watcher, agent login, and a TCP proxy that
can cut the AMI connection the way a network or a firewall would."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from dialer.ami import AmiClient, Delivery, Message, Subscription

SIM = "concord-sim-pstn"


def number(outcome: int, seconds: int = 0) -> str:
    """A simulated number: +1 202 555 01 D N (see infra/asterisk/README.md)."""
    return f"+120255501{outcome}{seconds}"


class Watch:
    """Everything one subscription delivered, kept in order, to poll with a deadline."""

    def __init__(self, client: AmiClient, events: set[str] | None = None) -> None:
        self.sub: Subscription = client.subscribe(events)
        self.items: list[Delivery] = []
        self._task = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        async for item in self.sub:
            self.items.append(item)

    def close(self) -> None:
        self.sub.close()
        self._task.cancel()

    def messages(self, name: str | None = None, uid: str | None = None) -> list[Message]:
        return [
            m
            for m in self.items
            if isinstance(m, Message)
            and (name is None or m.name == name)
            and (uid is None or m.get("Uniqueid") == uid)
        ]

    def user_events(self, kind: str, uid: str | None = None) -> list[Message]:
        return [m for m in self.messages("UserEvent", uid) if m.get("UserEvent") == kind]

    async def wait_for(
        self, found: Callable[[], list[Message]] | Callable[[], list[Delivery]], timeout: float = 10
    ) -> Message:
        """The first item `found()` returns, polling until `timeout` seconds have passed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hits = found()
            if hits:
                hit = hits[0]
                assert isinstance(hit, Message)
                return hit
            await asyncio.sleep(0.01)
        seen = [(m.name, m.get("Uniqueid"), m.get("UserEvent")) for m in self.messages()]
        raise AssertionError(f"not seen within {timeout}s; last events: {seen[-15:]}")

    async def wait_items(self, kind: type, timeout: float = 15) -> list[Delivery]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hits = [i for i in self.items if isinstance(i, kind)]
            if hits:
                return hits
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {kind.__name__} within {timeout}s")


async def login_agent(client: AmiClient, watch: Watch, agent: str) -> str:
    """Sit a simulated agent in its conference; returns the agent leg's ChannelId."""
    channel_id = f"agent-{agent}-{time.monotonic_ns() % 10**9}"
    await client.originate(
        f"Local/{agent}@concord-sim-softphone", channel_id, context="concord-agents", exten=agent
    )
    await watch.wait_for(lambda: watch.messages("ConfbridgeJoin", channel_id))
    return channel_id


async def dial(
    client: AmiClient, call_id: str, dialled: str, timeout_ms: int = 10_000, **variables: str
) -> None:
    await client.originate(
        f"Local/{dialled}@{SIM}", call_id, context="concord-dialer", exten="s",
        timeout_ms=timeout_ms, variables=variables,
    )  # fmt: skip


def stamp(message: Message) -> float:
    """Asterisk's own clock for an event (manager.conf timestampevents = yes)."""
    return float(message["Timestamp"])


class TcpProxy:
    """127.0.0.1:port -> the AMI port; `cut()` drops every connection, `down` refuses new ones."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.down = False
        self._pipes: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut(self) -> None:
        for writer in list(self._pipes):
            writer.transport.abort()
        self._pipes.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.down:
            writer.transport.abort()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._pipes |= {writer, up_writer}
        await asyncio.gather(self._copy(reader, up_writer), self._copy(up_reader, writer))

    async def _copy(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.transport.abort()
