"""Clock rules: allowed hours in every zone the debtor may be in, holidays, and the times the
consumer told us are inconvenient."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

import holidays

from compliance.contact import WEEKDAYS, InconvenientRange
from compliance.profiles import HolidayCalendar, Profile
from compliance.zones import zone


def seconds_of_day(local: datetime) -> int:
    """Whole seconds since local midnight; every boundary is a whole minute, so 20:59:59.9 is
    still before 21:00 and 07:59:59.9 still before 08:00."""
    return local.hour * 3600 + local.minute * 60 + local.second


@cache
def holiday_dates(country: str, subdiv: str | None, year: int) -> frozenset[date]:
    """Holidays of one calendar year, cached because the package computes them on every call."""
    return frozenset(holidays.country_holidays(country, subdiv=subdiv, years=year))


def is_holiday(day: date, calendars: tuple[HolidayCalendar, ...]) -> bool:
    return any(day in holiday_dates(c.country, c.subdiv, day.year) for c in calendars)


def outside_hours(at: datetime, zones: tuple[str, ...], profile: Profile) -> bool:
    """True unless, in every zone, the local time is in [start, end) on a day that is no holiday."""
    start, end = profile.start * 60, profile.end * 60
    for name in zones:
        local = at.astimezone(zone(name))
        if not start <= seconds_of_day(local) < end:
            return True
        if profile.holidays and is_holiday(local.date(), profile.holidays):
            return True
    return False


def inconvenient(at: datetime, home: str, ranges: tuple[InconvenientRange, ...]) -> bool:
    """True when `at`, in the home zone, falls in a range the consumer called inconvenient."""
    if not ranges:
        return False
    local = at.astimezone(zone(home))
    day = WEEKDAYS[local.weekday()]
    second = seconds_of_day(local)
    return any(day in r.days and r.start * 60 <= second < r.end * 60 for r in ranges)
