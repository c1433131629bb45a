"""The hopper's question for a whole portfolio at once: which accounts may be called now.

The same rules as `engine.decide` for the call channel, over columnar numpy arrays instead of one
contact at a time, so a million accounts are decided in a few seconds. Clock rules are worked out
once per time zone (there are a handful), then broadcast to accounts through a zone bitmask; the
history rules become masked counts over the attempt columns; the caps a debtor's addresses bring
(compliance.local_caps) are per-account columns. Tests hold it to the per-contact
engine's answers. A debtor's consent (a callback they asked for) is not modelled here: the batch
refuses such a call where the engine allows it, never the reverse; requested callbacks reach the
dialer through the per-contact engine (dialer.gate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import get_args

import numpy as np
from numpy.typing import NDArray

from compliance import calls
from compliance.contact import WEEKDAYS, Contact, Outcome
from compliance.engine import locate, standing_reasons
from compliance.hours import is_holiday, seconds_of_day
from compliance.local_caps import NEW_YORK_CITY_START, local_caps
from compliance.profiles import Profile
from compliance.reasons import Reason
from compliance.search import offset_at, offset_changes
from compliance.zones import zone

CHANNELS = ("call", "sms", "email")
OUTCOMES: tuple[str, ...] = get_args(Outcome)  # their order is the outcome column's codes
CALL, SMS = CHANNELS.index("call"), CHANNELS.index("sms")
_NOT_CONNECTED = OUTCOMES.index("not_connected")
_CONVERSATION = OUTCOMES.index("conversation")
_ABANDONED = OUTCOMES.index("abandoned")
_STATE_COMMUNICATIONS = [
    OUTCOMES.index(o) for o in ("conversation", "voicemail", "abandoned", "other_party")
]

#: One bit per reason, in the declared order, so a uint32 holds every reason for an account.
REASON_BITS: dict[Reason, int] = {reason: 1 << index for index, reason in enumerate(Reason)}
assert len(REASON_BITS) <= 32, "a 33rd reason needs wider `standing` and result arrays"
#: A per-account cap column's value where no address brings that cap.
NO_CAP = -1
MAX_ZONES = 64

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DAY_US = 86_400_000_000


def microseconds(at: datetime) -> int:
    """Exact microseconds since the Unix epoch (no float rounding at the boundaries)."""
    return (at - _EPOCH) // _MICROSECOND


@dataclass(frozen=True)
class HopperColumns:
    """A portfolio's accounts as columns. Row i of the account columns is account i; inconvenient
    ranges and attempts are ragged columns pointing at their account's row."""

    #: The zone catalog the bitmasks and `home` index into.
    zones: tuple[str, ...]
    zone_mask: NDArray[np.uint64]
    home: NDArray[np.int16]
    #: Bits of REASON_BITS that hold whatever the time (flags, do-not-call) for a call.
    standing: NDArray[np.uint32]
    #: The caps the debtor's addresses bring (compliance.local_caps), NO_CAP where none does:
    #: call communications per debt (Massachusetts) and attempts per debtor (New York City).
    #: No default, so a builder that forgets them fails instead of dialling past a state's cap.
    state_call_cap: NDArray[np.int16]
    city_attempt_cap: NDArray[np.int16]
    inconvenient_row: NDArray[np.int32]
    #: Bit d set when the range applies on weekday d (0 = Monday).
    inconvenient_days: NDArray[np.uint8]
    inconvenient_start: NDArray[np.int32]
    inconvenient_end: NDArray[np.int32]
    attempt_row: NDArray[np.int32]
    attempt_at: NDArray[np.int64]
    attempt_channel: NDArray[np.int8]
    attempt_outcome: NDArray[np.int8]
    attempt_same_account: NDArray[np.bool_]

    def __post_init__(self) -> None:
        if len(self.zones) > MAX_ZONES:
            raise ValueError(f"zones: {len(self.zones)} zones, at most {MAX_ZONES} fit a bitmask")
        n = len(self.zone_mask)
        for name in ("home", "standing", "state_call_cap", "city_attempt_cap"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name}: {len(getattr(self, name))} rows, expected {n}")

    def __len__(self) -> int:
        return len(self.zone_mask)


