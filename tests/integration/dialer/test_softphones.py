"""Simulated softphones sit in their agents' conferences, as `concord up` seats them for demos."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from core.localservices import Asterisk
from core.settings import get_settings
from dialer import cli as dialer_cli
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


def test_concord_dialer_call_in_plays_a_debtor_calling_in_from_their_number(
    asterisk: Asterisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONCORD_AMI_PORT", str(asterisk.ami_port))
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(dialer_cli.app, ["call-in", "(206) 555-0100", "--stays", "5"])
        refused = CliRunner().invoke(dialer_cli.app, ["call-in", "not a number"])
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 0, done.output
    assert "from +12065550100 to +18005550100: holding for an agent" in done.output
    deadline = time.monotonic() + 5
    while not any(
        "!concord-inbound!" in line and "+12065550100" in line
        for line in asterisk.cli("core show channels concise").splitlines()
    ):
        assert time.monotonic() < deadline, "the call in never reached concord-inbound"
        time.sleep(0.1)
    assert refused.exit_code == 2 and "'not a number' is not a phone number" in refused.output
