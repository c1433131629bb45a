"""The search for `next_allowed_at`: the earliest instant every rule lets a contact through.

The allowed instants form intervals, and an interval can only begin where some rule stops
blocking: the start of the allowed hours in some zone, a local midnight (holidays, calendar-day
caps, lockout ends), the end of a range the consumer called inconvenient, a DST jump, or the
instant the history rules clear. So we list those boundary instants, sort them, and return the
first one the engine itself allows; nothing is approximated by stepping minute by minute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from compliance.contact import InconvenientRange
from compliance.profiles import Profile
from compliance.zones import zone

#: How far past the history rules' clearing we look. The clock rules repeat weekly and holidays
#: last a few days, so three weeks without an allowed instant means there is none (e.g. the
#: consumer called every hour inconvenient, or the zones' windows never overlap).
SEARCH_DAYS = 21


def _wall_instants(tz: ZoneInfo, day: date, minute: int) -> Iterator[datetime]:
    """Both readings of a local wall time (they differ only on DST nights)."""
    if minute >= 24 * 60:
        day, minute = day + timedelta(days=1), minute - 24 * 60
    naive = datetime.combine(day, time(minute // 60, minute % 60))
    for fold in (0, 1):
        yield naive.replace(tzinfo=tz, fold=fold).astimezone(UTC)


def offset_at(tz: ZoneInfo, instant: datetime) -> timedelta:
    """The zone's UTC offset at an aware instant. `tz.utcoffset(instant)` would read the
    instant's wall clock as local time, which puts a DST change hours away from where it is
    (02:00 in Adak is 12:00 UTC, not 02:00 UTC)."""
    return instant.astimezone(tz).utcoffset() or timedelta()


def offset_changes(tz: ZoneInfo, start: datetime, end: datetime) -> Iterator[datetime]:
    """Instants in [start, end) where the zone's UTC offset changes, to the second."""
    step = timedelta(hours=6)
    low = start
    while low < end:
        high = min(low + step, end)
        if offset_at(tz, low) != offset_at(tz, high):
            lo, hi = low, high
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if offset_at(tz, mid) == offset_at(tz, lo):
                    lo = mid
                else:
                    hi = mid
            yield hi.replace(microsecond=0)
        low = high


def boundaries(
    zones: tuple[str, ...],
    home: str,
    profile: Profile,
    ranges: tuple[InconvenientRange, ...],
    start: datetime,
    end: datetime,
) -> list[datetime]:
    """Every instant in [start, end] at which a clock rule may stop blocking, sorted."""
    found = {start}
    for name in dict.fromkeys((*zones, home)):
        tz = zone(name)
        minutes = {0, profile.start}
        if name == home:
            minutes |= {r.end for r in ranges}
        day = start.astimezone(tz).date() - timedelta(days=1)
        last = end.astimezone(tz).date() + timedelta(days=1)
        while day <= last:
            found.update(t for m in minutes for t in _wall_instants(tz, day, m))
            day += timedelta(days=1)
        found.update(offset_changes(tz, start, end))
    return sorted(t for t in found if start <= t <= end)


def first_allowed(
    zones: tuple[str, ...],
    home: str,
    profile: Profile,
    ranges: tuple[InconvenientRange, ...],
    start: datetime,
    allowed: Callable[[datetime], bool],
) -> datetime | None:
    """The first boundary instant at or after `start` that `allowed` accepts, or None. Searched
    a day at a time, since the answer is usually within hours."""
    low = start.astimezone(UTC)
    horizon = low + timedelta(days=SEARCH_DAYS)
    while low < horizon:
        high = min(low + timedelta(days=1), horizon)
        candidates = boundaries(zones, home, profile, ranges, low, high)
        found = next((t for t in candidates if t < high and allowed(t)), None)
        if found is not None:
            return found
        low = high
    return None
