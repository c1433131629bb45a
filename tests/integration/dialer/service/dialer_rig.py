"""The dialer service on the real Asterisk, real Redis and a migrated SQLite database.

Numbers follow infra/asterisk/extensions.conf's simulated network: +1 NPA 555 01 D N (or
London's +44 20 7946 01 D N), where D picks the outcome (1 person stays on the line, 3 answering
machine, 4 busy, 5 no answer, 0 not in service) and N is the seconds before answering. The place
is chosen so that the debtor's local time is inside calling hours right now, whatever the hour
the suite runs: the compliance engine is real and would rightly refuse a call at 3 a.m. No US
place is inside them from 09:00 to 13:00 UTC, so a UK portfolio in London covers those hours.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from redis.asyncio import Redis
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.events import FLOOR_CHANNEL, Event, parse_envelope
from core.localservices import Asterisk
from core.models import Account, Address, Campaign, Client, Debtor, Phone, Portfolio, User
from dialer import agents
from dialer.ami import AmiClient
from dialer.messages import MessageLibrary
from dialer.service import DialerService

ASTERISK_ROOT = Path(os.environ.get("ASTERISK_ROOT", "/var/cache/concord-asterisk/root"))


@dataclass(frozen=True)
class Place:
    """Where a floor's debtors live: the portfolio's calling profile, the address, and the
    simulated numbers there, whose time zone phonenumbers knows to be the address's."""

    prefix: str  # a number is prefix + "01" + D + N
    profile: str
    country: str
    state: str
    zone: str

    def number(self, digit: int, seconds: int = 1) -> str:
        return f"{self.prefix}01{digit}{seconds}"


PLACES = [
    Place("+1202555", "us", "US", "DC", "America/New_York"),
    Place("+1312555", "us", "US", "IL", "America/Chicago"),
    Place("+1303555", "us", "US", "CO", "America/Denver"),
    Place("+1213555", "us", "US", "CA", "America/Los_Angeles"),
    Place("+1808555", "us", "US", "HI", "Pacific/Honolulu"),
    Place("+1671555", "us", "US", "GU", "Pacific/Guam"),
    Place("+1787555", "us", "US", "PR", "America/Puerto_Rico"),
    Place("+44207946", "uk", "GB", "", "Europe/London"),
]


def callable_place(now: datetime) -> Place:
    """A place where it is between 09:00 and 19:00 right now (a US one when there is one)."""
    for place in PLACES:
        if 9 <= now.astimezone(ZoneInfo(place.zone)).hour < 19:
            return place
    raise RuntimeError(f"no simulated place is inside calling hours at {now}")


@dataclass
class Floor:
    """Seeded rows of one test: a client, a portfolio, a campaign, agents and accounts."""

    session: Session
    place: Place
    client: Client
    portfolio: Portfolio
    campaign: Campaign
    agents: dict[str, int] = field(default_factory=dict)  # extension -> user id

    def number(self, digit: int, seconds: int = 1) -> str:
        return self.place.number(digit, seconds)

    def account(
        self,
        digit: int,
        seconds: int = 1,
        score: float = 0.5,
        portfolio: Portfolio | None = None,
        balance: int = 50_000,
        **debtor: Any,
    ) -> Account:
        """A debtor with one landline that behaves as `digit` says, and one open account (in
        the floor's portfolio unless another is given)."""
        portfolio = portfolio or self.portfolio
        client_id = portfolio.client_id
        person = Debtor(client_id=client_id, first_name="Pat", last_name="Doe", **debtor)
        self.session.add(person)
        self.session.flush()
        self.session.add(
            Address(debtor_id=person.id or 0, state=self.place.state, country=self.place.country)
        )
        self.session.add(
            Phone(debtor_id=person.id or 0, number=self.number(digit, seconds), type="landline")
        )
        account = Account(
            client_id=client_id,
            portfolio_id=portfolio.id or 0,
            debtor_id=person.id or 0,
            client_account_number=uuid.uuid4().hex[:12],
            balance_minor=balance,
            segment_score=score,
        )
        self.session.add(account)
        self.session.commit()
        return account

    def agent(self, extension: str, role: str = "agent", team_id: int | None = None) -> int:
        user = User(
            username=f"agent{extension}",
            password_hash="x",
            extension=extension,
            role=role,
            team_id=team_id,
        )
        self.session.add(user)
        self.session.commit()
        self.agents[extension] = user.id or 0
        return user.id or 0


