"""The campaigns file an admin keeps: every campaign of the floor as YAML, checked as a whole.

Campaigns are set up by the people who run the floor, not by a developer with SQL, and a
floor's campaigns change together (a new placement, a new script, a lower abandon target for a
cautious client), so they live in one file that `concord campaigns apply` reads and `concord
campaigns export` writes back. This module is the pure half: text in, checked specs or problems
out, each problem naming the file's line and the field, so an admin can fix the file without
reading code. Names (clients, portfolios, agents, scripts) are checked against the database by
dialer.campaign_admin.
"""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from core import admin_file
from core.admin_file import Problem, Strict
from core.phones import e164
from scripts_library.challenger import MAX_SHARE

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Status = Literal["open", "paid", "settled"]


def _every_day() -> list[Weekday]:
    return ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _open_only() -> list[Status]:
    return ["open"]


def _hh_mm(value: str) -> str:
    """HH:MM with two-digit hours (so times compare as text); 24:00 is the end of the day."""
    hours, _, minutes = value.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"{value!r} is not HH:MM")
    clock = f"{int(hours):02d}:{minutes}"
    if not (int(hours) <= 23 and int(minutes) <= 59) and clock != "24:00":
        raise ValueError(f"{value!r} is not a time of day")
    return clock


class FilterSpec(Strict):
    """Which of the portfolios' accounts the campaign works (dialer.worklist applies it)."""

    segments: list[Literal["hold", "paid", "paying", "high", "medium", "low"]] = Field(
        default_factory=list
    )
    statuses: list[Status] = Field(default_factory=_open_only)
    min_balance_minor: int | None = Field(None, ge=0)
    max_balance_minor: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _bounds_in_order(self) -> FilterSpec:
        low, high = self.min_balance_minor, self.max_balance_minor
        if low is not None and high is not None and low > high:
            raise ValueError(f"min_balance_minor {low} is above max_balance_minor {high}")
        return self


class ScheduleSpec(Strict):
    """When the shop runs the campaign; the debtor's legal hours are the engine's, on top."""

    days: list[Weekday] = Field(default_factory=_every_day)
    start: str = "00:00"
    end: str = "24:00"
    timezone: str = "UTC"
    retry_minutes: int = Field(60, ge=1, le=7 * 24 * 60)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: object) -> object:
        # YAML 1.1 reads an unquoted 9:30 as the base-60 number 570; it can only mean 09:30.
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value // 60:02d}:{value % 60:02d}"
        return _hh_mm(value) if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            known = "a known time zone (e.g. America/New_York)"
            raise ValueError(f"{value!r} is not {known}") from None
        return value

    @model_validator(mode="after")
    def _opens_before_it_closes(self) -> ScheduleSpec:
        if self.start >= self.end:
            raise ValueError(f"start {self.start} is not before end {self.end}")
        return self


class ChallengerSpec(Strict):
    """A second script read to `share` percent of the campaign's accounts (split by account,
    scripts_library.challenger), compared with the campaign's own: `concord campaigns compare`."""

    script: str = Field(min_length=1, max_length=80)
    share: int = Field(ge=1, le=MAX_SHARE, strict=True)  # `true` is no percentage


class CampaignSpec(Strict):
    """One campaign as the file states it; (client, name) is its key."""

    client: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=120)
    portfolios: list[str] = Field(min_length=1)
    dial_mode: Literal["preview", "progressive", "predictive"]
    abandon_target: float = Field(0.03, gt=0.0, le=0.03)
    caller_id: str = ""
    script: str = Field("", max_length=80)
    challenger: ChallengerSpec | None = None
    wrapup_seconds: int = Field(30, ge=0, le=3600)
    filter: FilterSpec = FilterSpec()
    schedule: ScheduleSpec = ScheduleSpec()
    agents: list[str] = Field(default_factory=list)
    active: bool = True

    @field_validator("portfolios", "agents")
    @classmethod
    def _each_once(cls, names: list[str]) -> list[str]:
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise ValueError(f"{name} is listed twice")
            seen.add(name)
        return names

    @field_validator("caller_id")
    @classmethod
    def _e164(cls, value: str) -> str:
        if not value:
            return value
        number = e164(value, region=None)
        if number is None:
            raise ValueError(f"{value!r} is not a valid phone number in E.164 (+12025550100)")
        return number


class CampaignsFile(Strict):
    campaigns: list[CampaignSpec]

    @model_validator(mode="after")
    def _each_campaign_once(self) -> CampaignsFile:
        seen: set[tuple[str, str]] = set()
        for spec in self.campaigns:
            key = (spec.client, spec.name)
            if key in seen:
                twice = f"campaign {spec.name!r} of client {spec.client!r} is listed twice"
                raise ValueError(twice)
            seen.add(key)
        return self


def parse(text: str) -> CampaignsFile | list[Problem]:
    """The checked campaigns of a file, or every problem found (all-or-nothing: a file with a
    problem changes nothing)."""
    return admin_file.parse(text, CampaignsFile, "campaigns")


def dump(specs: list[CampaignSpec]) -> str:
    """The file that `parse` reads back to the same specs (export, then edit, then apply)."""
    return admin_file.dump("campaigns", specs)
