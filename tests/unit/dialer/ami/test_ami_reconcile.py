"""Reconciliation after a reconnect: every tracked ChannelId ends up live or ended."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dialer.ami import Message, make_message, reconcile


def channel(uid: str, app: str = "Wait") -> Message:
    return make_message({"Event": "CoreShowChannel", "Uniqueid": uid, "Application": app})


def test_a_tracked_call_still_up_is_live_with_its_channel_entry() -> None:
    result = reconcile({"att-1"}, [channel("att-1", "ConfBridge")], restarted=False, at=1.0)
    assert result.live["att-1"]["Application"] == "ConfBridge"
    assert result.ended == frozenset()


def test_a_tracked_call_missing_from_the_channels_ended_while_away() -> None:
    result = reconcile({"att-1", "att-2"}, [channel("att-2")], restarted=False, at=1.0)
    assert result.ended == {"att-1"}
    assert set(result.live) == {"att-2"}


def test_after_a_restart_with_no_channels_every_tracked_call_ended() -> None:
    result = reconcile({"a", "b"}, [], restarted=True, at=2.0)
    assert result.restarted
    assert result.ended == {"a", "b"}


def test_channels_not_originated_here_are_reported_as_untracked() -> None:
    result = reconcile({"att-1"}, [channel("att-1"), channel("att-1;2")], restarted=False, at=0)
    assert set(result.untracked) == {"att-1;2"}


@given(
    tracked=st.sets(st.text("abc123", min_size=1, max_size=4)),
    up=st.sets(st.text("abc123", min_size=1, max_size=4)),
)
def test_every_tracked_id_is_exactly_one_of_live_or_ended(tracked: set[str], up: set[str]) -> None:
    result = reconcile(tracked, [channel(u) for u in up], restarted=False, at=0)
    assert set(result.live) | result.ended == tracked
    assert not set(result.live) & result.ended
    assert set(result.untracked) == up - tracked
