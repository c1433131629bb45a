"""Simulated softphones sit in their agents' conferences, as `concord up` seats them for demos."""

from __future__ import annotations

import pytest

from core.localservices import Asterisk
from dialer.ami import AmiClient
from dialer.softphones import seat_softphones

pytestmark = [pytest.mark.integration, pytest.mark.asterisk]


async def test_each_extension_gets_a_softphone_in_its_own_conference(
    ami: AmiClient, asterisk: Asterisk
) -> None:
    joined = await seat_softphones(ami, ["1001", "1002"])
    assert joined == {"1001", "1002"}
    listing = asterisk.cli("confbridge list")
    assert "concord-agent-1001" in listing
    assert "concord-agent-1002" in listing


async def test_an_extension_the_dialplan_refuses_is_reported_not_seated(ami: AmiClient) -> None:
    joined = await seat_softphones(ami, ["1001", "not-an-extension"], timeout=3)
    assert joined == {"1001"}
