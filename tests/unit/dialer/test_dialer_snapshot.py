"""What the pacing policy is shown: a call promised to one agent is paired off with that agent."""

from __future__ import annotations

from datetime import UTC, datetime

from dialer.agents import AgentView
from dialer.calls import Call, CallState
from dialer.floor import Floor
from dialer.pacing_predictive import progressive_calls
from dialer.snapshot import pacing_snapshot

EPOCH = 1_800_000_000.0


def call(call_id: str, state: CallState, placed_at: float = 90.0) -> Call:
    c = Call(call_id, 5, account_id=1, debtor_id=1, number="+12025550100", mode="predictive",
             placed_at=placed_at, state=state)  # fmt: skip
    if state is CallState.CONNECTED:
        c.connected_at = datetime.fromtimestamp(EPOCH - 42.0, UTC)
    return c


def test_promised_calls_and_their_agents_are_neither_supply_nor_demand() -> None:
    views = {i: AgentView(i, "ready", since=1.0, campaign_id=5) for i in (1, 2, 3, 4)}
    views[5] = AgentView(5, "wrap_up", since=EPOCH - 12.0, campaign_id=5)
    floor = Floor(views=views, extensions={i: str(i) for i in views}, in_bridge=set("12345"))
    calls = [
        call("dialing", CallState.DIALING, placed_at=97.0),
        call("ringing", CallState.ANSWERED, placed_at=88.0),
        call("waiting", CallState.LIVE),
        call("talking", CallState.CONNECTED),
        call("callback", CallState.DIALING),  # placed for its owner, agent 1
        call("preview-live", CallState.LIVE),  # the preview agent 2 is about to get it
        call("redirecting", CallState.CONNECTING),  # agent 3 is about to talk
        call("over", CallState.ENDED),
    ]
    floor.reserve(1, "callback")
    floor.reserve(2, "preview-live")
    floor.reserve(3, "redirecting")
    snapshot = pacing_snapshot(calls, floor, 5, EPOCH, mono=100.0)
    assert snapshot.now == EPOCH
    assert snapshot.agents_ready == 1  # agent 4; 1-3 are promised
    assert sorted(snapshot.talk_elapsed) == [0.0, 42.0]
    assert snapshot.wrap_elapsed == [12.0]
    assert sorted(snapshot.dials_elapsed) == [3.0, 12.0]
    assert snapshot.live_waiting == 1
    # progressive: agent 4 is covered by the two placements out and the answer waiting
    assert progressive_calls(snapshot) == 0
