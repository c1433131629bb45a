"""Property tests: over random debtors, zones, DST dates and histories, the engine agrees with a
deliberately naive oracle written from the issue's wording, and next_allowed_at is the first
allowed instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.contact import Contact
from compliance.engine import decide
from compliance.profiles import resolve
from compliance.reasons import PERMANENT
from compliance.search import SEARCH_DAYS
from compliance.zones import address_zones, number_zones

ADDRESSES = [
    {"state": "NY", "postal_code": "10001"},
    {"state": "CA", "postal_code": "90012"},
    {"state": "FL", "postal_code": "32501"},
    {"state": "FL"},
    {"state": "AZ", "postal_code": "85004"},
    {"state": "AZ", "postal_code": "86515"},
    {"state": "IN"},
    {"state": "TX", "postal_code": "79901"},
    {"state": "HI", "postal_code": "96813"},
    {"state": "AK", "postal_code": "99501"},
    {"country": "GB"},
    {"country": "IN"},
]
NUMBERS = ["+12125550100", "+13105550100", "+13125550100", "+16025550100", "+18085550100",
           "+19075550100", "+442079460000", "+919876543210", "+18005550100"]  # fmt: skip
# Nights the clocks change in the US, the UK and not at all (India), 2025-2027.
DST_DAYS = ["2025-03-09", "2025-11-02", "2026-03-08", "2026-11-01", "2027-03-14", "2027-11-07",
            "2026-03-29", "2026-10-25"]  # fmt: skip
OUTCOMES = ["no_answer", "busy", "voicemail", "abandoned", "conversation", "not_connected"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
FLAGS = ["cease", "attorney", "bankruptcy", "deceased", "dispute"]


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    base = datetime.fromisoformat(draw(st.sampled_from(DST_DAYS))).replace(tzinfo=UTC)
    return base + timedelta(seconds=draw(st.integers(-2 * 86400, 3 * 86400)))


@st.composite
def ranges(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.integers(0, 23 * 60))
    end = draw(st.integers(start + 1, 24 * 60))
    days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))
    return {"days": days, "start": _clock(start), "end": _clock(end)}


@st.composite
def portfolios(draw: st.DrawFn, profile: str) -> dict[str, Any] | None:
    if not draw(st.booleans()):
        return None
    base = resolve(profile)
    start = draw(st.integers(base.start, base.start + 120))
    end = draw(st.integers(max(start + 60, base.end - 120), base.end))
    rules: dict[str, Any] = {"start": _clock(start), "end": _clock(end)}
    if draw(st.booleans()):
        rules["holidays"] = [{"country": draw(st.sampled_from(["US", "GB", "IN"]))}]
    if draw(st.booleans()):
        rules["weekly_call_cap"] = draw(st.integers(1, base.weekly_call_cap or 7))
    return rules


@st.composite
def cases(draw: st.DrawFn) -> tuple[Contact, datetime]:
    at = draw(instants())
    profile = draw(st.sampled_from(["us", "us-ma", "uk", "in"]))
    channel = draw(st.sampled_from(["call", "sms", "email"]))
    history = [
        {
            "at": (at - timedelta(seconds=draw(st.integers(1, 9 * 86400)))).isoformat(),
            "channel": draw(st.sampled_from(["call", "call", "call", "sms"])),
            "account": draw(st.sampled_from(["A1", "A1", "A1", "A2"])),
            "outcome": draw(st.sampled_from(OUTCOMES)),
        }
        for _ in range(draw(st.integers(0, 16)))
    ]
    contact = Contact.model_validate(
        {
            "channel": channel,
            "to": "d@example.com" if channel == "email" else draw(st.sampled_from(NUMBERS)),
            "profile": profile,
            "portfolio": draw(portfolios(profile)),
            "debtor": {
                "addresses": draw(st.lists(st.sampled_from(ADDRESSES), max_size=2)),
                "inconvenient": draw(st.lists(ranges(), max_size=2)),
                "flags": draw(st.lists(st.sampled_from(FLAGS), max_size=1)),
                "dnc": draw(st.booleans()),
                "sms_opt_out": draw(st.booleans()),
                "email_opt_out": draw(st.booleans()),
            },
            "account": {"id": "A1"},
            "history": history,
        }
    )
    return contact, at


def oracle(c: Contact, at: datetime) -> set[str]:
    """Every rule the contact would break at `at`, checked the slow, obvious way."""
    profile = resolve(c.profile, c.portfolio)
    located = [address_zones(a.country, a.state, a.postal_code) for a in c.debtor.addresses]
    if c.channel != "email":
        located.append(number_zones(c.to))
    zones = [z for zs in located for z in zs] or list(profile.fallback_zones)
    home = next((zs[0] for zs in located if zs), profile.fallback_zones[0])
    broken = set()
    for name in zones:
        local = at.astimezone(ZoneInfo(name))
        minute = local.hour * 60 + local.minute
        if minute < profile.start or minute >= profile.end:
            broken.add("outside_hours")
        for calendar in profile.holidays:
            if local.date() in holidays.country_holidays(calendar.country, years=local.year):
                broken.add("outside_hours")
    here = at.astimezone(ZoneInfo(home))
    minute = here.hour * 60 + here.minute
    for r in c.debtor.inconvenient:
        if DAYS[here.weekday()] in r.days and r.start <= minute < r.end:
            broken.add("consumer_inconvenient_time")
    broken.update(c.debtor.flags)
    broken.update(c.account.flags)
    if c.debtor.dnc and c.channel != "email":
        broken.add("dnc")
    if (c.channel == "sms" and c.debtor.sms_opt_out) or (
        c.channel == "email" and c.debtor.email_opt_out
    ):
        broken.add("opted_out")
    if c.channel == "email":
        return broken
    calls, talks, communications = 0, 0, 0
    for a in c.history:
        if a.at >= at:
            continue
        days_ago = (here.date() - a.at.astimezone(ZoneInfo(home)).date()).days
        dropped = a.channel == "call" and a.outcome == "abandoned"
        if (
            dropped
            and c.channel == "call"
            and at - a.at < timedelta(hours=72)
            and profile.abandon_lockout
        ):
            broken.add("abandon_redial_lockout")
        if a.account != "A1" or not 0 <= days_ago <= 6:
            continue
        if a.channel == "call" and a.outcome != "not_connected":
            calls += 1
        if a.channel == "call" and a.outcome == "conversation":
            talks += 1
        if (a.channel == "call" and a.outcome in ("conversation", "voicemail", "abandoned")) or (
            a.channel == "sms" and a.outcome != "not_connected"
        ):
            communications += 1
    if profile.state_call_cap is not None and communications >= profile.state_call_cap:
        broken.add("state_call_cap")
    if c.channel == "call":
        if profile.weekly_call_cap is not None and calls >= profile.weekly_call_cap:
            broken.add("weekly_call_cap")
        if profile.conversation_lockout_days and talks:
            broken.add("recent_conversation")
    return broken


@settings(max_examples=200, deadline=None)
@given(cases())
def test_decision_lists_exactly_the_rules_the_oracle_finds_broken(
    case: tuple[Contact, datetime],
) -> None:
    contact, at = case
    decision = decide(contact, at)
    assert set(decision.reasons) == oracle(contact, at)
    assert decision.allowed == (not decision.reasons)


@settings(max_examples=200, deadline=None)
@given(cases(), st.lists(st.floats(0, 1, exclude_max=True), min_size=3, max_size=6))
def test_next_allowed_at_is_allowed_and_nothing_earlier_is(
    case: tuple[Contact, datetime], fractions: list[float]
) -> None:
    contact, at = case
    decision = decide(contact, at)
    when = decision.next_allowed_at
    if when is None:
        if not PERMANENT & set(
            decision.reasons
        ):  # then no instant in the search horizon is allowed
            horizon = timedelta(days=SEARCH_DAYS)
            assert all(oracle(contact, at + horizon * f) for f in fractions)
        return
    assert when >= at
    assert oracle(contact, when) == set()
    assert decide(contact, when).allowed
    if when > at:
        earlier = [when - timedelta(seconds=1), *(at + (when - at) * f for f in fractions)]
        for moment in earlier:
            if at <= moment < when:
                assert oracle(contact, moment), f"{moment} is allowed before {when}"
