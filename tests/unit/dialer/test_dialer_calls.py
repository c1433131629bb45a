"""The call state machine, driven by facts and by transcripts recorded from the real Asterisk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dialer.ami import parse
from dialer.calls import Call, CallState, pacing_result
from dialer.translate import translate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ami"
T0 = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def new_call(call_id: str = "c1") -> Call:
    return Call(call_id, 1, 10, 20, "+12025550111", "progressive", placed_at=0.0)


def replay(name: str, calls: dict[str, Call], agents: dict[str, int]) -> None:
    """Feed a transcript through translate() into the calls, as the service does."""
    messages, _ = parse((FIXTURES / f"{name}.ami").read_bytes())
    for message in messages:
        fact = translate(message)
        call = calls.get(fact.uid) if fact else None
        if fact is None or call is None:
            continue
        if fact.kind == "seen":
            call.seen(fact.at)
        elif fact.kind == "ringing":
            call.ringing(fact.at)
        elif fact.kind == "originate_failed":
            call.originate_failed(fact.detail, fact.at)
        elif fact.kind == "answered":
            call.answered(fact.at, fact.detail)
        elif fact.kind == "amd":
            call.amd(fact.detail, fact.at)
        elif fact.kind == "live":
            call.live(fact.at, 0.0)
        elif fact.kind == "abandoned":
            call.abandoned(fact.at)
        elif fact.kind == "machine":
            call.machine(fact.at)
        elif fact.kind == "joined":
            call.connected(agents[fact.extension], fact.at)
        elif fact.kind == "hangup":
            call.hangup(fact.detail, fact.at)


def test_recorded_outcomes_settle_in_compliance_terms() -> None:
    ids = [
        "rec-busy",
        "rec-noanswer",
        "rec-congestion",
        "rec-invalid",
        "rec-machine",
        "rec-abandon",
    ]
    calls = {cid: new_call(cid) for cid in ids}
    replay("outcomes", calls, {})
    assert {cid: c.outcome for cid, c in calls.items()} == {
        "rec-busy": "busy",
        "rec-noanswer": "no_answer",
        "rec-congestion": "not_connected",
        "rec-invalid": "not_connected",
        "rec-machine": "voicemail",
        "rec-abandon": "abandoned",
    }
    assert all(c.is_over and c.started_at and c.ended_at for c in calls.values())
    assert calls["rec-machine"].recording.endswith("/rec-machine.wav")


def test_recorded_connect_is_a_conversation_with_the_agent_and_its_answer_to_agent_time() -> None:
    call = new_call("rec-human-1")
    replay("connect_agent", {"rec-human-1": call}, {"1001": 7})
    assert call.outcome == "conversation" and call.agent_id == 7
    assert call.answer_to_agent_ms is not None and 0 <= call.answer_to_agent_ms < 300
    assert call.started_at is not None and call.ended_at is not None
    assert call.started_at < call.live_at < call.connected_at < call.ended_at  # type: ignore[operator]


def test_bare_hangup_of_an_unanswered_call_waits_for_the_originate_reason() -> None:
    call = new_call()
    call.hangup("0", at(5))
    assert not call.is_over
    call.originate_failed("5", at(5.1))
    assert call.outcome == "busy" and call.ended_at == at(5)


def test_ringing_call_cut_by_the_pbx_counts_as_no_answer_but_busy_stays_busy() -> None:
    cut, busy = new_call(), new_call()
    cut.ringing(at(1))
    cut.originate_failed("0", at(6))
    busy.originate_failed("5", at(1))
    assert (cut.outcome, busy.outcome) == ("no_answer", "busy")


def test_call_lost_before_any_news_counts_as_no_answer() -> None:
    call = new_call()
    call.seen(at(0))
    call.lost(at(9))
    assert call.outcome == "no_answer"


@pytest.mark.parametrize(
    ("steps", "outcome"),
    [
        (["answered", "live"], "abandoned"),  # the debtor hung up in the 2 s window
        (["answered", "live", "connecting"], "abandoned"),  # the redirect came too late
        (["answered"], "abandoned"),  # hung up during machine detection: could be a person
        (["answered", "amd_machine", "machine_done"], "voicemail"),
        (["answered", "amd_machine"], "abandoned"),  # hung up before the message: a person
        (["answered", "live", "connecting", "connected"], "conversation"),
    ],
)
def test_answered_call_outcome_by_the_furthest_state_reached(
    steps: list[str], outcome: str
) -> None:
    call = new_call()
    for step in steps:
        if step == "answered":
            call.answered(at(1), "/rec.wav")
        elif step == "live":
            call.live(at(3), 3.0)
        elif step == "connecting":
            call.connecting(7)
        elif step == "connected":
            call.connected(7, at(3.1))
        elif step == "amd_machine":
            call.amd("MACHINE", at(4))
        elif step == "machine_done":
            call.machine(at(9))
    call.hangup("16", at(10))
    assert call.outcome == outcome


def test_late_events_after_the_end_change_nothing() -> None:
    call = new_call()
    call.answered(at(1), "")
    call.live(at(2), 2.0)
    call.abandoned(at(4))
    call.hangup("16", at(6))
    call.connected(7, at(7))
    call.hangup("16", at(8))
    assert (call.state, call.outcome, call.ended_at, call.agent_id) == (
        CallState.ENDED, "abandoned", at(6), None,
    )  # fmt: skip


def test_pacing_hears_live_for_an_abandon_and_machine_for_voicemail() -> None:
    live, machine = new_call(), new_call()
    live.answered(at(1), "")
    live.live(at(2), 2.0)
    live.abandoned(at(4))
    machine.answered(at(1), "")
    machine.amd("MACHINE", at(3))
    assert (pacing_result(live), pacing_result(machine)) == ("live", "machine")


def test_transfer_hands_the_call_to_the_agent_whose_bridge_it_joined() -> None:
    call = new_call()
    call.answered(at(1), "/rec/c1.wav")
    call.live(at(2), 2.0)
    call.connected(7, at(2.1))
    call.connected(9, at(30))  # the team lead's bridge
    call.hangup("16", at(60))
    assert (call.outcome, call.agent_id, call.connected_at) == ("conversation", 9, at(2.1))


def test_back_from_hold_keeps_the_first_connect_time() -> None:
    call = new_call()
    call.live(at(2), 2.0)
    call.connected(7, at(2.1))
    call.connected(7, at(20))  # unhold: the same bridge again
    assert (call.agent_id, call.connected_at, call.answer_to_agent_ms) == (7, at(2.1), 100)
