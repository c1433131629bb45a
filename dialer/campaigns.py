"""A campaign as the dialer runs it: the Campaign row's settings, validated once.

`filter` and `schedule` are free-form JSON in the database (the admin screens write them), so
they are checked here with a message naming the field, and a bad campaign is skipped with that
message in the log rather than dialling with half its rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from compliance.profiles import resolve
from core.models import Campaign

DIAL_MODES = ("preview", "progressive", "predictive")
FILTER_KEYS = frozenset({"segments", "statuses", "min_balance_minor", "max_balance_minor"})
SCHEDULE_KEYS = frozenset({"days", "start", "end", "timezone", "retry_minutes"})
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# How a lead's pause from the lead page stamps a campaign's `updated_by`: a campaign an admin
# set `active: false` (a contract ended, a book recalled) is retired instead, and a lead may
# resume only a pause of a lead's.
LEAD_PAUSE = "lead "


def lead_pause_of(campaign: Campaign) -> str | None:
    """The username of the lead whose pause holds the campaign; None when it runs, or an admin
    took it off the floor."""
    if campaign.active or not campaign.updated_by.startswith(LEAD_PAUSE):
        return None
    return campaign.updated_by.removeprefix(LEAD_PAUSE)


def campaign_zone(schedule: Mapping[str, Any]) -> ZoneInfo:
    """The time zone a campaign's schedule runs in, whose calendar days its abandon figures
    count: a floor calling California until 9 pm must not see "today" roll over at 4 pm, nor
    have its day guard reset mid-shift. A zone the dialer refuses (it logs and skips such a
    campaign) reads as UTC here, so the lead page still shows the campaign's figures."""
    try:
        return ZoneInfo(str(schedule.get("timezone") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def standard_offset(zone: ZoneInfo, at: datetime) -> float:
    """The zone's UTC offset without daylight saving, in seconds, as of `at`: a fixed shift
    for a clock that must stay monotonic (the pacing policy's), whose days then start at
    local midnight in winter and 1 am in summer, hours no debtor may be called in."""
    local = at.astimezone(zone)
    return ((local.utcoffset() or timedelta()) - (local.dst() or timedelta())).total_seconds()


class CampaignError(ValueError):
    """A campaign's settings cannot be dialled; the message names the campaign and field."""


@dataclass(frozen=True)
class CampaignPlan:
    """What the dialer needs from a campaign, with defaults filled in."""

    id: int
    client_id: int
    name: str
    portfolio_ids: tuple[int, ...]
    dial_mode: str
    caller_id: str
    script_name: str
    abandon_target: float
    wrapup_seconds: int
    segments: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ("open",)
    min_balance_minor: int | None = None
    max_balance_minor: int | None = None
    days: tuple[str, ...] = WEEKDAYS
    start: time = time(0, 0)
    end: time | None = None  # None = end of day
    timezone: str = "UTC"
    retry_minutes: int = 60
    # The share of live answers no single day may abandon, where a portfolio's law measures per
    # day (Ofcom's 3% per 24 h); None where only the 30-day window counts (the US rule).
    day_limit: float | None = None

    def in_schedule(self, at: datetime) -> bool:
        """Whether the campaign's own dialling window is open at `at`.

        The compliance engine separately enforces the debtor's legal hours; this is the shop's
        choice of when a campaign runs (e.g. weekdays 09:00-20:00 head-office time).
        """
        local = at.astimezone(ZoneInfo(self.timezone))
        if WEEKDAYS[local.weekday()] not in self.days:
            return False
        now = local.time()
        return self.start <= now and (self.end is None or now < self.end)

    def day_of(self, at: datetime) -> date:
        """The campaign's calendar day at `at` (its schedule's time zone): the day its abandon
        figures are counted on."""
        return at.astimezone(ZoneInfo(self.timezone)).date()


def _clock(campaign: str, field: str, value: Any) -> time:
    try:
        hours, minutes = str(value).split(":")
        if (int(hours), int(minutes)) == (24, 0):
            return time.max
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise CampaignError(
            f"campaign {campaign!r}: schedule.{field} {value!r} is not HH:MM"
        ) from exc


def day_limit(profiles: Iterable[str]) -> float | None:
    """The strictest per-day abandon limit among calling profiles (None: none measures per
    day); raises ValueError naming an unknown profile."""
    limits = [resolve(profile).abandon_day_limit for profile in profiles]
    return min((limit for limit in limits if limit is not None), default=None)


def plan(row: Campaign, profiles: Iterable[str] = ()) -> CampaignPlan:
    """Validate a Campaign row into a plan, or raise CampaignError naming the field.

    `profiles` are the calling profiles of the campaign's portfolios: where one measures
    abandons per day, the strictest such limit binds the whole campaign."""
    name = row.name
    try:
        limit = day_limit(profiles)
    except ValueError as exc:
        raise CampaignError(f"campaign {name!r}: a portfolio's calling_profile: {exc}") from exc
    if row.id is None:
        raise CampaignError(f"campaign {name!r} is not stored yet")
    if row.dial_mode not in DIAL_MODES:
        raise CampaignError(
            f"campaign {name!r}: dial_mode {row.dial_mode!r} is not one of {', '.join(DIAL_MODES)}"
        )
    if not 0.0 < row.abandon_target <= 0.03:
        raise CampaignError(
            f"campaign {name!r}: abandon_target {row.abandon_target} must be above 0 and at most "
            "0.03 (the 3% cap; lower is allowed, higher is not)"
        )
    unknown = set(row.filter) - FILTER_KEYS
    if unknown:
        raise CampaignError(f"campaign {name!r}: filter has unknown field(s) {sorted(unknown)}")
    unknown = set(row.schedule) - SCHEDULE_KEYS
    if unknown:
        raise CampaignError(f"campaign {name!r}: schedule has unknown field(s) {sorted(unknown)}")
    sched, filt = row.schedule, row.filter
    days = tuple(str(d).lower() for d in sched.get("days", WEEKDAYS))
    bad_days = [d for d in days if d not in WEEKDAYS]
    if bad_days:
        raise CampaignError(f"campaign {name!r}: schedule.days has {bad_days}, use mon..sun")
    timezone = str(sched.get("timezone", "UTC"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CampaignError(f"campaign {name!r}: schedule.timezone {timezone!r} unknown") from exc
    end = _clock(name, "end", sched["end"]) if "end" in sched else None
    return CampaignPlan(
        id=row.id,
        client_id=row.client_id,
        name=name,
        portfolio_ids=tuple(int(p) for p in row.portfolio_ids),
        dial_mode=row.dial_mode,
        caller_id=row.caller_id,
        script_name=row.script_name,
        abandon_target=row.abandon_target,
        wrapup_seconds=row.wrapup_seconds,
        segments=tuple(str(s) for s in filt.get("segments", ())),
        statuses=tuple(str(s) for s in filt.get("statuses", ("open",))),
        min_balance_minor=filt.get("min_balance_minor"),
        max_balance_minor=filt.get("max_balance_minor"),
        days=days,
        start=_clock(name, "start", sched.get("start", "00:00")),
        end=None if end == time.max else end,
        timezone=timezone,
        retry_minutes=int(sched.get("retry_minutes", 60)),
        day_limit=limit,
    )