def columns_from_contacts(contacts: Sequence[Contact], profile: Profile) -> HopperColumns:
    """Columns for call contacts already loaded one by one (the database adapter, tests)."""
    catalog: dict[str, int] = {}
    masks, homes, standing, state_caps, city_caps = [], [], [], [], []
    ranges: list[tuple[int, int, int, int]] = []
    attempts: list[tuple[int, int, int, int, bool]] = []
    for row, contact in enumerate(contacts):
        zones, home = locate(contact, profile)
        mask = 0
        for name in zones:
            mask |= 1 << catalog.setdefault(name, len(catalog))
        masks.append(mask)
        homes.append(catalog.setdefault(home, len(catalog)))
        standing.append(sum(REASON_BITS[r] for r in standing_reasons(contact)))
        local = local_caps(contact.debtor.addresses)
        state_caps.append(NO_CAP if local.state_call_cap is None else local.state_call_cap)
        city_caps.append(NO_CAP if local.city_attempt_cap is None else local.city_attempt_cap)
        for r in contact.debtor.inconvenient:
            days = sum(1 << WEEKDAYS.index(d) for d in r.days)
            ranges.append((row, days, r.start, r.end))
        for a in contact.history:
            attempts.append(
                (
                    row,
                    microseconds(a.at),
                    CHANNELS.index(a.channel),
                    OUTCOMES.index(a.outcome),
                    a.account == contact.account.id,
                )
            )
    rc = list(zip(*ranges, strict=True)) or [(), (), (), ()]
    ac = list(zip(*attempts, strict=True)) or [(), (), (), (), ()]
    return HopperColumns(
        zones=tuple(catalog),
        zone_mask=np.array(masks, dtype=np.uint64),
        home=np.array(homes, dtype=np.int16),
        standing=np.array(standing, dtype=np.uint32),
        state_call_cap=np.array(state_caps, dtype=np.int16),
        city_attempt_cap=np.array(city_caps, dtype=np.int16),
        inconvenient_row=np.array(rc[0], dtype=np.int32),
        inconvenient_days=np.array(rc[1], dtype=np.uint8),
        inconvenient_start=np.array(rc[2], dtype=np.int32),
        inconvenient_end=np.array(rc[3], dtype=np.int32),
        attempt_row=np.array(ac[0], dtype=np.int32),
        attempt_at=np.array(ac[1], dtype=np.int64),
        attempt_channel=np.array(ac[2], dtype=np.int8),
        attempt_outcome=np.array(ac[3], dtype=np.int8),
        attempt_same_account=np.array(ac[4], dtype=np.bool_),
    )


@dataclass(frozen=True)
class _ZoneClock:
    """`at` read in each catalog zone."""

    closed: int  # bitmask of zones where `at` is outside hours or on a holiday
    weekday: NDArray[np.int64]
    second: NDArray[np.int64]
    today: NDArray[np.int64]  # local day number since 1970-01-01


def _zone_clock(names: tuple[str, ...], profile: Profile, at: datetime) -> _ZoneClock:
    closed, weekday, second, today = 0, [], [], []
    epoch_day = datetime(1970, 1, 1).date()
    for index, name in enumerate(names):
        local = at.astimezone(zone(name))
        s = seconds_of_day(local)
        shut = not profile.start * 60 <= s < profile.end * 60
        if shut or (profile.holidays and is_holiday(local.date(), profile.holidays)):
            closed |= 1 << index
        weekday.append(local.weekday())
        second.append(s)
        today.append((local.date() - epoch_day).days)
    return _ZoneClock(
        closed, np.array(weekday, np.int64), np.array(second, np.int64), np.array(today, np.int64)
    )


