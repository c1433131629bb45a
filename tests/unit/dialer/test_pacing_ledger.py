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
