"""Connecting live answers to agents who sit in their own conference, on the real Asterisk:
one Redirect joins the call, and with no agent the caller hears the limited-content message."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from pathlib import Path

import pytest
from ami_helpers import Watch, dial, login_agent, number, stamp

from dialer.ami import AmiClient, Message

pytestmark = [pytest.mark.integration, pytest.mark.asterisk]

ASTERISK_ROOT = Path(os.environ.get("ASTERISK_ROOT", "/var/cache/concord-asterisk/root"))


async def connect(ami: AmiClient, call_id: str, agent: str) -> None:
    """The whole connect: one AMI action moves the live call into the agent's conference."""
    await ami.send_action(
        "Redirect",
        {"Channel": call_id, "Context": "concord-connect", "Exten": agent, "Priority": "1"},
    )


@pytest.mark.parametrize("amd", ["yes", "no"], ids=["after_amd", "amd_off"])
async def test_live_answers_join_ready_agents_with_one_redirect_well_within_2s(
    ami: AmiClient, watch: Watch, amd: str
) -> None:
    """Measured on Asterisk's clock from the moment the call is known live (ConcordLive: the
    greeting has ended, or the answer itself with AMD off) to the customer's ConfbridgeJoin,
    so the client's event delivery and its Redirect round trip are inside the figure."""
    agents = [str(2001 + i) for i in range(8)]
    for agent in agents:
        await login_agent(ami, watch, agent)
    live = ami.subscribe({"UserEvent"})
    calls = {f"lat-{agent}": agent for agent in agents}
    for call_id in calls:
        await dial(ami, call_id, number(1, 0), CONCORD_AMD=amd)

    async def connect_each_live_call_as_it_is_announced() -> None:
        pending = set(calls)
        while pending:
            event = await live.get()
            if isinstance(event, Message) and event.get("UserEvent") == "ConcordLive":
                call_id = event["Uniqueid"]
                pending.discard(call_id)
                await connect(ami, call_id, calls[call_id])

    await asyncio.wait_for(connect_each_live_call_as_it_is_announced(), 20)
    latencies = []
    for call_id, agent in calls.items():
        joined = await watch.wait_for(lambda c=call_id: watch.messages("ConfbridgeJoin", c))
        assert joined["Conference"] == f"concord-agent-{agent}"
        [announced] = watch.user_events("ConcordLive", call_id)
        [answered] = watch.messages("OriginateResponse", call_id)
        if amd == "no":
            assert stamp(announced) - stamp(answered) < 0.1
        latencies.append(stamp(joined) - stamp(announced))
    median = statistics.median(latencies)
    print(
        f"\nAMD {amd}: live -> in agent's conference (Asterisk clock, {len(latencies)} calls): "
        f"median {median * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    assert max(latencies) < 2.0
    assert not watch.user_events("ConcordAbandoned")


async def test_a_connected_call_talks_to_the_agent_until_the_customer_hangs_up(
    ami: AmiClient, watch: Watch
) -> None:
    agent_leg = await login_agent(ami, watch, "2101")
    await dial(ami, "talk-1", number(1, 0))
    await watch.wait_for(lambda: watch.user_events("ConcordLive", "talk-1"))
    await connect(ami, "talk-1", "2101")
    await watch.wait_for(lambda: watch.messages("ConfbridgeJoin", "talk-1"))
    await ami.send_action("Hangup", {"Channel": "talk-1"})
    await watch.wait_for(lambda: watch.messages("ConfbridgeLeave", "talk-1"))
    assert agent_leg in {c["Uniqueid"] for c in await ami.live_channels()}


async def test_with_no_agent_2s_after_the_greeting_the_message_plays_and_the_call_ends_abandoned(
    ami: AmiClient, watch: Watch
) -> None:
    await dial(ami, "abandon-1", number(1, 0))
    live = await watch.wait_for(lambda: watch.user_events("ConcordLive", "abandon-1"))
    abandoned = await watch.wait_for(lambda: watch.user_events("ConcordAbandoned", "abandon-1"))
    # AMD calls it live after 0.8 s of silence past the greeting: 1.2 s of the law's 2 s remain.
    assert 1.1 <= stamp(abandoned) - stamp(live) <= 1.7
    hangup = await watch.wait_for(lambda: watch.messages("Hangup", "abandon-1"), 10)
    played = [
        m for m in watch.messages("Newexten", "abandon-1") if m.get("Application") == "Playback"
    ]
    assert [m["AppData"] for m in played] == ["please-try-call-later"]
    assert stamp(hangup) - stamp(abandoned) >= 1.5  # the message (2.2 s) was heard out
    assert "abandon-1" not in ami.tracked


async def test_each_answered_call_is_recorded_to_a_file_named_by_its_channel_id(
    ami: AmiClient, watch: Watch
) -> None:
    await login_agent(ami, watch, "2201")
    await dial(ami, "rec-1", number(1, 0))
    answered = await watch.wait_for(lambda: watch.user_events("ConcordAnswered", "rec-1"))
    assert answered["Recording"] == "/var/spool/asterisk/monitor/concord/rec-1.wav"
    await watch.wait_for(lambda: watch.user_events("ConcordLive", "rec-1"))
    await connect(ami, "rec-1", "2201")
    await watch.wait_for(lambda: watch.messages("ConfbridgeJoin", "rec-1"))
    await ami.send_action("Hangup", {"Channel": "rec-1"})
    await watch.wait_for(lambda: watch.messages("Hangup", "rec-1"))
    recording = ASTERISK_ROOT / answered["Recording"].lstrip("/")
    deadline = time.monotonic() + 5
    while not (recording.exists() and recording.stat().st_size > 44):  # more than a WAV header
        assert time.monotonic() < deadline, f"{recording} missing or empty"
        await asyncio.sleep(0.05)
    assert recording.read_bytes()[:4] == b"RIFF"
