"""The AMI connection survives a dropped TCP connection and an Asterisk restart on the real PBX,
and after each reconnect every originated call id is accounted for: live, or ended unseen."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from ami_helpers import TcpProxy, Watch, dial, login_agent, number

from core.localservices import Asterisk
from dialer.ami import AmiClient, AmiLoginError, ConnectionLost, Reconciled

pytestmark = [pytest.mark.integration, pytest.mark.asterisk]


@pytest.fixture
async def proxy(ami: AmiClient, asterisk: Asterisk) -> AsyncIterator[TcpProxy]:
    tcp = TcpProxy(asterisk.ami_port)
    await tcp.start()
    yield tcp
    await tcp.stop()


@pytest.fixture
async def via_proxy(proxy: TcpProxy) -> AsyncIterator[AmiClient]:
    """A second client whose TCP connection runs through the cuttable proxy."""
    client = AmiClient("127.0.0.1", proxy.port, "concord", "concord-secret", ping_interval=1)
    await client.start(timeout=10)
    yield client
    await client.close()


async def test_concurrent_actions_each_get_their_own_response(ami: AmiClient) -> None:
    names = [f"CONCORD_TEST_{i}" for i in range(100)]
    await asyncio.gather(
        *(ami.send_action("Setvar", {"Variable": n, "Value": f"v{i}"}) for i, n in enumerate(names))
    )
    answers = await asyncio.gather(*(ami.send_action("Getvar", {"Variable": n}) for n in names))
    assert [a["Value"] for a in answers] == [f"v{i}" for i in range(100)]


async def test_a_wrong_secret_is_refused_at_start_without_retrying(asterisk: Asterisk) -> None:
    client = AmiClient("127.0.0.1", asterisk.ami_port, "concord", "wrong")
    with pytest.raises(AmiLoginError, match="Authentication failed"):
        await client.start(timeout=10)


async def test_a_dropped_connection_mid_call_reconnects_and_accounts_for_every_call(
    ami: AmiClient, watch: Watch, via_proxy: AmiClient, proxy: TcpProxy, asterisk: Asterisk
) -> None:
    seen = Watch(via_proxy)
    agent_leg = await login_agent(via_proxy, seen, "3001")
    await dial(via_proxy, "drop-talking", number(1, 0))
    await dial(via_proxy, "drop-waiting", number(1, 0), CONCORD_AGENT_WAIT="60")
    await dial(via_proxy, "drop-ringing", number(5), timeout_ms=60_000)
    await seen.wait_for(lambda: seen.user_events("ConcordLive", "drop-talking"))
    await via_proxy.redirect("drop-talking", context="concord-connect", exten="3001")
    await seen.wait_for(lambda: seen.messages("ConfbridgeJoin", "drop-talking"))
    await seen.wait_for(lambda: seen.user_events("ConcordLive", "drop-waiting"))

    proxy.down = True
    proxy.cut()
    await seen.wait_items(ConnectionLost)
    # while the dialer is blind, the waiting caller hangs up (the other client does it)
    await ami.hangup("drop-waiting")
    await watch.wait_for(lambda: watch.messages("Hangup", "drop-waiting"))
    proxy.down = False

    [reconciled] = await seen.wait_items(Reconciled)
    assert isinstance(reconciled, Reconciled)
    assert not reconciled.restarted
    assert set(reconciled.live) == {agent_leg, "drop-talking", "drop-ringing"}
    assert reconciled.ended == {"drop-waiting"}
    assert reconciled.live["drop-talking"]["Application"] == "ConfBridge"
    assert via_proxy.tracked == {agent_leg, "drop-talking", "drop-ringing"}
    # and the session works again: the talking call's end is seen live
    await via_proxy.hangup("drop-talking")
    await seen.wait_for(lambda: seen.messages("Hangup", "drop-talking"))
    assert "drop-talking" not in via_proxy.tracked
    seen.close()


async def test_an_action_sent_while_disconnected_waits_for_the_reconnect(
    via_proxy: AmiClient, proxy: TcpProxy
) -> None:
    proxy.down = True
    proxy.cut()
    await asyncio.wait_for(_until(lambda: not via_proxy.connected), 5)
    ping = asyncio.create_task(via_proxy.ping(timeout=10))
    await asyncio.sleep(0)  # let it start waiting, then bring the network back
    proxy.down = False
    assert await ping < 10


async def test_an_asterisk_restart_mid_run_reports_every_call_ended_and_dialing_resumes(
    ami: AmiClient, watch: Watch, asterisk: Asterisk
) -> None:
    agent_leg = await login_agent(ami, watch, "3101")
    await dial(ami, "restart-waiting", number(1, 0), CONCORD_AGENT_WAIT="60")
    await dial(ami, "restart-ringing", number(5), timeout_ms=60_000)
    await watch.wait_for(lambda: watch.user_events("ConcordLive", "restart-waiting"))
    sessions = ami.sessions

    await asyncio.to_thread(asterisk.restart)

    await watch.wait_items(ConnectionLost)
    [reconciled] = await watch.wait_items(Reconciled, timeout=30)
    assert isinstance(reconciled, Reconciled)
    assert reconciled.restarted
    assert reconciled.live == {}
    # A graceful restart hangs calls up before closing AMI, so some Hangups arrive; whatever
    # did not arrive is in `ended`. Either way each call is settled exactly once.
    for call_id in (agent_leg, "restart-waiting", "restart-ringing"):
        hung_up = bool(watch.messages("Hangup", call_id))
        assert hung_up != (call_id in reconciled.ended), call_id
    assert ami.tracked == frozenset()
    assert ami.sessions == sessions + 1
    await dial(ami, "after-restart", number(4))
    busy = await watch.wait_for(lambda: watch.messages("OriginateResponse", "after-restart"))
    assert busy["Reason"] == "5"


async def _until(condition: object) -> None:
    assert callable(condition)
    while not condition():
        await asyncio.sleep(0.01)