@pytest.fixture
def floor(session: Session) -> Floor:
    place = callable_place(datetime.now(UTC))
    client = Client(code=f"c{uuid.uuid4().hex[:6]}", name="Acme Bank", business_name="Acme")
    session.add(client)
    session.flush()
    portfolio = Portfolio(
        client_id=client.id or 0,
        name="P1",
        machine_action="voicemail",
        calling_profile=place.profile,
    )
    session.add(portfolio)
    session.flush()
    campaign = Campaign(
        client_id=client.id or 0,
        name="Early-stage",
        portfolio_ids=[portfolio.id or 0],
        dial_mode="progressive",
        caller_id="+12025550100",
    )
    session.add(campaign)
    session.commit()
    return Floor(session, place, client, portfolio, campaign)


class Screens:
    """Everything published on the floor channel, parsed back into events."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def of(self, kind: type[Event]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    async def wait(self, what: Callable[[], Any], timeout: float, label: str) -> Any:
        """Poll until `what()` is truthy (with a deadline, never a bare sleep)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            found = what()
            if found:
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"timed out after {timeout}s waiting for {label}; saw {self.names()}")

    def names(self) -> list[str]:
        return [e.name for e in self.events]


class Proxy:
    """A TCP relay between the dialer and Asterisk's AMI port, so a test can cut the wire."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.down = False  # while set, new connections are refused: AMI stays away

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.down:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}

    def cut(self) -> None:
        """Drop every relayed connection at once, as a broken network would."""
        for writer in list(self._writers):
            writer.transport.abort()

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()


@dataclass
class Rig:
    """A running dialer service and the means to act as the agents and the console."""

    service: DialerService
    ami: AmiClient
    redis: Redis  # type: ignore[type-arg]
    screens: Screens
    asterisk: Asterisk
    proxy: Proxy
    legs: dict[str, str] = field(default_factory=dict)

    async def login(self, extension: str) -> None:
        """A simulated softphone joins the agent's bridge (as a real one does at login)."""
        leg = f"agent-{extension}-{uuid.uuid4().hex[:8]}"
        self.legs[extension] = leg
        await self.ami.originate(
            f"Local/{extension}@concord-sim-softphone",
            leg,
            context="concord-agents",
            exten=extension,
        )
        await self.screens.wait(
            lambda: extension in self.service.floor.in_bridge, 5, f"agent {extension} in bridge"
        )

    async def set_state(
        self, agent_id: int, state: agents.AgentState, campaign_id: int, reason: str = ""
    ) -> None:
        await agents.write_state(
            self.redis, agent_id, state, datetime.now(UTC), campaign_id, reason
        )
        self.service.wake()


class NoKeyOffer(MessageLibrary):
    """The clients' messages as the dialer makes them, without the opt-out key offered after
    them: a test about something else need not wait out the offer (3 s and more) at every
    abandon. The offer's own tests use MessageLibrary."""

    def opt_out_prompts(self) -> tuple[str, str]:
        return "", ""


@pytest.fixture
async def rig(asterisk: Asterisk, redis_url: str, db_engine: Engine) -> AsyncIterator[Rig]:
    proxy = Proxy(asterisk.ami_port)
    await proxy.start()
    ami = AmiClient("127.0.0.1", proxy.port, "concord", "concord-secret", ping_interval=1.0)
    await ami.start(timeout=30)
    redis = Redis.from_url(redis_url)
    screens = Screens()
    pubsub = redis.pubsub()
    await pubsub.subscribe(FLOOR_CHANNEL)

    async def listen() -> None:
        async for message in pubsub.listen():
            if message["type"] == "message":
                screens.events.append(parse_envelope(message["data"]))

    listener = asyncio.create_task(listen())
    service = DialerService(ami, redis, db_engine, ring_timeout_s=15, tick_s=0.5)
    rig = Rig(service, ami, redis, screens, asterisk, proxy)
    yield rig
    service.stop()
    for leg in rig.legs.values():
        with contextlib.suppress(Exception):
            await ami.send_action("Hangup", {"Channel": leg})
    if service.messages is not None:  # its dialer set the opt-out offer: no later test's
        for variable in ("CONCORD_OPT_OUT_PROMPT", "CONCORD_OPT_OUT_DONE"):  # abandon waits on it
            with contextlib.suppress(Exception):
                await ami.send_action("Setvar", {"Variable": variable, "Value": ""})
    listener.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await listener
    await pubsub.aclose()
    await ami.close()
    await proxy.close()
    await redis.aclose()


@contextlib.asynccontextmanager
async def running(rig: Rig) -> AsyncIterator[asyncio.Task[None]]:
    """The service running in-process for the body of the block."""
    task = asyncio.create_task(rig.service.run())
    await asyncio.sleep(0)
    try:
        yield task
    finally:
        rig.service.stop()
        await asyncio.wait_for(task, 10)


def host_path(recording: str) -> Path:
    """Where a recording Asterisk wrote inside its chroot lives on this machine."""
    return ASTERISK_ROOT / recording.lstrip("/")
