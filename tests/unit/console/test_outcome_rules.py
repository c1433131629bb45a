"""The outcome panel's rules, pure: promise bounds, settlement band, plan arithmetic."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from console.services.outcome import (
    Policy,
    build_schedule,
    check_plan,
    check_promise,
)

TODAY = date(2026, 3, 11)
POLICY = Policy(
    balance_minor=124050, currency="USD", promise_max_days=30, settlement_min_pct=60,
    plan_max_installments=12, today=TODAY,
)  # fmt: skip


def test_promise_of_the_whole_balance_on_the_last_allowed_day_is_accepted() -> None:
    errors: dict[str, str] = {}
    due = (TODAY + timedelta(days=30)).isoformat()
    promise = check_promise({"promise_amount": "1,240.50", "promise_date": due}, POLICY, errors)
    assert errors == {} and promise is not None and promise.amount_minor == 124050


def test_promise_one_cent_over_the_balance_is_refused_on_the_amount_field() -> None:
    errors: dict[str, str] = {}
    check_promise({"promise_amount": "1240.51", "promise_date": TODAY.isoformat()}, POLICY, errors)
    assert errors == {"promise_amount": "A promise cannot be more than the balance, $1,240.50."}


def test_promise_a_day_past_the_portfolio_window_is_refused_on_the_date_field() -> None:
    errors: dict[str, str] = {}
    late = (TODAY + timedelta(days=31)).isoformat()
    check_promise({"promise_amount": "10", "promise_date": late}, POLICY, errors)
    assert set(errors) == {"promise_date"}


def test_settlement_below_the_client_band_names_the_lowest_amount() -> None:
    errors: dict[str, str] = {}
    form = {"plan_settlement": "on", "plan_total": "744.00",
            "plan_date_1": TODAY.isoformat(), "plan_amount_1": "744.00"}  # fmt: skip
    assert check_plan(form, POLICY, errors) is None
    assert "at least $744.30" in errors["plan_total"]


def test_plan_whose_installments_do_not_add_up_is_refused() -> None:
    errors: dict[str, str] = {}
    form = {"plan_total": "1240.50", "plan_date_1": "2026-03-20", "plan_amount_1": "600.00",
            "plan_date_2": "2026-04-20", "plan_amount_2": "600.00"}  # fmt: skip
    assert check_plan(form, POLICY, errors) is None
    assert "add up to $1,200.00, not the agreed $1,240.50" in errors["plan_rows"]


def test_full_balance_plan_in_three_monthly_installments_is_accepted() -> None:
    rows = build_schedule(124050, 3, date(2026, 3, 31), "monthly")
    assert [d for d, _ in rows] == [date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]
    form = {"plan_total": "1240.50"}
    for seq, (due, amount) in enumerate(rows, start=1):
        form[f"plan_date_{seq}"] = due.isoformat()
        form[f"plan_amount_{seq}"] = f"{amount / 100:.2f}"
    errors: dict[str, str] = {}
    plan = check_plan(form, POLICY, errors)
    assert errors == {} and plan is not None and len(plan.installments) == 3


@given(
    total=st.integers(min_value=1, max_value=10_000_000),
    count=st.integers(min_value=1, max_value=24),
    every=st.sampled_from(["weekly", "biweekly", "monthly"]),
)
def test_built_schedules_always_add_up_to_the_total_with_rising_dates(
    total: int, count: int, every: str
) -> None:
    rows = build_schedule(total, count, TODAY, every)
    assert sum(amount for _, amount in rows) == total
    assert all(b > a for (a, _), (b, _) in itertools.pairwise(rows))
