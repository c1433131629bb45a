"""The real dialer under the browser: `concord dialer` on the session's Asterisk, and a simulated
softphone sitting in the agent's conference, as tests/integration/dialer logs agents in.

The console floor (console_floor.seed) is made dialable for real: the debtor's number is a
simulated one that a person answers after a second and stays on the line (+1 NPA 555 01 1 1,
see infra/asterisk/README.md), in a place where it is calling hours right now, because the
compliance engine in the dialer is real and reads the real clock.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from console_floor import Floor
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.localservices import Asterisk
from core.models import Address, Campaign, Phone, Portfolio
from dialer.ami import AmiClient

DIALER_TESTS = Path(__file__).resolve().parents[1] / "integration" / "dialer"
sys.path.insert(0, str(DIALER_TESTS))
sys.path.insert(0, str(DIALER_TESTS / "service"))
from ami_helpers import Watch, login_agent  # noqa: E402
from dialer_rig import callable_place  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# Only the account with the big balance: the debtor's second account would be the next
# progressive call once the agent is ready again, and this test takes one call.
ONE_ACCOUNT = {"min_balance_minor": 100_000}


def make_dialable(db_engine: Engine, floor: Floor) -> str:
    """Point the floor's debtor at a live-answer number in calling hours; returns the number."""
    place = callable_place(datetime.now(UTC))
    number = place.number(1, 1)
    with Session(db_engine) as db:
        phone = db.get(Phone, floor.phone.id)
        campaign = db.get(Campaign, floor.campaign.id)
        portfolio = db.get(Portfolio, floor.account.portfolio_id)
        assert phone is not None and campaign is not None and portfolio is not None
        phone.number = number
        portfolio.calling_profile = place.profile
        for address in db.exec(select(Address).where(Address.debtor_id == floor.debtor.id)):
            address.state, address.country = place.state, place.country
            db.add(address)
        db.add(portfolio)
        campaign.dial_mode = "progressive"
        campaign.filter = ONE_ACCOUNT
        db.add_all([phone, campaign])
        db.commit()
    return number


class DialerProcess:
    """`concord dialer` as production runs it, on the test's database, Redis and Asterisk."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "concord"), "dialer", "--ring-timeout", "15"],
            cwd=REPO, env={**os.environ, **env}, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        self.process.terminate()  # SIGTERM: DialerService.stop, a clean exit
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self._log.close()


def log_in_softphone(asterisk: Asterisk, extension: str) -> str:
    """The agent's softphone joins its conference; returns the phone leg's channel id.

    Runs on its own event loop in a worker thread: Playwright's sync API owns this one.
    """

    async def login() -> str:
        client = AmiClient("127.0.0.1", asterisk.ami_port, "concord", "concord-secret")
        await client.start(timeout=15)
        watch = Watch(client)
        try:
            return await login_agent(client, watch, extension)
        finally:
            watch.close()
            await client.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, login()).result(timeout=30)


def call_in(asterisk: Asterisk, caller: str, call_id: str, stays: int = 120) -> None:
    """A debtor dials our number from `caller` and stays on the line `stays` seconds."""

    async def dial_in() -> None:
        client = AmiClient("127.0.0.1", asterisk.ami_port, "concord", "concord-secret")
        await client.start(timeout=15)
        try:
            await client.originate(
                f"Local/{stays}@concord-sim-caller", call_id, context="concord-inbound",
                exten="+18005550100", caller_id=caller,
            )  # fmt: skip
        finally:
            await client.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, dial_in()).result(timeout=30)


def hang_up_everything(asterisk: Asterisk) -> None:
    """Leave the PBX with no channels, so the next test's calls start from nothing."""
    asterisk.cli("channel request hangup all")
    deadline = time.monotonic() + 10
    while "0 active channels" not in asterisk.cli("core show channels count"):
        if time.monotonic() > deadline:
            raise AssertionError("channels still up 10s after 'hangup all'")
        time.sleep(0.05)
