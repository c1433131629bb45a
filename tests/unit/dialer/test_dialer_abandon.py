"""Abandon accounting: rolling 30 days and per day, and the predictive fallback."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialer.abandon import AbandonLedger, Rate, effective_mode, pacing_history
from dialer.campaigns import standard_offset
from dialer.pacing import PredictivePolicy, make_policy
from dialer.pacing_contract import PacingEvent

TODAY = date(2026, 11, 23)


def test_rate_counts_only_live_answers_over_the_last_30_days() -> None:
    ledger = AbandonLedger()
    for outcome in ("conversation", "conversation", "abandoned", "no_answer", "voicemail", "busy"):
        ledger.record(TODAY, outcome)
    ledger.record(TODAY - timedelta(days=29), "abandoned")  # day 30 of the window: in
    ledger.record(TODAY - timedelta(days=30), "abandoned")  # day 31: out
    assert ledger.rate_30d(TODAY) == Rate(live=4, abandoned=2)
    assert ledger.rate_day(TODAY) == Rate(live=3, abandoned=1)
    assert Rate(0, 0).value == 0.0


def test_predictive_falls_back_once_the_budget_is_spent_and_returns_below_90_percent() -> None:
    assert effective_mode("predictive", Rate(100, 2), 0.03, "predictive") == "predictive"
    assert effective_mode("predictive", Rate(100, 3), 0.03, "predictive") == "progressive"
    # 2.8%: under the cap but above 90% of it, so a campaign already fallen back stays back
    assert effective_mode("predictive", Rate(1000, 28), 0.03, "progressive") == "progressive"
    assert effective_mode("predictive", Rate(1000, 26), 0.03, "progressive") == "predictive"


def test_lower_target_spends_sooner_and_other_modes_never_change() -> None:
    assert effective_mode("predictive", Rate(100, 1), 0.01, "predictive") == "progressive"
    assert effective_mode("progressive", Rate(10, 10), 0.03, "progressive") == "progressive"
    assert effective_mode("preview", Rate(10, 10), 0.03, "preview") == "preview"


@given(
    live=st.integers(0, 5000),
    share=st.floats(0, 1),
    target=st.floats(0.001, 0.03),
    current=st.sampled_from(["predictive", "progressive"]),
)
def test_never_predictive_while_abandons_reach_the_target(
    live: int, share: float, target: float, current: str
) -> None:
    abandoned = int(live * share)
    mode = effective_mode("predictive", Rate(live, abandoned), target, current)
    if live and abandoned >= target * live:
        assert mode == "progressive"


@pytest.mark.parametrize(
    "zone_name", ["UTC", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Auckland"]
)
@pytest.mark.parametrize("today", [date(2026, 1, 14), date(2026, 7, 15)])  # winter and summer
def test_stored_window_replayed_to_pacing_gives_its_ledger_the_campaigns_days_and_counts(
    zone_name: str, today: date
) -> None:
    zone = ZoneInfo(zone_name)
    stored = AbandonLedger()
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)
    for day, lives, abandoned in ((before, 900, 20), (yesterday, 1100, 30), (today, 40, 1)):
        for i in range(lives):
            stored.record(day, "abandoned" if i < abandoned else "conversation")
    offset = standard_offset(zone, datetime.combine(today, time(12), zone))
    policy = make_policy("predictive", day_offset=offset)
    assert isinstance(policy, PredictivePolicy)
    for event in pacing_history(stored, zone):
        policy.observe(event)
    assert policy.ledger.window() == (2040, 51)
    assert (policy.ledger.lives_today, policy.ledger.abandoned_today) == (40, 1)
    assert policy.ledger.typical_day_lives() == 1100  # median of the closed days 900 and 1100
    # the floor's first and last calls of its own day count on that day: a Los Angeles
    # floor's 8:55 pm is 4:55 am UTC the next day, where a UTC day would have split its shift
    for clock in (time(8, 5), time(20, 55)):
        at = datetime.combine(today, clock, zone).timestamp()
        policy.observe(PacingEvent("connected", at))
    assert (policy.ledger.lives_today, policy.ledger.window()[0]) == (42, 2042)
    next_morning = datetime.combine(today + timedelta(days=1), time(8), zone).timestamp()
    policy.observe(PacingEvent("connected", next_morning))
    assert policy.ledger.lives_today == 1  # the next local morning is a new day


def test_a_pacing_day_offset_of_a_day_or_more_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="day_offset"):
        make_policy("predictive", day_offset=86_400.0)


def test_a_live_answer_taken_back_leaves_the_days_abandons_counted_and_never_goes_below_them() -> (
    None
):
    ledger = AbandonLedger(live={TODAY: 2}, abandoned={TODAY: 1})
    ledger.uncount_live(TODAY)  # the agent heard a machine on the connected call
    assert ledger.rate_day(TODAY) == Rate(live=1, abandoned=1)
    ledger.uncount_live(TODAY)
    ledger.uncount_live(TODAY - timedelta(days=3))  # a day with nothing on it stays empty
    assert ledger.rate_day(TODAY) == Rate(live=1, abandoned=1)
    assert ledger.rate_30d(TODAY) == Rate(live=1, abandoned=1)
