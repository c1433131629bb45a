"""Hypothesis strategies for the compliance tests: random debtors in many zones (some in
Massachusetts or New York City, which bring their own caps), near DST nights and the New York
City rule's start, with portfolios, stated inconvenient times, flags and histories on every
channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from compliance.contact import Contact
from compliance.profiles import resolve

ADDRESSES = [
    {"state": "NY", "postal_code": "10001"},  # Manhattan: the New York City cap
    {"state": "NY", "postal_code": "11201"},  # Brooklyn
    {"state": "NY", "postal_code": "11010"},  # Franklin Square, Nassau: not the city
    {"state": "MA", "postal_code": "02108"},  # Boston: the Massachusetts cap
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
#: The New York City cap counts attempts from 2026-09-01 (compliance.local_caps).
NYC_START_DAY = "2026-09-01"
OUTCOMES = [
    "no_answer", "busy", "voicemail", "abandoned", "conversation", "not_connected", "other_party"
]  # fmt: skip
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
FLAGS = ["cease", "attorney", "bankruptcy", "deceased", "dispute"]


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    days = [*DST_DAYS, NYC_START_DAY]
    base = datetime.fromisoformat(draw(st.sampled_from(days))).replace(tzinfo=UTC)
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
    if profile == "us" and draw(st.booleans()):
        # Above Massachusetts' 2 as well: a portfolio's cap must not loosen an address's.
        rules["state_call_cap"] = draw(st.integers(1, 4))
    return rules


# Built once at import: strategies made inside every draw cost hypothesis more than the engine.
PROFILES = st.sampled_from(["us", "us-ma", "uk", "in"])
CHANNELS = st.sampled_from(["call", "sms", "email"])
PORTFOLIOS = {name: portfolios(name) for name in ("us", "us-ma", "uk", "in")}
HISTORY = st.lists(
    st.tuples(
        st.integers(1, 9 * 86400),  # seconds before the instant decided about
        st.sampled_from(["call", "call", "call", "sms", "email"]),
        st.sampled_from(["A1", "A1", "A1", "A2"]),
        st.sampled_from(OUTCOMES),
    ),
    max_size=16,
)
DEBTORS = st.fixed_dictionaries(
    {
        "addresses": st.lists(st.sampled_from(ADDRESSES), max_size=2),
        "inconvenient": st.lists(ranges(), max_size=2),
        "flags": st.lists(st.sampled_from(FLAGS), max_size=1),
        "dnc": st.booleans(),
        "sms_opt_out": st.booleans(),
        "email_opt_out": st.booleans(),
    }
)
NUMBER = st.sampled_from(NUMBERS)

# One contact in five is to a number on the agency's do-not-call list.
STOPPED = st.integers(0, 4).map(lambda n: n == 0)


def contact_near(
    at: datetime,
    profile: str,
    channel: str,
    to: str,
    portfolio: dict[str, Any] | None,
    debtor: dict[str, Any],
    history: list[tuple[int, str, str, str]],
    to_stopped: bool = False,
) -> Contact:
    """A contact whose history happened in the days before `at`."""
    return Contact.model_validate(
        {
            "channel": channel,
            "to": "d@example.com" if channel == "email" else to,
            "profile": profile,
            "portfolio": portfolio,
            "debtor": debtor,
            "account": {"id": "A1"},
            "history": [
                {"at": at - timedelta(seconds=ago), "channel": c, "account": a, "outcome": o}
                for ago, c, a, o in history
            ],
            "to_stopped": to_stopped,
        }
    )


@st.composite
def contacts(
    draw: st.DrawFn, at: datetime, profile: str | None = None, channel: str | None = None
) -> Contact:
    """A random contact near `at`: addresses, number, portfolio, ranges, flags and history."""
    profile = profile or draw(PROFILES)
    return contact_near(
        at,
        profile,
        channel or draw(CHANNELS),
        draw(NUMBER),
        draw(PORTFOLIOS[profile]),
        draw(DEBTORS),
        draw(HISTORY),
        draw(STOPPED),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Contact, datetime]:
    at = draw(instants())
    return draw(contacts(at)), at
