"""A thin asyncio AMI client over the sans-IO parser: actions, events, and staying connected.

The client knows AMI, not the dialer: it logs in, waits for `FullyBooted`, correlates every
action with its response by ActionID (so any number of coroutines may send at once), fans events
out to subscribers, and keeps the session alive: a ping every few seconds, and on EOF, a reset
or a silent peer it reconnects with exponential backoff, logs in again and reconciles.

Calls are keyed by the ChannelId passed in `originate` (Asterisk returns it as `Uniqueid`, even
on failure). The client remembers those ids until it sees their `Hangup` or a failed
`OriginateResponse`; after every reconnect it publishes a `Reconciled` notice saying which are
still live and which ended unseen, so the dialer can account for every attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import random
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from .errors import AmiActionError, AmiConnectionLost, AmiError, AmiLoginError
from .message import Message, encode_action
from .parser import AmiParser, AmiProtocolError
from .reconcile import ConnectionLost, Notice, Reconciled, reconcile
from .subscription import Delivery, ListResult, Subscription

log = logging.getLogger(__name__)

Headers = Mapping[str, str] | Iterable[tuple[str, str]]
T = TypeVar("T")

# Our ChannelIds name recording files and cross the wire unquoted: keep them to a safe alphabet.
CHANNEL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(slots=True)
class _Pending:
    action: str
    future: asyncio.Future[Message | ListResult]
    is_list: bool
    response: Message | None = None
    events: list[Message] | None = None
    on_complete: Callable[[ListResult], None] | None = None


class AmiClient:
    """One AMI connection that stays up. Build it, `await start()`, and `await close()`.

    `start()` returns once logged in and `FullyBooted`. Actions sent while reconnecting wait
    (up to their timeout) for the next session instead of failing at once.
    """

    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        secret: str,
        *,
        action_timeout: float = 10.0,
        connect_timeout: float = 5.0,
        boot_timeout: float = 30.0,
        ping_interval: float = 5.0,
        backoff_initial: float = 0.1,
        backoff_max: float = 2.0,
    ) -> None:
        self.host, self.port = host, port
        self._username, self._secret = username, secret
        self.action_timeout = action_timeout
        self._connect_timeout = connect_timeout
        self._boot_timeout = boot_timeout
        self._ping_interval = ping_interval
        self._backoff = (backoff_initial, backoff_max)
        self._ids = itertools.count(1)
        self._id_prefix = f"concord-{os.getpid()}-{random.randrange(16**6):06x}"
        self._pending: dict[str, _Pending] = {}
        self._subscriptions: set[Subscription] = set()
        self._tracked: set[str] = set()
        self._writer: asyncio.StreamWriter | None = None
        self._ready = asyncio.Event()
        self._booted = asyncio.Event()
        self._first_session: asyncio.Future[None] | None = None
        self._runner: asyncio.Task[None] | None = None
        self._closing = False
        self._startup: tuple[str | None, str | None] | None = None
        self.sessions = 0  # completed logins, for logs and tests

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self, timeout: float | None = None) -> None:
        """Connect, log in and wait for FullyBooted; keep reconnecting in the background after.

        Until the first session is up it retries with backoff; `timeout` bounds that wait
        (TimeoutError, and the client is closed). A refused login raises AmiLoginError at once.
        """
        if self._runner is not None:
            raise RuntimeError("AmiClient.start() called twice")
        self._first_session = asyncio.get_running_loop().create_future()
        self._runner = asyncio.create_task(self._run(), name=f"ami-{self.host}:{self.port}")
        try:
            await asyncio.wait_for(asyncio.shield(self._first_session), timeout)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        """Log off, stop reconnecting, fail pending actions with AmiConnectionLost."""
        self._closing = True
        if self._writer is not None and self._ready.is_set():
            with contextlib.suppress(AmiError, asyncio.TimeoutError, OSError):
                await self._request("Logoff", (), timeout=1.0)
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner

    async def __aenter__(self) -> AmiClient:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def connected(self) -> bool:
        """Logged in and fully booted right now."""
        return self._ready.is_set()

    async def wait_connected(self, timeout: float | None = None) -> None:
        await asyncio.wait_for(self._ready.wait(), timeout)

    # -- events ------------------------------------------------------------------------------

    def subscribe(self, events: Iterable[str] | None = None) -> Subscription:
        """A new subscription to all events, or only those named (notices always come)."""
        wanted = frozenset(events) if events is not None else None
        sub = Subscription(wanted, on_close=self._subscriptions.discard)
        self._subscriptions.add(sub)
        return sub

    @property
    def tracked(self) -> frozenset[str]:
        """ChannelIds originated here whose end (Hangup, failed originate) was not yet seen."""
        return frozenset(self._tracked)

    def track(self, channel_id: str) -> None:
        """Follow a channel this client did not originate (e.g. after a dialer restart)."""
        self._tracked.add(channel_id)

    def forget(self, channel_id: str) -> None:
        self._tracked.discard(channel_id)

    # -- actions -----------------------------------------------------------------------------

    async def send_action(
        self, action: str, headers: Headers = (), *, timeout: float | None = None
    ) -> Message:
        """Send one action and return its response; raise AmiActionError on `Response: Error`."""
        deadline = time.monotonic() + (timeout or self.action_timeout)
        await self._wait_ready(deadline, action)
        result = await self._request(action, headers, timeout=deadline - time.monotonic())
        assert isinstance(result, Message)
        return result

    async def send_list_action(
        self, action: str, headers: Headers = (), *, timeout: float | None = None
    ) -> ListResult:
        """Send an action that answers with an event list (`EventList: start` ... `Complete`)."""
        deadline = time.monotonic() + (timeout or self.action_timeout)
        await self._wait_ready(deadline, action)
        result = await self._request(
            action, headers, timeout=deadline - time.monotonic(), is_list=True
        )
        assert isinstance(result, ListResult)
        return result

    async def originate(
        self,
        channel: str,
        channel_id: str,
        *,
        context: str,
        exten: str,
        priority: int = 1,
        timeout_ms: int = 30_000,
        caller_id: str | None = None,
        variables: Mapping[str, str] | None = None,
        other_channel_id: str | None = None,
    ) -> Message:
        """Queue an asynchronous Originate keyed by `channel_id`; return the queued Response.

        The outcome arrives later as an `OriginateResponse` event (Reason 4 answered, 5 busy,
        3 no answer, 8 congestion, 0 failed) whose `Uniqueid` is `channel_id`. The id is tracked
        from before the send, so even a connection lost mid-send is settled by `Reconciled`.
        """
        if not CHANNEL_ID.fullmatch(channel_id):
            raise ValueError(f"channel_id {channel_id!r}: use 1-64 of A-Z a-z 0-9 . _ -")
        headers: list[tuple[str, str]] = [
            ("Channel", channel),
            ("Context", context),
            ("Exten", exten),
            ("Priority", str(priority)),
            ("ChannelId", channel_id),
            ("Timeout", str(timeout_ms)),
            ("Async", "true"),
        ]
        if other_channel_id is not None:
            headers.append(("OtherChannelId", other_channel_id))
        if caller_id is not None:
            headers.append(("CallerID", caller_id))
        headers.extend(("Variable", f"{k}={v}") for k, v in (variables or {}).items())
        self._tracked.add(channel_id)
        try:
            return await self.send_action("Originate", headers)
        except AmiActionError:
            self._tracked.discard(channel_id)
            raise

    async def redirect(
        self, channel: str, *, context: str, exten: str, priority: int = 1
    ) -> Message:
        """Send a channel (by name or ChannelId) to a dialplan location, e.g. into an agent's
        conference: the one action that connects a live call (see infra/asterisk/README.md)."""
        return await self.send_action(
            "Redirect",
            {"Channel": channel, "Context": context, "Exten": exten, "Priority": str(priority)},
        )

    async def hangup(self, channel: str, cause: int | None = None) -> Message:
        """Hang up a channel by name or ChannelId (cause: a Q.850 code, default 16)."""
        headers = {"Channel": channel}
        if cause is not None:
            headers["Cause"] = str(cause)
        return await self.send_action("Hangup", headers)

    async def ping(self, timeout: float | None = None) -> float:
        """Round trip of a Ping action in seconds."""
        started = time.monotonic()
        await self.send_action("Ping", timeout=timeout)
        return time.monotonic() - started

    async def live_channels(self) -> list[Message]:
        """The `CoreShowChannel` event of every live channel."""
        result = await self.send_list_action("CoreShowChannels")
        return [e for e in result.events if e.name == "CoreShowChannel"]

    # -- internals: one session --------------------------------------------------------------

    async def _wait_ready(self, deadline: float, action: str) -> None:
        if self._ready.is_set():
            return
        try:
            await asyncio.wait_for(self._ready.wait(), max(deadline - time.monotonic(), 0))
        except TimeoutError:
            raise AmiConnectionLost(f"AMI not connected; {action} not sent") from None

    async def _request(
        self,
        action: str,
        headers: Headers,
        *,
        timeout: float,
        is_list: bool = False,
        on_complete: Callable[[ListResult], None] | None = None,
    ) -> Message | ListResult:
        writer = self._writer
        if writer is None:
            raise AmiConnectionLost(f"AMI not connected; {action} not sent")
        action_id = f"{self._id_prefix}-{next(self._ids)}"
        items = list(headers.items() if isinstance(headers, Mapping) else headers)
        payload = encode_action(action, [("ActionID", action_id), *items])
        future: asyncio.Future[Message | ListResult] = asyncio.get_running_loop().create_future()
        self._pending[action_id] = _Pending(
            action, future, is_list, events=[] if is_list else None, on_complete=on_complete
        )
        try:
            writer.write(payload)
            await writer.drain()
            return await asyncio.wait_for(future, timeout)
        except ConnectionError as exc:
            raise AmiConnectionLost(f"AMI connection lost while sending {action}") from exc
        finally:
            self._pending.pop(action_id, None)

    async def _run(self) -> None:
        delay = self._backoff[0]
        while not self._closing:
            reason = "closed"
            try:
                reason = await self._session()
                delay = self._backoff[0]
            except AmiLoginError as exc:
                if self._first_session and not self._first_session.done():
                    self._first_session.set_exception(exc)
                    return
                reason = str(exc)
            except (OSError, TimeoutError, AmiError, AmiProtocolError) as exc:
                reason = f"{type(exc).__name__}: {exc}"
            if self._closing:
                return
            log.warning("AMI %s:%s down (%s); reconnecting in %.1fs", self.host, self.port,
                        reason, delay)  # fmt: skip
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, self._backoff[1])

    async def _session(self) -> str:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port), self._connect_timeout
        )
        self._writer = writer
        self._booted.clear()
        parser = AmiParser()
        reading = asyncio.create_task(self._read(reader, parser))
        pinging: asyncio.Task[None] | None = None
        reason = "EOF from Asterisk"
        try:
            await self._login(reading)
            pinging = asyncio.create_task(self._keepalive())
            done, _ = await asyncio.wait({reading, pinging}, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                error = task.exception()
                if error is not None:
                    what = "ping failed" if task is pinging else "read failed"
                    reason = f"{what}: {error!r}"
            return reason
        finally:
            was_ready = self._ready.is_set()
            if self._closing:
                reason = "client closed"
            self._ready.clear()
            self._writer = None
            for worker in (reading, pinging):
                if worker is not None:
                    worker.cancel()
            writer.close()
            lost = AmiConnectionLost(f"AMI connection lost ({reason})")
            for pending in list(self._pending.values()):
                if not pending.future.done():
                    pending.future.set_exception(lost)
            if was_ready:
                self._publish(ConnectionLost(at=time.monotonic(), reason=reason))

    async def _login(self, reading: asyncio.Task[None]) -> None:
        try:
            await _unless_ended(
                self._request(
                    "Login", [("Username", self._username), ("Secret", self._secret)],
                    timeout=self._connect_timeout,
                ),
                reading,
            )  # fmt: skip
        except AmiActionError as exc:
            raise AmiLoginError(str(exc)) from exc
        await _unless_ended(asyncio.wait_for(self._booted.wait(), self._boot_timeout), reading)
        status = await self._request("CoreStatus", (), timeout=self.action_timeout)
        assert isinstance(status, Message)
        startup = (status.get("CoreStartupDate"), status.get("CoreStartupTime"))
        restarted = self._startup is not None and startup != self._startup
        first = self._startup is None
        self._startup = startup
        if not first:
            await self._request(
                "CoreShowChannels", (), timeout=self.action_timeout, is_list=True,
                on_complete=lambda result: self._publish_reconciled(result, restarted),
            )  # fmt: skip
        self.sessions += 1
        self._ready.set()
        if self._first_session is not None and not self._first_session.done():
            self._first_session.set_result(None)
        log.info("AMI %s:%s session %d ready", self.host, self.port, self.sessions)

    def _publish_reconciled(self, result: ListResult, restarted: bool) -> None:
        # Runs inside the reader, right at CoreShowChannelsComplete, so no event that follows
        # the snapshot on the wire can reach a subscriber before the snapshot itself.
        channels = [e for e in result.events if e.name == "CoreShowChannel"]
        outcome = reconcile(self._tracked, channels, restarted=restarted, at=time.monotonic())
        self._tracked -= outcome.ended
        self._publish(outcome)

    async def _keepalive(self) -> None:
        while True:
            await asyncio.sleep(self._ping_interval)
            await self._request("Ping", (), timeout=self._ping_interval)

    async def _read(self, reader: asyncio.StreamReader, parser: AmiParser) -> None:
        while True:
            data = await reader.read(65536)
            if not data:
                return
            for message in parser.feed(data):
                self._dispatch(message)

    # -- internals: routing one message ------------------------------------------------------

    def _dispatch(self, message: Message) -> None:
        kind = message.kind
        action_id = message.get("ActionID")
        pending = self._pending.get(action_id) if action_id is not None else None
        if kind == "response":
            if pending is not None:
                self._resolve(pending, message)
            return
        if kind != "event":
            return
        if pending is not None and pending.is_list and pending.events is not None:
            self._collect(pending, message)
            return
        name = message.name
        if name == "Hangup" or (
            name == "OriginateResponse" and message.get("Response") != "Success"
        ):
            uid = message.get("Uniqueid")
            if uid is not None:
                self._tracked.discard(uid)
        elif name == "FullyBooted":
            self._booted.set()
        for sub in self._subscriptions:
            if sub.wants(message):
                sub.put(message)

    def _resolve(self, pending: _Pending, response: Message) -> None:
        if pending.future.done():
            return
        if response.name == "Error":
            pending.future.set_exception(AmiActionError(pending.action, response))
        elif pending.is_list and response.get("EventList") == "start":
            pending.response = response  # the events follow, then a Complete event
        elif pending.is_list:
            pending.future.set_result(ListResult(response, ()))
        else:
            pending.future.set_result(response)

    def _collect(self, pending: _Pending, event: Message) -> None:
        assert pending.events is not None
        if event.get("EventList") != "Complete":
            pending.events.append(event)
            return
        result = ListResult(pending.response or event, tuple(pending.events))
        if pending.on_complete is not None:
            pending.on_complete(result)
        if not pending.future.done():
            pending.future.set_result(result)

    def _publish(self, notice: Notice) -> None:
        for sub in self._subscriptions:
            sub.put(notice)


async def _unless_ended(step: Awaitable[T], reading: asyncio.Task[None]) -> T:
    """Await `step`, but give up if the reader ends first (Asterisk closed during login)."""
    task = asyncio.ensure_future(step)
    done, _ = await asyncio.wait({task, reading}, return_when=asyncio.FIRST_COMPLETED)
    if task not in done:
        task.cancel()
        raise AmiConnectionLost("connection closed during login")
    return task.result()


__all__ = [
    "AmiActionError",
    "AmiClient",
    "AmiConnectionLost",
    "AmiError",
    "AmiLoginError",
    "ConnectionLost",
    "Delivery",
    "ListResult",
    "Reconciled",
    "Subscription",
]
