"""Originate to the simulated phone network on the real Asterisk: each number's outcome arrives
as the right OriginateResponse Reason, keyed by our ChannelId."""

from __future__ import annotations

import pytest
from ami_helpers import Watch, dial, number

from dialer.ami import AmiActionError, AmiClient

pytestmark = [pytest.mark.integration, pytest.mark.asterisk]

# OriginateResponse Reason codes: 0 failed, 3 no answer, 4 answered, 5 busy, 8 congestion
OUTCOMES = [
    ("busy", number(4), "5"),
    ("no_answer", number(5), "3"),
    ("congestion", number(6), "8"),
    ("not_in_service", number(0), "0"),
    ("busy_in_london", "+442079460140", "5"),  # Ofcom's drama range behaves the same
    ("outside_the_plan", "+442071838750", "0"),
]


@pytest.mark.parametrize(("call_id", "dialled", "reason"), OUTCOMES, ids=[o[0] for o in OUTCOMES])
async def test_an_unanswered_number_reports_its_reason_under_our_channel_id(
    ami: AmiClient, watch: Watch, call_id: str, dialled: str, reason: str
) -> None:
    await dial(ami, call_id, dialled, timeout_ms=2000)
    response = await watch.wait_for(lambda: watch.messages("OriginateResponse", call_id))
    assert response["Response"] == "Failure"
    assert response["Reason"] == reason
    assert call_id not in ami.tracked


@pytest.mark.parametrize("dialled", [number(1, 1), "+442079460111"], ids=["us", "london"])
async def test_a_person_answering_is_detected_as_human_and_reported_live(
    ami: AmiClient, watch: Watch, dialled: str
) -> None:
    call_id = f"human-{dialled[-8:]}"
    await dial(ami, call_id, dialled)
    answered = await watch.wait_for(lambda: watch.messages("OriginateResponse", call_id))
    assert (answered["Response"], answered["Reason"]) == ("Success", "4")
    amd = await watch.wait_for(lambda: watch.user_events("ConcordAmd", call_id))
    assert amd["Status"] == "HUMAN"
    await watch.wait_for(lambda: watch.user_events("ConcordLive", call_id))
    assert call_id in ami.tracked


async def test_an_answering_machine_is_detected_and_hung_up_by_default(
    ami: AmiClient, watch: Watch
) -> None:
    await dial(ami, "machine-1", number(3))
    amd = await watch.wait_for(lambda: watch.user_events("ConcordAmd", "machine-1"))
    assert amd["Status"] == "MACHINE"
    action = await watch.wait_for(lambda: watch.user_events("ConcordMachine", "machine-1"))
    assert action["Action"] == "hangup"
    await watch.wait_for(lambda: watch.messages("Hangup", "machine-1"))
    assert not watch.user_events("ConcordLive", "machine-1")
    assert "machine-1" not in ami.tracked


async def test_a_machine_gets_the_limited_content_message_after_the_beep_when_asked(
    ami: AmiClient, watch: Watch
) -> None:
    await dial(ami, "machine-2", number(3), CONCORD_MACHINE="message")
    left = await watch.wait_for(lambda: watch.user_events("ConcordMachine", "machine-2"), 25)
    assert left["Action"] == "message"
    played = [
        m for m in watch.messages("Newexten", "machine-2") if m.get("Application") == "Playback"
    ]
    assert played[0]["AppData"] == "please-try-call-later"
    await watch.wait_for(lambda: watch.messages("Hangup", "machine-2"))


async def test_an_unknown_channel_technology_fails_under_our_id_and_is_untracked(
    ami: AmiClient, watch: Watch
) -> None:
    await ami.originate("Nonexistent/x", "bad-tech-1", context="concord-dialer", exten="s")
    failed = await watch.wait_for(lambda: watch.messages("OriginateResponse", "bad-tech-1"))
    assert (failed["Response"], failed["Reason"]) == ("Failure", "0")
    assert "bad-tech-1" not in ami.tracked


async def test_an_action_asterisk_rejects_raises_with_its_message(ami: AmiClient) -> None:
    with pytest.raises(AmiActionError, match="Redirect failed: Channel not specified"):
        await ami.send_action("Redirect", {"Context": "concord-connect", "Exten": "1"})


async def test_an_unsafe_channel_id_is_refused_before_anything_is_sent(ami: AmiClient) -> None:
    with pytest.raises(ValueError, match=r"channel_id '\.\./x'"):
        await ami.originate("Local/1@x", "../x", context="concord-dialer", exten="s")
