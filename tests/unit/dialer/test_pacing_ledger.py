"""The abandon ledger behind the budget guard: today, plus the rolling 30-day window."""

from __future__ import annotations

from dialer.pacing_ledger import AbandonLedger

DAY = 86_400.0


def test_window_counts_today_and_previous_days() -> None:
    ledger = AbandonLedger()
    ledger.record(0 * DAY + 100, abandoned=True)
    ledger.record(1 * DAY + 100, abandoned=False)
    ledger.record(1 * DAY + 200, abandoned=False)
    assert ledger.window() == (3, 1)
    assert (ledger.lives_today, ledger.abandoned_today) == (2, 0)


def test_day_31_forgets_day_1_abandons() -> None:
    ledger = AbandonLedger(window_days=30)
    ledger.record(0 * DAY + 100, abandoned=True)
    ledger.record(29 * DAY + 100, abandoned=False)
    assert ledger.window() == (2, 1)
    ledger.roll_to(30 * DAY + 100)
    assert ledger.window() == (1, 0)


def test_typical_day_is_the_median_of_closed_days_and_unknown_before_one_closes() -> None:
    ledger = AbandonLedger()
    for _ in range(5):
        ledger.record(0 * DAY + 100, abandoned=False)
    assert ledger.typical_day_lives() is None  # day 0 is still open
    for day, lives in ((1, 9), (2, 7)):
        for _ in range(lives):
            ledger.record(day * DAY + 100, abandoned=False)
    ledger.roll_to(3 * DAY)
    assert ledger.typical_day_lives() == 7  # median of 5, 9, 7
