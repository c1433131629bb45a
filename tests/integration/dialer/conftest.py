"""AMI fixtures on the session's real Asterisk: a connected client per test, and a PBX left
with no channels after each test so one test's calls never show up in the next."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from ami_helpers import Watch

from core.localservices import Asterisk
from dialer.ami import AmiClient


def hang_up_everything(asterisk: Asterisk) -> None:
    asterisk.cli("channel request hangup all")
    deadline = time.monotonic() + 10
    while "0 active channels" not in asterisk.cli("core show channels count"):
        if time.monotonic() > deadline:
            raise AssertionError("channels still up 10s after 'hangup all'")
        time.sleep(0.05)


@pytest.fixture
async def ami(asterisk: Asterisk) -> AsyncIterator[AmiClient]:
    """A started AmiClient on the real Asterisk (logged in, FullyBooted)."""
    await asyncio.to_thread(hang_up_everything, asterisk)
    client = AmiClient("127.0.0.1", asterisk.ami_port, "concord", "concord-secret")
    await client.start(timeout=15)
    yield client
    await client.close()
    await asyncio.to_thread(hang_up_everything, asterisk)


@pytest.fixture
async def watch(ami: AmiClient) -> AsyncIterator[Watch]:
    """Every event and notice the client delivers during the test."""
    w = Watch(ami)
    yield w
    w.close()
