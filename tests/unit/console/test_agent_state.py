"""The agent state machine: what each click may do, and where a saved outcome leaves the agent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.live import AgentStatus
from console.services import agent_state
from console.services.masking import mask_dob, mask_number
from core.models import Campaign

NOW = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)


def status(state: str, reason: str = "") -> AgentStatus:
    return AgentStatus(agent_id=7, state=state, reason=reason, campaign_id=3, since=NOW)


def test_ready_from_logged_in_records_the_campaign() -> None:
    new = agent_state.ready(agent_state.logged_in(7, 3, NOW), 3, NOW)
    assert (new.state, new.campaign_id) == ("ready", 3)


def test_going_ready_on_a_call_is_refused() -> None:
    with pytest.raises(agent_state.StateRefused, match="Finish the call"):
        agent_state.ready(status("on_call"), 3, NOW)


def test_going_ready_with_an_unsaved_outcome_is_refused() -> None:
    with pytest.raises(agent_state.StateRefused, match="Save the call's outcome"):
        agent_state.ready(status("wrap_up"), 3, NOW, open_call=True)


def test_pause_without_a_known_reason_is_refused() -> None:
    with pytest.raises(agent_state.StateRefused, match="Choose a pause reason"):
        agent_state.pause(status("ready"), "nap", NOW)


def test_saved_outcome_goes_to_timed_wrap_up_when_the_campaign_gives_one() -> None:
    campaign = Campaign(id=3, client_id=1, name="c", wrapup_seconds=30)
    new = agent_state.after_disposition(status("on_call"), campaign, NOW)
    assert new.state == "wrap_up" and new.wrapup_until == NOW + timedelta(seconds=30)


def test_saved_outcome_goes_straight_to_ready_without_wrap_up_time() -> None:
    campaign = Campaign(id=3, client_id=1, name="c", wrapup_seconds=0)
    assert agent_state.after_disposition(status("on_call"), campaign, NOW).state == "ready"


def test_numbers_and_birth_date_are_masked_until_verification() -> None:
    assert mask_number("+12025550143", False) == "••••••••0143"
    assert mask_number("+12025550143", True) == "+12025550143"
    assert "19" not in mask_dob(datetime(1984, 3, 9).date(), False)


@pytest.mark.parametrize("state", ["ready", "wrap_up"])
def test_a_closed_screen_pauses_an_agent_calls_would_reach(state: str) -> None:
    later = NOW + timedelta(minutes=1)
    paused = agent_state.screen_closed(status(state), later)
    assert paused is not None
    assert (paused.state, paused.reason, paused.campaign_id) == ("paused", "screen_closed", 3)
    assert agent_state.label(paused) == "Paused: screen closed"


@pytest.mark.parametrize("state", ["on_call", "paused", "logged_out"])
def test_a_closed_screen_leaves_a_call_a_pause_or_a_logout_alone(state: str) -> None:
    assert agent_state.screen_closed(status(state, "break"), NOW) is None


def test_a_pause_while_calls_are_out_waits_for_them_and_a_second_press_changes_the_reason() -> None:
    later = NOW + timedelta(seconds=3)
    pausing = agent_state.pause(status("ready"), "break", later, calls_out=True)
    assert (pausing.state, pausing.reason, pausing.since) == ("ready", "pausing:break", later)
    assert agent_state.label(pausing) == "Pausing (Break) once the calls already ringing end"
    again = agent_state.pause(pausing, "lunch", later + timedelta(seconds=2), calls_out=True)
    # Still waiting, from the first press: a second press must not abandon the calls out.
    assert (again.state, again.reason, again.since) == ("ready", "pausing:lunch", later)
    # Nothing out (preview, no dialer): paused at once, as before.
    assert agent_state.pause(status("ready"), "break", later).state == "paused"
    assert agent_state.ready(pausing, 3, later).reason == ""  # Ready again calls it off


def test_a_pause_on_a_call_waits_for_its_outcome() -> None:
    on_call = agent_state.pause(status("on_call"), "lunch", NOW)
    assert (on_call.state, on_call.reason) == ("on_call", "pausing:lunch")
    unsaved = agent_state.pause(status("wrap_up"), "break", NOW, open_call=True)
    assert (unsaved.state, unsaved.reason) == ("wrap_up", "pausing:break")
    campaign = Campaign(id=3, client_id=1, name="c", wrapup_seconds=30)
    assert agent_state.after_disposition(on_call, campaign, NOW).state == "paused"


def test_a_call_taken_while_pausing_ends_in_the_pause_asked_for() -> None:
    on_call = status("on_call", "pausing:training")
    assert agent_state.label(on_call) == "On call, then paused: Training"
    campaign = Campaign(id=3, client_id=1, name="c", wrapup_seconds=30)
    after = agent_state.after_disposition(on_call, campaign, NOW)
    assert (after.state, after.reason, after.wrapup_until) == ("paused", "training", None)
