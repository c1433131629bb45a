"""The debtor's date, which a promise "for today" is checked against."""

from __future__ import annotations

from datetime import UTC, date, datetime

from compliance.zones import local_date

# 03:30 UTC on 1 December is 17:30 on 30 November in Honolulu, 22:30 in New York.
LATE_EVENING = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)


def test_an_evening_call_in_hawaii_is_still_the_debtors_today() -> None:
    assert local_date(("Pacific/Honolulu",), LATE_EVENING) == date(2026, 11, 30)


def test_zones_straddling_midnight_give_the_earliest_date() -> None:
    zones = ("America/New_York", "Europe/London")
    assert local_date(zones, datetime(2026, 12, 1, 0, 30, tzinfo=UTC)) == date(2026, 11, 30)


def test_no_known_zone_falls_back_to_the_utc_date() -> None:
    assert local_date((), LATE_EVENING) == date(2026, 12, 1)
