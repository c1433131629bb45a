"""What the pacing policy is shown: a call promised to one agent is paired off with that agent."""

from __future__ import annotations

from datetime import UTC, datetime

from dialer.agents import AgentView
from dialer.calls import Call, CallState
from dialer.floor import Floor
from dialer.pacing_predictive import progressive_calls
from dialer.snapshot import PAUSE_WAIT_MAX_S, pacing_snapshot, pauses_due

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


def test_a_pausing_agent_is_not_dialled_for_but_takes_a_call_already_out() -> None:
    views = {
        1: AgentView(1, "ready", since=1.0, campaign_id=5),
        2: AgentView(2, "ready", since=EPOCH - 5.0, campaign_id=5, reason="pausing:break"),
    }
    floor = Floor(views=views, extensions={1: "1", 2: "2"}, in_bridge={"1", "2"})
    snapshot = pacing_snapshot([], floor, 5, EPOCH, mono=100.0)
    assert snapshot.agents_ready == 1 and progressive_calls(snapshot) == 1  # for agent 1 only
    assert floor.available(5) == [1, 2]  # a live answer may still be joined to agent 2
    assert floor.dialable(5) == [1]  # nor is a callback placed for agent 2


def test_a_pause_starts_once_the_calls_placed_before_it_are_settled() -> None:
    asked = EPOCH - 5.0  # the agent pressed Pause 5 s ago (mono 95)
    views = {2: AgentView(2, "ready", since=asked, campaign_id=5, reason="pausing:lunch")}
    floor = Floor(views=views, extensions={2: "2"}, in_bridge={"2"})
    before = call("before", CallState.ANSWERED, placed_at=90.0)
    after = call("after", CallState.DIALING, placed_at=97.0)  # paced without agent 2

    assert pauses_due([before, after], floor, 5, EPOCH, mono=100.0) == []
    before.state = CallState.LIVE  # answered, waiting for an agent: still counting on them
    assert pauses_due([before, after], floor, 5, EPOCH, mono=100.0) == []
    before.state = CallState.CONNECTED  # another agent took it
    assert pauses_due([before, after], floor, 5, EPOCH, mono=100.0) == [views[2]]
    before.state = CallState.DIALING  # a call stuck unresolved holds a pause a minute at most
    late = EPOCH + PAUSE_WAIT_MAX_S
    assert pauses_due([before], floor, 5, late, mono=100.0 + PAUSE_WAIT_MAX_S) == [views[2]]
