"""History rules: Reg F call frequency, the lockout after a conversation, the state and city caps
(compliance.local_caps) and the redial lockout after an abandoned call; and the debtor's consent
that lifts the first two.

Each rule answers two questions over the attempts made before the contact: does it block now,
and from which instant will it stop blocking if nothing else happens. Every rule here only ever
clears as time passes, which is what lets the next-allowed search start from that instant.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from compliance.contact import Attempt, Consent
from compliance.local_caps import NEW_YORK_CITY_START
from compliance.zones import zone

#: Reg F counts calls in the day of the new call and the 6 days before it.
WINDOW_DAYS = 7

#: Outcomes of a call that Massachusetts counts as a communication (a person or a message
#: reached the debtor; erring safe, one who reached someone else may have left one); an SMS
#: counts unless it never connected.
_STATE_COMMUNICATIONS = frozenset({"conversation", "voicemail", "abandoned", "other_party"})


def local_day(at: datetime, home: str) -> date:
    """The calendar day of an instant in the debtor's home zone (the first address's zone)."""
    return at.astimezone(zone(home)).date()


def day_start(day: date, home: str) -> datetime:
    """The first instant of a local day; where midnight falls in a DST gap, the earlier reading,
    so the result is never later than the true start."""
    tz = zone(home)
    midnight = datetime.combine(day, time())
    return min(midnight.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1))


def counts_for_reg_f(attempt: Attempt, account: str) -> bool:
    """Every call about the account counts except one that never connected to the number."""
    return (
        attempt.channel == "call"
        and attempt.account == account
        and attempt.outcome != "not_connected"
    )


#: Consent counts only when given within the 7 days before the call (Reg F 1006.14(b)(3)(i)).
CONSENT_DAYS = timedelta(days=7)


def consented(
    consents: Iterable[Consent], account: str, at: datetime, history: Iterable[Attempt] = ()
) -> bool:
    """True when a call about `account` at `at` is the one the debtor asked for: inside a window
    they gave us within the 7 days before it, and the first call about the account in that
    window. A request is for a call, not for every call in two hours: one consent let a
    predictive campaign call four more times, past the 7-in-7 count and the week's rest."""
    made = [a.at for a in history if a.channel == "call" and a.account == account]
    for c in consents:
        if not (c.account == account and c.start <= at < c.end):
            continue
        if not at - CONSENT_DAYS <= c.given_at <= at:
            continue
        opened = max(c.start, c.given_at)
        if not any(opened <= made_at < at for made_at in made):
            return True
    return False


def counts_for_state_cap(attempt: Attempt, account: str) -> bool:
    if attempt.account != account:
        return False
    if attempt.channel == "call":
        return attempt.outcome in _STATE_COMMUNICATIONS
    return attempt.channel == "sms" and attempt.outcome != "not_connected"


def counts_for_city_cap(attempt: Attempt, account: str) -> bool:
    """New York City counts every attempt to reach the debtor, on any channel and about any of
    their accounts (so `account` is not read), from the rule's start. As for Reg F, an attempt
    that never connected (the call never reached the network, the text or email was never
    accepted) is no attempt to communicate."""
    return attempt.outcome != "not_connected" and attempt.at >= NEW_YORK_CITY_START


def is_conversation(attempt: Attempt, account: str) -> bool:
    return (
        attempt.channel == "call"
        and attempt.account == account
        and attempt.outcome == "conversation"
    )


def is_abandoned(attempt: Attempt) -> bool:
    """Any abandoned call to the debtor, whichever account it was about: the redial rule protects
    the person, not the debt."""
    return attempt.channel == "call" and attempt.outcome == "abandoned"


def window_cap_blocks(days: Iterable[date], today: date, cap: int) -> bool:
    """True when `cap` or more counted attempts fall in today and the 6 days before."""
    return sum(1 for d in days if 0 <= (today - d).days < WINDOW_DAYS) >= cap


def window_cap_clears(days: Iterable[date], cap: int, home: str) -> datetime | None:
    """The start of the first day on which fewer than `cap` counted attempts stay in the window;
    None for a cap of 0, which never clears."""
    if cap == 0:
        return None
    recent = sorted(days, reverse=True)
    if len(recent) < cap:
        return datetime.min.replace(tzinfo=UTC)
    return day_start(recent[cap - 1] + timedelta(days=WINDOW_DAYS), home)


def lockout_blocks(days: Iterable[date], today: date, lockout_days: int) -> bool:
    """True in the conversation's day and the following days up to day `lockout_days`."""
    return any(0 <= (today - d).days < lockout_days for d in days)


def lockout_clears(days: Iterable[date], lockout_days: int, home: str) -> datetime:
    latest = max(days, default=None)
    if latest is None:
        return datetime.min.replace(tzinfo=UTC)
    return day_start(latest + timedelta(days=lockout_days), home)


def abandon_blocks(instants: Iterable[datetime], at: datetime, lockout: timedelta) -> bool:
    return any(at < a + lockout for a in instants)


def abandon_clears(instants: Iterable[datetime], lockout: timedelta) -> datetime:
    latest = max(instants, default=None)
    return datetime.min.replace(tzinfo=UTC) if latest is None else latest + lockout
