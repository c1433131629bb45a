"""Property tests: over random debtors, zones, DST dates and histories, the engine agrees with a
deliberately naive oracle written from the issue's wording, and next_allowed_at is the first
allowed instant."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from compliance_strategies import DAYS, cases
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.contact import Contact
from compliance.engine import decide
from compliance.profiles import resolve
from compliance.reasons import PERMANENT
from compliance.search import SEARCH_DAYS
from compliance.zones import address_zones, number_zones

NYC_START = datetime(2026, 9, 1, tzinfo=ZoneInfo("America/New_York"))
NYC_ZIP3 = ("100", "101", "102", "103", "104", "111", "112", "113", "114", "116")


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
    if c.to_stopped and c.channel != "email":
        broken.add("stopped_number")
    if (c.channel == "sms" and c.debtor.sms_opt_out) or (
        c.channel == "email" and c.debtor.email_opt_out
    ):
        broken.add("opted_out")
    in_ma = any(a.state == "MA" for a in c.debtor.addresses)
    in_nyc = any(a.state == "NY" and (a.postal_code or "")[:3] in NYC_ZIP3
                 for a in c.debtor.addresses)  # fmt: skip
    attempts = 0  # New York City: every channel, every account, from the rule's start
    for a in c.history:
        days_ago = (here.date() - a.at.astimezone(ZoneInfo(home)).date()).days
        if a.at < at and a.at >= NYC_START and 0 <= days_ago <= 6 and a.outcome != "not_connected":
            attempts += 1
    if in_nyc and attempts >= 3:
        broken.add("nyc_attempt_cap")
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
        # a call that reached someone else may have left a message: Massachusetts counts it
        said = ("conversation", "voicemail", "abandoned", "other_party")
        if (a.channel == "call" and a.outcome in said) or (
            a.channel == "sms" and a.outcome != "not_connected"
        ):
            communications += 1
    state_caps = [profile.state_call_cap, 2 if in_ma else None]
    if any(cap is not None and communications >= cap for cap in state_caps):
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
