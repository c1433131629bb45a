"""Recordings are kept three calendar years after the last activity (Reg F 1006.100): a count
of days fell a day short whenever the years held a 29 February."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qa.retention import RetentionRefused, quiet_since


def test_three_years_back_is_the_same_calendar_day_across_a_leap_day() -> None:
    now = datetime(2029, 3, 1, 0, 30, tzinfo=UTC)
    assert quiet_since(now, 3) == datetime(2026, 3, 1, 0, 30, tzinfo=UTC)


def test_from_a_29_february_the_cutoff_is_the_28th_never_later() -> None:
    assert quiet_since(datetime(2028, 2, 29, 12, tzinfo=UTC), 3) == datetime(
        2025, 2, 28, 12, tzinfo=UTC
    )


def test_fewer_than_three_years_is_refused() -> None:
    with pytest.raises(RetentionRefused):
        quiet_since(datetime(2029, 3, 1, tzinfo=UTC), 2)
