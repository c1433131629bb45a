from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.segments import HOLD_FLAGS, PaymentHistory, score_account, segment_account

TODAY = date(2026, 11, 30)
NO_HISTORY = PaymentHistory()


def _days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def test_fresh_small_debt_with_a_recent_payment_scores_high() -> None:
    history = PaymentHistory(last_payment_date=_days_ago(60), promises_kept=1)
    segment = segment_account(180_00, _days_ago(60), history, [], TODAY)
    assert (segment.label, segment.score) == ("high", 95.0)


def test_old_large_debt_that_never_paid_scores_low() -> None:
    segment = segment_account(25_000_00, _days_ago(1_500), NO_HISTORY, [], TODAY)
    assert (segment.label, segment.score) == ("low", 8.0)


def test_middle_of_the_road_debt_is_medium() -> None:
    segment = segment_account(1_800_00, _days_ago(200), NO_HISTORY, [], TODAY)
    assert (segment.label, segment.score) == ("medium", 37.0)


def test_any_hold_flag_puts_the_account_on_hold_whatever_its_score() -> None:
    for flag in sorted(HOLD_FLAGS):
        assert segment_account(100_00, _days_ago(30), NO_HISTORY, [flag], TODAY).label == "hold"


def test_a_zero_balance_is_paid() -> None:
    assert segment_account(0, _days_ago(400), NO_HISTORY, [], TODAY).label == "paid"


def test_a_payment_within_45_days_or_an_active_plan_is_paying() -> None:
    recent = PaymentHistory(last_payment_date=_days_ago(45))
    assert segment_account(5_000_00, _days_ago(900), recent, [], TODAY).label == "paying"
    planned = PaymentHistory(last_payment_date=_days_ago(400), active_plan=True)
    assert segment_account(5_000_00, _days_ago(900), planned, [], TODAY).label == "paying"
    older = PaymentHistory(last_payment_date=_days_ago(46))
    assert segment_account(5_000_00, _days_ago(900), older, [], TODAY).label != "paying"


def test_broken_promises_lower_the_score() -> None:
    kept = score_account(900_00, _days_ago(100), PaymentHistory(promises_kept=1), TODAY)
    broken = score_account(900_00, _days_ago(100), PaymentHistory(promises_broken=2), TODAY)
    assert broken < kept


histories = st.builds(
    PaymentHistory,
    last_payment_date=st.none() | st.integers(0, 3_000).map(_days_ago),
    promises_kept=st.integers(0, 10),
    promises_broken=st.integers(0, 10),
    active_plan=st.booleans(),
)
ages = st.none() | st.integers(0, 5_000).map(_days_ago)


@given(st.integers(0, 10**9), ages, histories)
def test_score_is_always_between_0_and_100(
    balance: int, delinquent: date | None, history: PaymentHistory
) -> None:
    assert 0.0 <= score_account(balance, delinquent, history, TODAY) <= 100.0


@given(st.integers(0, 10**9), st.integers(0, 4_000), st.integers(1, 1_000), histories)
def test_older_debt_never_scores_higher(
    balance: int, age: int, extra: int, history: PaymentHistory
) -> None:
    younger = score_account(balance, _days_ago(age), history, TODAY)
    older = score_account(balance, _days_ago(age + extra), history, TODAY)
    assert older <= younger


@given(st.integers(0, 10**9), st.integers(1, 10**8), ages, histories)
def test_a_larger_balance_never_scores_higher(
    balance: int, extra: int, delinquent: date | None, history: PaymentHistory
) -> None:
    assert score_account(balance + extra, delinquent, history, TODAY) <= score_account(
        balance, delinquent, history, TODAY
    )


@given(
    st.integers(1, 10**9),
    ages,
    histories,
    st.lists(st.sampled_from(sorted(HOLD_FLAGS)), min_size=1),
)
def test_hold_flags_always_win(
    balance: int, delinquent: date | None, history: PaymentHistory, flags: list[str]
) -> None:
    assert segment_account(balance, delinquent, history, flags, TODAY).label == "hold"
