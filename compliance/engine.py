"""`decide(contact, at)`: the one question every channel asks before it reaches a debtor.

Pure: no clock reads, no I/O; `at` is passed in. The decision lists every rule that blocks, so
an agent, a compliance officer and QA see the whole picture, not only the first "no".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from compliance import calls, hours, search
from compliance.contact import Attempt, Contact
from compliance.local_caps import local_caps, lower_cap
from compliance.profiles import RULES_VERSION, Profile, resolve
from compliance.reasons import FLAG_REASONS, PERMANENT, Reason, ordered
from compliance.zones import address_zones, number_zones


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[Reason, ...]
    #: The earliest instant at or after `at` when this contact would be allowed if nothing else
    #: happened; None when only a flag, list or opt-out change (or nothing) can allow it.
    next_allowed_at: datetime | None
    profile: str
    rules_version: str = RULES_VERSION


@dataclass(frozen=True)
class Situation:
    """What a contact's decision depends on besides the instant, worked out once so the
    next-allowed search can ask about many instants cheaply."""

    contact: Contact
    profile: Profile
    zones: tuple[str, ...]
    #: The first address's zone: consumer-stated inconvenient times and Reg F calendar days use it.
    home: str
    #: The call-communication cap per debt: the profile's (with the portfolio's tightening) or
    #: Massachusetts' where an address is there, the lower one; None for no cap.
    state_call_cap: int | None
    #: The attempts cap per debtor on every channel where an address is in New York City.
    city_attempt_cap: int | None
    #: Home-zone days of the attempts made before the instant decided about, per history rule.
    reg_f_days: tuple[date, ...]
    state_days: tuple[date, ...]
    city_days: tuple[date, ...]
    conversation_days: tuple[date, ...]
    #: When abandoned calls to the debtor (on any account) were made.
    abandoned_at: tuple[datetime, ...]


def locate(contact: Contact, profile: Profile) -> tuple[tuple[str, ...], str]:
    """Every zone the debtor may be in for this contact, and the home zone (the first address's,
    else the number's, else the profile's fallback)."""
    addresses = contact.debtor.addresses
    by_address = [address_zones(a.country, a.state, a.postal_code) for a in addresses]
    by_number = number_zones(contact.to) if contact.channel != "email" else ()
    found = tuple(dict.fromkeys(z for zs in [*by_address, by_number] for z in zs))
    first = next((zs for zs in by_address if zs), by_number or profile.fallback_zones)
    return found or profile.fallback_zones, first[0]


def situation(contact: Contact, at: datetime) -> Situation:
    """The contact's situation as of `at`: only attempts made before `at` count, and the
    next-allowed search assumes no others are made meanwhile."""
    profile = resolve(contact.profile, contact.portfolio)
    zones, home = locate(contact, profile)
    local = local_caps(contact.debtor.addresses)
    account = contact.account.id
    past = [a for a in contact.history if a.at < at]

    def days(rule: Callable[[Attempt, str], bool]) -> tuple[date, ...]:
        return tuple(calls.local_day(a.at, home) for a in past if rule(a, account))

    def counted_call(attempt: Attempt, account: str) -> bool:
        """A call the debtor asked for is out of the 7-in-7 count (1006.14(b)(3)(i))."""
        asked = calls.consented(contact.consents, account, attempt.at, past)
        return calls.counts_for_reg_f(attempt, account) and not asked

    return Situation(
        contact,
        profile,
        zones,
        home,
        state_call_cap=lower_cap(profile.state_call_cap, local.state_call_cap),
        city_attempt_cap=local.city_attempt_cap,
        reg_f_days=days(counted_call),
        state_days=days(calls.counts_for_state_cap),
        city_days=days(calls.counts_for_city_cap),
        conversation_days=days(calls.is_conversation),
        abandoned_at=tuple(a.at for a in past if calls.is_abandoned(a)),
    )


def standing_reasons(contact: Contact) -> set[Reason]:
    """Reasons that hold whatever the time: flags, the do-not-call list, channel opt-outs."""
    found = {FLAG_REASONS[f] for f in (*contact.debtor.flags, *contact.account.flags)}
    debtor = contact.debtor
    if debtor.dnc and contact.channel in ("call", "sms"):
        found.add(Reason.DNC)
    if contact.channel in ("call", "sms") and any(
        p.wrong and p.number == contact.to for p in debtor.phones
    ):
        found.add(Reason.WRONG_NUMBER)
    if contact.to_stopped and contact.channel in ("call", "sms"):
        found.add(Reason.STOPPED_NUMBER)
    if contact.channel == "call" and any(
        p.no_calls and p.number == contact.to for p in debtor.phones
    ):
        found.add(Reason.NO_CALLS_HERE)
    if contact.channel == "email" and contact.to in debtor.work_emails:
        found.add(Reason.WORK_EMAIL)
    if (contact.channel == "sms" and debtor.sms_opt_out) or (
        contact.channel == "email" and debtor.email_opt_out
    ):
        found.add(Reason.OPTED_OUT)
    return found


def timed_reasons(s: Situation, at: datetime) -> set[Reason]:
    """Reasons that depend on the instant: the clock rules and the history rules."""
    found: set[Reason] = set()
    profile, channel = s.profile, s.contact.channel
    if hours.outside_hours(at, s.zones, profile):
        found.add(Reason.OUTSIDE_HOURS)
    if hours.inconvenient(at, s.home, s.contact.debtor.inconvenient):
        found.add(Reason.CONSUMER_INCONVENIENT_TIME)
    today = calls.local_day(at, s.home)
    city_cap = s.city_attempt_cap
    if city_cap is not None and calls.window_cap_blocks(s.city_days, today, city_cap):
        found.add(Reason.NYC_ATTEMPT_CAP)
    if channel == "email":
        return found
    state_cap = s.state_call_cap
    if state_cap is not None and calls.window_cap_blocks(s.state_days, today, state_cap):
        found.add(Reason.STATE_CALL_CAP)
    if channel != "call":
        return found
    cap, lockout = profile.weekly_call_cap, profile.conversation_lockout_days
    # A call the debtor asked for (a callback they requested, within 7 days) is out of both.
    asked = calls.consented(s.contact.consents, s.contact.account.id, at, s.contact.history)
    if not asked and cap is not None and calls.window_cap_blocks(s.reg_f_days, today, cap):
        found.add(Reason.WEEKLY_CALL_CAP)
    if (
        not asked
        and lockout is not None
        and calls.lockout_blocks(s.conversation_days, today, lockout)
    ):
        found.add(Reason.RECENT_CONVERSATION)
    redial = profile.abandon_lockout
    if redial is not None and calls.abandon_blocks(s.abandoned_at, at, redial):
        found.add(Reason.ABANDON_REDIAL_LOCKOUT)
    return found


def history_clears(s: Situation) -> datetime | None:
    """The instant from which no history rule blocks any more (each only clears with time), or
    None when one never clears (a portfolio cap of 0)."""
    profile, channel = s.profile, s.contact.channel
    bounds: list[datetime | None] = []
    if s.city_attempt_cap is not None:
        bounds.append(calls.window_cap_clears(s.city_days, s.city_attempt_cap, s.home))
    if channel != "email" and s.state_call_cap is not None:
        bounds.append(calls.window_cap_clears(s.state_days, s.state_call_cap, s.home))
    if channel == "call":
        if profile.weekly_call_cap is not None:
            bounds.append(calls.window_cap_clears(s.reg_f_days, profile.weekly_call_cap, s.home))
        if profile.conversation_lockout_days is not None:
            lockout = profile.conversation_lockout_days
            bounds.append(calls.lockout_clears(s.conversation_days, lockout, s.home))
        if profile.abandon_lockout is not None:
            bounds.append(calls.abandon_clears(s.abandoned_at, profile.abandon_lockout))
    if None in bounds:
        return None
    return max((b for b in bounds if b is not None), default=datetime.min.replace(tzinfo=UTC))


def blocking_reasons(contact: Contact, at: datetime) -> tuple[Reason, ...]:
    """Every rule that blocks `contact` at `at`: `decide` without the next-allowed search, for
    callers that only need the yes or no (the hopper's batch is held to this)."""
    return ordered(standing_reasons(contact) | timed_reasons(situation(contact, at), at))


def decide(contact: Contact, at: datetime) -> Decision:
    """Whether `contact` may be made at `at`, every reason it may not, and when it next may."""
    s = situation(contact, at)
    standing = standing_reasons(contact)
    reasons = ordered(standing | timed_reasons(s, at))
    if not reasons:
        when: datetime | None = at.astimezone(UTC)
    elif standing & PERMANENT:
        when = None
    else:
        when = _next_allowed(s, at)
    return Decision(not reasons, reasons, when, s.profile.name)


def _next_allowed(s: Situation, at: datetime) -> datetime | None:
    """The first instant the history rules have cleared and the clock rules allow, or an
    earlier one inside a window the debtor asked to be called in."""

    def first_from(start: datetime) -> datetime | None:
        return search.first_allowed(
            s.zones,
            s.home,
            s.profile,
            s.contact.debtor.inconvenient,
            start,
            lambda t: not timed_reasons(s, t),
        )

    cleared = history_clears(s)
    found = [] if cleared is None else [first_from(max(at, cleared))]
    for window in s.contact.consents:
        if window.account == s.contact.account.id and window.end > at:
            inside = first_from(max(at, window.start))
            found.append(inside if inside is not None and inside < window.end else None)
    return min((t for t in found if t is not None), default=None)
