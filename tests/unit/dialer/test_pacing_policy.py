"""The pacing contract and the simple modes: shapes, refusals, and the never-overdial rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialer.pacing import PacingEvent, PacingSnapshot, make_policy

elapsed = st.lists(st.floats(min_value=0, max_value=4000, allow_nan=False), max_size=60)
snapshots = st.builds(
    PacingSnapshot,
    now=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    agents_ready=st.integers(min_value=0, max_value=200),
    talk_elapsed=elapsed,
    wrap_elapsed=elapsed,
    dials_elapsed=elapsed,
    live_waiting=st.integers(min_value=0, max_value=20),
)


def test_every_mode_builds_a_policy_with_the_contract_methods() -> None:
    snapshot = PacingSnapshot(0.0, 1, [], [], [], 0)
    for mode in ("preview", "progressive", "predictive"):
        policy = make_policy(mode)
        assert isinstance(policy.calls_to_place(snapshot), int)
        assert policy.observe(PacingEvent("resolved", 0.0, 12.0, "live")) is None


def test_snapshot_and_event_keep_the_documented_field_order() -> None:
    snapshot = PacingSnapshot(5.0, 2, [1.0], [2.0], [3.0], 1)
    assert (snapshot.now, snapshot.agents_ready, snapshot.live_waiting) == (5.0, 2, 1)
    assert (snapshot.talk_elapsed, snapshot.wrap_elapsed, snapshot.dials_elapsed) == (
        [1.0],
        [2.0],
        [3.0],
    )
    event = PacingEvent("talk_ended", 9.0, 180.0)
    assert (event.kind, event.at, event.seconds, event.result) == ("talk_ended", 9.0, 180.0, None)


def test_unknown_dial_mode_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'robocall'"):
        make_policy("robocall")


def test_unknown_predictive_setting_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="agressiveness"):
        make_policy("predictive", agressiveness=2)


def test_abandon_target_outside_a_fraction_is_refused() -> None:
    with pytest.raises(ValueError, match="abandon_target"):
        make_policy("predictive", abandon_target=3.0)


def test_event_with_unknown_kind_or_result_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'hangup'"):
        PacingEvent("hangup", 0.0)
    with pytest.raises(ValueError, match="'fax'"):
        PacingEvent("resolved", 0.0, 3.0, "fax")


@given(snapshots)
def test_progressive_never_places_more_than_ready_agents(snapshot: PacingSnapshot) -> None:
    placed = make_policy("progressive").calls_to_place(snapshot)
    assert 0 <= placed <= snapshot.agents_ready
    assert placed + len(snapshot.dials_elapsed) + snapshot.live_waiting <= max(
        snapshot.agents_ready, len(snapshot.dials_elapsed) + snapshot.live_waiting
    )


def test_progressive_places_one_per_ready_agent_less_dials_in_flight() -> None:
    policy = make_policy("progressive")
    assert policy.calls_to_place(PacingSnapshot(0.0, 5, [], [], [4.0, 9.0], 0)) == 3


@given(snapshots)
def test_preview_never_places_a_call(snapshot: PacingSnapshot) -> None:
    assert make_policy("preview").calls_to_place(snapshot) == 0
