"""The dialer tests find a place inside calling hours at whatever hour CI runs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dialer_rig import callable_place


def test_some_simulated_place_is_inside_calling_hours_at_every_quarter_hour_of_the_year() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for quarter in range(366 * 24 * 4):  # both DST changes, US and UK
        now = start + timedelta(minutes=15 * quarter)
        place = callable_place(now)
        assert 9 <= now.astimezone(ZoneInfo(place.zone)).hour < 19, (now, place)


def test_a_us_place_is_preferred_and_london_covers_the_us_nights_gap() -> None:
    assert callable_place(datetime(2026, 11, 30, 15, 0, tzinfo=UTC)).profile == "us"
    london = callable_place(datetime(2026, 11, 30, 11, 0, tzinfo=UTC))
    assert (london.profile, london.number(3, 2)) == ("uk", "+442079460132")
