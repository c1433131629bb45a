"""The predictive policy's memory: what it learned survives a dialer restart, exactly."""

from __future__ import annotations

import copy
import json
import math

import pytest

from bench.pacing_sim import Scenario, simulate_day
from dialer.pacing import PacingEvent, PacingSnapshot, PredictivePolicy, make_policy

FLOOR = Scenario("10 agents, 25% live", agents=10, live_rate=0.25)


def _predictive() -> PredictivePolicy:
    policy = make_policy("predictive")
    assert isinstance(policy, PredictivePolicy)
    return policy


def _through_json(policy: PredictivePolicy) -> dict[str, object]:
    """The memory as the database hands it back (a JSON column)."""
    stored: dict[str, object] = json.loads(json.dumps(policy.memory()))
    return stored


@pytest.fixture(scope="module")
def first_day() -> PredictivePolicy:
    """A policy after one simulated shift on a 10-agent floor (copied by each test)."""
    policy = _predictive()
    simulate_day(FLOOR, policy, seed=3, day=0, scenario_key=1)
    return policy


def test_a_restart_overnight_with_memory_dials_the_next_day_exactly_as_without_one(
    first_day: PredictivePolicy,
) -> None:
    learned = copy.deepcopy(first_day)
    restarted = _predictive()
    restarted.recall(_through_json(learned))
    # The dialer rebuilds the abandon ledger from stored attempts; the memory holds the rest.
    restarted.ledger = copy.deepcopy(learned.ledger)

    kept_on = simulate_day(FLOOR, learned, seed=3, day=1, scenario_key=1)
    after_restart = simulate_day(FLOOR, restarted, seed=3, day=1, scenario_key=1)

    assert after_restart.placements == kept_on.placements
    assert after_restart.abandoned == kept_on.abandoned
    assert after_restart.talk_seconds == kept_on.talk_seconds
    assert math.exp(restarted.log_threshold) == math.exp(learned.log_threshold)


def test_a_restart_without_memory_dials_progressively_until_it_has_learned_again(
    first_day: PredictivePolicy,
) -> None:
    learned = copy.deepcopy(first_day)
    snapshot = PacingSnapshot(9 * 3600.0 + 86_400.0, 1, [170.0] * 6, [25.0] * 3, [], 0)
    restarted = _predictive()
    restarted.recall(_through_json(learned))

    assert _predictive().calls_to_place(snapshot) == 1  # forgot everything: one per ready agent
    assert restarted.calls_to_place(snapshot) > 1


def _taught() -> PredictivePolicy:
    policy = _predictive()
    for i in range(400):
        result = "live" if i % 4 == 0 else "busy"
        policy.observe(PacingEvent("resolved", i, 12.0 if result == "live" else 3.0, result))
    for _ in range(40):
        policy.observe(PacingEvent("talk_ended", 500.0, 150.0))
        policy.observe(PacingEvent("wrap_ended", 500.0, 20.0))
    return policy


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (lambda m: m.update(version=99), "version"),
        (lambda m: m.update(log_threshold="high"), "log_threshold"),
        (lambda m: m.update(abandon_target=3), "abandon_target"),
        (lambda m: m.update(feedback_steps=-1), "feedback_steps"),
        (lambda m: m.update(feedback_steps=2.5), "feedback_steps"),
        (lambda m: m.pop("wrap"), "wrap"),
        (lambda m: m["talk"]["counts"].pop(), "talk.counts"),
        (lambda m: m["dials"]["marked"].__setitem__(3, -1.0), "dials.marked"),
        (lambda m: m["wrap"].update(samples=-5), "wrap.samples"),
        (lambda m: m["talk"].update(weight=0), "talk.weight"),
    ],
)
def test_a_spoiled_memory_is_refused_naming_its_field_and_changes_nothing(
    spoil: object, field: str
) -> None:
    memory = _through_json(_taught())
    spoil(memory)  # type: ignore[operator]
    policy = _predictive()
    before = json.dumps(policy.memory())

    with pytest.raises(ValueError, match=field.replace(".", r"\.")):
        policy.recall(memory)
    assert json.dumps(policy.memory()) == before


def test_a_memory_learned_under_another_target_keeps_the_histograms_and_scales_the_threshold(
    first_day: PredictivePolicy,
) -> None:
    memory = _through_json(first_day)
    stricter = make_policy("predictive", 0.015)
    assert isinstance(stricter, PredictivePolicy)

    stricter.recall(memory)

    recalled = stricter.memory()
    assert recalled["abandon_target"] == 0.015
    assert recalled["talk"] == memory["talk"] and recalled["dials"] == memory["dials"]
    assert math.exp(stricter.log_threshold) == pytest.approx(math.exp(first_day.log_threshold) / 2)


def test_a_memory_saved_before_targets_were_kept_counts_as_learned_under_the_policys_own(
    first_day: PredictivePolicy,
) -> None:
    memory = _through_json(first_day)
    del memory["abandon_target"]
    stricter = make_policy("predictive", 0.015)
    assert isinstance(stricter, PredictivePolicy)

    stricter.recall(memory)

    assert stricter.log_threshold == first_day.log_threshold


def test_a_memory_keeps_how_far_the_feedback_loop_has_settled(first_day: PredictivePolicy) -> None:
    # A shift's answers settle the loop's steps; a restart must not take big first-day steps
    # again, and a memory saved before steps were counted is a settled one.
    assert first_day.feedback_steps == 1000
    young = _predictive()
    young.feedback_steps = 120
    restarted = _predictive()
    restarted.recall(_through_json(young))
    assert restarted.feedback_steps == 120

    older = _through_json(young)
    del older["feedback_steps"]
    restarted.recall(older)
    assert restarted.feedback_steps == 1000
