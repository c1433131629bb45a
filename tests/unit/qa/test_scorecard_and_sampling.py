"""The QA scorecard's arithmetic and the weekly sample's draw."""

from __future__ import annotations

import pytest

from qa.sampling import Candidate, sample
from qa.scorecard import CODES, CRITERIA, ScorecardError, score

ALL_MET = dict.fromkeys(CODES, True)


def test_a_call_meeting_every_criterion_scores_100() -> None:
    result = score(ALL_MET)

    assert (result.percent, result.passed) == (100.0, True)


def test_weights_count_and_a_missed_fatal_criterion_scores_the_call_0() -> None:
    weights = {c.code: c.weight for c in CRITERIA}
    total = sum(weights.values())
    no_recap = score({**ALL_MET, "recap": False})
    no_disclosure = score({**ALL_MET, "mini_miranda": False, "recap": False})

    assert no_recap.percent == pytest.approx(100 * (total - weights["recap"]) / total)
    assert (no_disclosure.percent, no_disclosure.fatal_missed) == (0.0, ("mini_miranda",))
    assert not no_disclosure.passed


def test_what_did_not_arise_counts_neither_way() -> None:
    """A person who never verified must not hear the mini-Miranda, and raised no dispute: the
    call was handled right and scores as such, not 0 and "failed"."""
    weights = {c.code: c.weight for c in CRITERIA}
    unverified = score({**ALL_MET, "mini_miranda": None, "disputes": None, "recap": False})

    counted = sum(weights.values()) - weights["disputes"]
    assert unverified.passed
    assert unverified.percent == pytest.approx(100 * (counted - weights["recap"]) / counted)
    with pytest.raises(ScorecardError, match=r"applies to every call.*Verified the right party"):
        score({**ALL_MET, "rpv": None})


def test_every_criterion_must_be_marked_and_only_those() -> None:
    unmarked = {k: v for k, v in ALL_MET.items() if k not in ("listened", "rpv")}
    labels = {c.code: c.label for c in CRITERIA}

    with pytest.raises(ScorecardError) as refused:
        score(unmarked)
    assert labels["listened"] in str(refused.value) and labels["rpv"] in str(refused.value)
    with pytest.raises(ScorecardError, match="not on the scorecard: smiled"):
        score({**ALL_MET, "smiled": True})


def test_the_sample_takes_at_most_n_per_agent_and_the_same_seed_draws_the_same_calls() -> None:
    calls = [Candidate(i, agent) for agent in (1, 2) for i in range(agent * 100, agent * 100 + 9)]
    calls.append(Candidate(999, 3))  # an agent with one call gets it reviewed

    week = sample(calls, 3, "2026-W11")
    again = sample(list(reversed(calls)), 3, "2026-W11")
    next_week = sample(calls, 3, "2026-W12")

    agents = [next(c.agent_id for c in calls if c.attempt_id == a) for a in week]
    assert sorted(agents) == [1, 1, 1, 2, 2, 2, 3]
    assert week == again  # the order calls come in does not matter
    assert set(next_week) != set(week)  # another week, another draw


def test_calls_already_scored_stay_in_the_sample_as_new_calls_arrive() -> None:
    monday = [Candidate(i, 1) for i in range(100, 105)]
    scored = sample(monday, 2, "2026-W11")
    later = monday + [Candidate(i, 1) for i in range(200, 240)]  # the week goes on

    redrawn = sample(later, 2, "2026-W11", reviewed=set(scored))

    assert set(scored) <= set(redrawn) and len(redrawn) == 2
    assert set(sample(later, 2, "2026-W11")) != set(scored)  # without it they would drop off