def _local_days(names: tuple[str, ...], home: NDArray[np.int16], t: NDArray[np.int64],
                start: datetime, end: datetime) -> NDArray[np.int64]:  # fmt: skip
    """Local day numbers of instants `t` (µs) in each one's home zone, for t in [start, end]."""
    offset = np.zeros(len(t), dtype=np.int64)
    for index in np.unique(home):
        tz = zone(names[int(index)])
        changes = [start, *offset_changes(tz, start, end)]
        edges = np.array([microseconds(c) for c in changes[1:]], dtype=np.int64)
        offsets = np.array([offset_at(tz, c) // _MICROSECOND for c in changes], dtype=np.int64)
        in_zone = home == index
        offset[in_zone] = offsets[np.searchsorted(edges, t[in_zone], side="right")]
    return (t + offset) // _DAY_US


def callable_now(columns: HopperColumns, profile: Profile, at: datetime) -> NDArray[np.uint32]:
    """Reason bits per account for a call at `at` (0 means the account may be called)."""
    clock = _zone_clock(columns.zones, profile, at)
    reasons = columns.standing.copy()
    outside = (columns.zone_mask & np.uint64(clock.closed)) != 0
    reasons[outside] |= REASON_BITS[Reason.OUTSIDE_HOURS]
    row = columns.inconvenient_row
    if len(row):
        home = columns.home[row]
        weekday, second = clock.weekday[home], clock.second[home]
        hit = ((columns.inconvenient_days >> weekday.astype(np.uint8)) & 1).astype(np.bool_)
        hit &= columns.inconvenient_start * 60 <= second
        hit &= second < columns.inconvenient_end * 60
        reasons[np.unique(row[hit])] |= REASON_BITS[Reason.CONSUMER_INCONVENIENT_TIME]
    _history_reasons(columns, profile, at, clock.today, reasons)
    return reasons


def _history_reasons(
    columns: HopperColumns,
    profile: Profile,
    at: datetime,
    today: NDArray[np.int64],
    reasons: NDArray[np.uint32],
) -> None:
    """Adds the call-frequency and lockout bits to `reasons`, in place."""
    n = len(columns)
    lookback_days = max(calls.WINDOW_DAYS, profile.conversation_lockout_days or 0) + 2
    since = at - max(timedelta(days=lookback_days), profile.abandon_lockout or timedelta())
    at_us = microseconds(at)
    keep = (columns.attempt_at < at_us) & (columns.attempt_at >= microseconds(since))
    row, t = columns.attempt_row[keep], columns.attempt_at[keep]
    channel, outcome = columns.attempt_channel[keep], columns.attempt_outcome[keep]
    same = columns.attempt_same_account[keep]
    home = columns.home[row]
    days_ago = today[home] - _local_days(columns.zones, home, t, since, at)
    in_window = (days_ago >= 0) & (days_ago < calls.WINDOW_DAYS)
    is_call = channel == CALL

    def mark(mask: NDArray[np.bool_], reason: Reason, cap: int = 1) -> None:
        reasons[np.bincount(row[mask], minlength=n) >= cap] |= REASON_BITS[reason]

    def mark_per_account(mask: NDArray[np.bool_], reason: Reason, caps: NDArray[np.int16]) -> None:
        counts = np.bincount(row[mask], minlength=n)
        reasons[(caps != NO_CAP) & (counts >= caps)] |= REASON_BITS[reason]

    state_caps = _lower_caps(columns.state_call_cap, profile.state_call_cap)
    if (state_caps != NO_CAP).any():
        talked = is_call & np.isin(outcome, _STATE_COMMUNICATIONS)
        texted = (channel == SMS) & (outcome != _NOT_CONNECTED)
        mark_per_account(same & in_window & (talked | texted), Reason.STATE_CALL_CAP, state_caps)
    if (columns.city_attempt_cap != NO_CAP).any():
        started = t >= microseconds(NEW_YORK_CITY_START)
        attempted = in_window & started & (outcome != _NOT_CONNECTED)
        mark_per_account(attempted, Reason.NYC_ATTEMPT_CAP, columns.city_attempt_cap)
    if profile.weekly_call_cap is not None:
        counted = is_call & same & in_window & (outcome != _NOT_CONNECTED)
        mark(counted, Reason.WEEKLY_CALL_CAP, profile.weekly_call_cap)
    lockout = profile.conversation_lockout_days
    if lockout is not None:
        talks = is_call & same & (outcome == _CONVERSATION)
        mark(talks & (days_ago >= 0) & (days_ago < lockout), Reason.RECENT_CONVERSATION)
    if profile.abandon_lockout is not None:
        window_us = profile.abandon_lockout // _MICROSECOND
        mark(
            is_call & (outcome == _ABANDONED) & (t > at_us - window_us),
            Reason.ABANDON_REDIAL_LOCKOUT,
        )


def _lower_caps(by_address: NDArray[np.int16], profile_cap: int | None) -> NDArray[np.int16]:
    """Each account's cap: its addresses' or the profile's, the lower one (NO_CAP for none)."""
    if profile_cap is None:
        return by_address
    # A cap beyond int16 is never reached in 7 days; clipping it keeps the column's type.
    cap = np.int16(min(profile_cap, np.iinfo(np.int16).max))
    capped = (by_address != NO_CAP) & (by_address < cap)
    return np.where(capped, by_address, cap).astype(np.int16)


def reasons_of(bits: int) -> tuple[Reason, ...]:
    """The reasons a bitmask from `callable_now` holds, in declared order."""
    return tuple(reason for reason, bit in REASON_BITS.items() if bits & bit)
