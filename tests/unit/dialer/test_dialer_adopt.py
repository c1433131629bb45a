"""Taking over a call a previous dialer run left live, from its attempt and its live channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dialer.adopt import OpenAttempt, adopt, state_of
from dialer.ami import make_message
from dialer.calls import CallState

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
ROW = OpenAttempt("cc-1", 3, 10, 20, "+12025550111", (NOW - timedelta(seconds=40)).replace(
    tzinfo=None), None, {"allowed": True})  # fmt: skip


def channel(context: str, exten: str, app: str = "", state: str = "Up") -> dict[str, str]:
    return {
        "Uniqueid": "cc-1",
        "Context": context,
        "Exten": exten,
        "Application": app,
        "ChannelStateDesc": state,
        "ChanVariable": "CONCORD_RECORDING=/var/spool/asterisk/monitor/concord/cc-1.wav",
    }


@pytest.mark.parametrize(
    ("where", "state", "bridge"),
    [
        (channel("concord-connect", "7101", "ConfBridge"), CallState.CONNECTED, "7101"),
        (channel("concord-hold", "7101", "MusicOnHold"), CallState.CONNECTED, "7101"),
        (channel("concord-dialer", "s", "Wait"), CallState.LIVE, ""),
        (channel("concord-dialer", "s", "AMD"), CallState.ANSWERED, ""),
        (channel("concord-dialer", "abandon", "Playback"), CallState.ABANDONED, ""),
        (channel("concord-dialer", "machine", "WaitForSilence"), CallState.MACHINE, ""),
        (channel("concord-dialer", "s", "AppDial2", "Ring"), CallState.DIALING, ""),
    ],
)
def test_the_channels_place_in_the_dialplan_gives_the_calls_state(
    where: dict[str, str], state: CallState, bridge: str
) -> None:
    assert state_of(make_message(where)) == (state, bridge)


def test_a_call_with_an_agent_is_theirs_with_its_recording_and_stored_start() -> None:
    call = adopt(ROW, make_message(channel("concord-connect", "7101", "ConfBridge")),
                 "predictive", 7, now=NOW, monotonic=100.0)  # fmt: skip
    assert (call.state, call.agent_id, call.connected_at) == (CallState.CONNECTED, 7, NOW)
    assert call.recording.endswith("/cc-1.wav") and call.started_at == ROW.started_at.replace(
        tzinfo=UTC)  # fmt: skip
    assert call.placed_at == pytest.approx(60.0) and call.pacing_told
    call.hangup("16", NOW + timedelta(seconds=5))
    assert call.outcome == "conversation"


def test_a_bridge_of_no_known_agent_waits_and_an_abandon_still_counts() -> None:
    call = adopt(ROW, make_message(channel("concord-connect", "9999", "ConfBridge")),
                 "predictive", None, now=NOW, monotonic=100.0)  # fmt: skip
    assert call.state is CallState.LIVE and call.live_seen is None  # never redirected blind
    call.hangup("16", NOW)
    assert call.outcome == "abandoned"


def test_a_call_still_ringing_is_told_to_pacing_when_it_resolves() -> None:
    call = adopt(ROW, make_message(channel("concord-dialer", "s", "", "Ring")), "predictive",
                 None, now=NOW, monotonic=100.0)  # fmt: skip
    assert call.state is CallState.DIALING and not call.pacing_told
