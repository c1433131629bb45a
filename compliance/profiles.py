"""Rule profiles (one per legal regime) and the portfolio tightenings a client may add on top.

A profile is the floor the law sets; a client portfolio may narrow hours, add holidays or lower
caps, and `tighten` refuses anything that would loosen the floor, so no contract can buy a
collector out of the law.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache
from typing import Annotated

import holidays
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from compliance.zones import EASTERN, US_ZONES

#: Recorded with every decision; bump it whenever any rule's meaning changes, so QA can tell
#: which rules a stored decision was made under.
#: 2026.2: the Massachusetts cap follows a Massachusetts address whatever the profile, and the
#: New York City cap (3 attempts in 7 days on every channel) came in (compliance.local_caps).
#: 2026.3: an account whose validation notice is late after its first conversation is held
#: (compliance.validation).
#: 2026.4: a number the debtor asked not to be called on is refused (Reason.NO_CALLS_HERE).
#: 2026.5: an email address the employer provides is never written to (Reason.WORK_EMAIL).
#: 2026.6: a number on the agency's do-not-call list takes no call or text, whoever it is for
#: (Reason.STOPPED_NUMBER).
RULES_VERSION = "concord-compliance/2026.6"


def parse_clock(value: object) -> object:
    """'HH:MM' (00:00 to 24:00) to minutes since local midnight; other values pass to pydantic."""
    if not isinstance(value, str):
        return value
    hours, sep, minutes = value.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"{value!r} is not a time of day as HH:MM")
    total = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or total > 24 * 60:
        raise ValueError(f"{value!r} is not a time of day between 00:00 and 24:00")
    return total


#: Minutes since local midnight, written 'HH:MM' in data ('24:00' is the end of the day).
Clock = Annotated[int, BeforeValidator(parse_clock), Field(ge=0, le=24 * 60)]


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class HolidayCalendar(BaseModel):
    """A public-holiday calendar from the `holidays` package on which no contact is made."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str
    subdiv: str | None = None

    @model_validator(mode="after")
    def _known_calendar(self) -> HolidayCalendar:
        try:
            holidays.country_holidays(self.country, subdiv=self.subdiv)
        except NotImplementedError as exc:
            raise ValueError(f"no holiday calendar for country {self.country!r}") from exc
        except Exception as exc:  # the package raises its own error types for a bad subdivision
            raise ValueError(
                f"no holiday calendar for {self.country!r} subdivision {self.subdiv!r}"
            ) from exc
        return self


class PortfolioRules(BaseModel):
    """What a client portfolio adds to its profile. Every field may only tighten."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: Clock | None = None
    end: Clock | None = None
    holidays: tuple[HolidayCalendar, ...] = ()
    weekly_call_cap: Annotated[int, Field(ge=0)] | None = None
    state_call_cap: Annotated[int, Field(ge=0)] | None = None


@dataclass(frozen=True)
class Profile:
    """The rules in force for one contact. Hours are minutes since local midnight, [start, end)."""

    name: str
    start: int = 8 * 60
    end: int = 21 * 60
    #: Reg F 1006.14(b)(2): calls about one account in the day of the call and the 6 before.
    weekly_call_cap: int | None = None
    #: Days, counting the conversation day as day 1, during which no call follows a conversation.
    conversation_lockout_days: int | None = None
    #: A cap on call communications per debt in the same 7-day window for every debtor of the
    #: portfolio (MA 940 CMR 7.04 under `us-ma`). Debtors with a capped address get the state's
    #: and city's caps under any profile (compliance.local_caps), the lower cap winning.
    state_call_cap: int | None = None
    #: No redial of a debtor within this long after an abandoned call (Ofcom / FCA CONC 7).
    abandon_lockout: timedelta | None = None
    #: The share of a campaign's live answers one day may abandon, where the law measures per
    #: day (Ofcom: 3% per 24 h) rather than only over 30 days as the US rule does.
    abandon_day_limit: float | None = None
    holidays: tuple[HolidayCalendar, ...] = ()
    #: Where the debtor may be when neither an address nor the number places them.
    fallback_zones: tuple[str, ...] = (EASTERN,)


_US = Profile(name="us", weekly_call_cap=7, conversation_lockout_days=7, fallback_zones=US_ZONES)
PROFILES: dict[str, Profile] = {
    "us": _US,
    "us-ma": replace(_US, name="us-ma", state_call_cap=2),
    "uk": Profile(
        name="uk",
        abandon_lockout=timedelta(hours=72),
        abandon_day_limit=0.03,
        fallback_zones=("Europe/London",),
    ),
    "in": Profile(name="in", end=19 * 60, fallback_zones=("Asia/Kolkata",)),
}


#: The country whose law each profile is: a portfolio's debtors must live there.
PROFILE_COUNTRIES: dict[str, str] = {"us": "US", "us-ma": "US", "uk": "GB", "in": "IN"}


def loosening(profile: Profile, rules: PortfolioRules) -> list[str]:
    """Every way `rules` would loosen `profile` rather than tighten it, each naming its field
    (all of them, so an admin fixes a file in one pass)."""
    start = profile.start if rules.start is None else rules.start
    end = profile.end if rules.end is None else rules.end
    found = []
    if start < profile.start:
        found.append(
            f"start {format_clock(start)} is earlier than profile {profile.name}'s "
            f"{format_clock(profile.start)}"
        )
    if end > profile.end:
        found.append(
            f"end {format_clock(end)} is later than profile {profile.name}'s "
            f"{format_clock(profile.end)}"
        )
    if start >= end:
        found.append(f"start {format_clock(start)} is not before end {format_clock(end)}")
    for field, base, wanted in (
        ("weekly_call_cap", profile.weekly_call_cap, rules.weekly_call_cap),
        ("state_call_cap", profile.state_call_cap, rules.state_call_cap),
    ):
        if base is not None and wanted is not None and wanted > base:
            found.append(f"{field} {wanted} is above profile {profile.name}'s {base}")
    return found


def tighten(profile: Profile, rules: PortfolioRules) -> Profile:
    """The profile narrowed by a portfolio's rules; raises ValueError naming every field that
    would loosen it instead of silently ignoring the request."""
    problems = loosening(profile, rules)
    if problems:
        raise ValueError("; ".join(problems) + "; a portfolio can only tighten")
    return replace(
        profile,
        start=profile.start if rules.start is None else rules.start,
        end=profile.end if rules.end is None else rules.end,
        holidays=tuple(dict.fromkeys(profile.holidays + rules.holidays)),
        weekly_call_cap=(
            profile.weekly_call_cap if rules.weekly_call_cap is None else rules.weekly_call_cap
        ),
        state_call_cap=(
            profile.state_call_cap if rules.state_call_cap is None else rules.state_call_cap
        ),
    )


@cache
def resolve(name: str, rules: PortfolioRules | None = None) -> Profile:
    """The named profile with the portfolio tightening applied (cached: both are hashable)."""
    try:
        profile = PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown profile {name!r} (known: {known})") from None
    return profile if rules is None else tighten(profile, rules)
