"""Who can take a call: ready in the console, softphone in the bridge, not promised elsewhere."""

from __future__ import annotations

from dialer.agents import AgentView, parse_states
from dialer.floor import Floor


def floor() -> Floor:
    views = {
        1: AgentView(1, "ready", since=30.0, campaign_id=5),
        2: AgentView(2, "ready", since=10.0, campaign_id=5),
        3: AgentView(3, "paused", since=5.0, campaign_id=5),
        4: AgentView(4, "ready", since=1.0, campaign_id=6),
        5: AgentView(5, "ready", since=2.0, campaign_id=5),
    }
    return Floor(
        views=views, extensions={i: f"70{i}" for i in views}, in_bridge={"701", "702", "703", "704"}
    )


def test_available_agents_are_ready_present_and_longest_idle_first() -> None:
    assert floor().available(5) == [2, 1]  # 3 paused, 4 other campaign, 5 phone not in bridge
    assert floor().available() == [4, 2, 1]


def test_a_reserved_agent_is_offered_only_to_the_call_it_was_promised_to() -> None:
    f = floor()
    f.reserve(2, "c1")
    assert f.available(5) == [1]
    assert f.can_take(2, "c1") and not f.can_take(2, "c2")
    f.release_call("c1")
    assert f.available(5) == [2, 1]


def test_malformed_state_fields_are_skipped() -> None:
    views = parse_states(
        {b"7": b'{"state": "ready", "since": 3, "campaign_id": 5}', b"x": b"{}", b"8": b"nope"}
    )
    assert list(views) == [7] and views[7].campaign_id == 5


def test_wrap_up_runs_from_the_calls_end_through_the_saved_outcome_to_ready() -> None:
    """The console restarts `since` when the outcome is saved (timed after-call work); pacing
    must still see one wrap-up from the call's end, as the simulator's agents have."""
    f = Floor()
    assert f.update(AgentView(1, "on_call", since=100.0, campaign_id=5)) is None
    assert f.update(AgentView(1, "wrap_up", since=280.0, campaign_id=5)) is None  # call ended
    after_save = AgentView(1, "wrap_up", since=300.0, campaign_id=5)
    assert f.refresh({1: after_save, 2: AgentView(2, "ready", since=1.0, campaign_id=5)}) == []
    assert f.wrap_elapsed(5, now=310.0) == [30.0]
    assert f.wrap_elapsed(6, now=310.0) == []
    ended = f.refresh({1: AgentView(1, "ready", since=330.0, campaign_id=5)})
    assert ended == [(after_save, 280.0)]
    assert f.wrap_elapsed(5, now=340.0) == []
    # The next call's wrap-up starts afresh.
    f.update(AgentView(1, "wrap_up", since=600.0, campaign_id=5))
    assert f.wrap_elapsed(5, now=610.0) == [10.0]


def test_a_wrap_up_running_when_the_dialer_starts_counts_from_its_since() -> None:
    f = Floor()
    f.refresh({3: AgentView(3, "wrap_up", since=50.0, campaign_id=5)})
    assert f.wrap_elapsed(5, now=70.0) == [20.0]
    assert f.update(AgentView(3, "logged_out", since=90.0)) == (
        AgentView(3, "wrap_up", since=50.0, campaign_id=5),
        50.0,
    )
