"""Automated compliance checks of the contact log: every contact made, checked after the fact.

The compliance engine decides each contact before it is made, from the history the deciding
process could see at that moment. The audit asks the same engine again afterwards, with the
whole stored log. Two processes deciding at once (the dialer and an SMS worker, two agents on two
accounts of one debtor) each saw the other's contact missing; a contact made although the engine
refused it, or made with no decision at all, shows here too. A client's compliance officer wants
that proof per portfolio, not a promise that the dialer asked.

Only the rules the log itself settles are replayed: the weekly call cap, the state and New York
City caps, the lockouts after a conversation or an abandoned call, and the contact hours where
the debtor may be. Hours and the state and city caps follow the addresses the decision saw,
stored with it (for decisions stored before that, those on file now), so a Boston debtor's third
call communication in a `us` portfolio is a breach even if it was decided under older rules.
A debtor's stated inconvenient times are not replayed: the log does not say when they were
stated. Holds are, from their history (core.holds keeps every set and lift with its time): a
contact made while a dispute, cease, lawyer, bankruptcy, death, recall or text review was in
force is a breach, and a cease received on Tuesday still does not make Monday's call one. A hold
older than its history (an import's flags) has no start on record and is not judged. The
validation notice is: the log dates the first conversation and the account the notice, so a
contact made after the notice fell due and before it was sent is a breach
(compliance.validation).
Abandon rates are checked per campaign day against the rolling 30-day target.

Pure: the caller loads the contacts and the log (qa.audit_store).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from compliance.contact import Address, Channel, Contact, Debtor
from compliance.engine import situation, timed_reasons
from compliance.reasons import FLAG_REASONS, Reason, ordered
from compliance.validation import overdue
from dialer.abandon import AbandonLedger

#: The rules a replay of the log can judge on its own (see the module docstring).
REPLAYED: frozenset[Reason] = frozenset(
    {
        Reason.OUTSIDE_HOURS,
        Reason.WEEKLY_CALL_CAP,
        Reason.RECENT_CONVERSATION,
        Reason.STATE_CALL_CAP,
        Reason.NYC_ATTEMPT_CAP,
        Reason.ABANDON_REDIAL_LOCKOUT,
    }
)


class Kind(StrEnum):
    """What is wrong with a contact, most serious first."""

    REFUSED = "refused"  # made although its stored decision said no
    BREACH = "breach"  # the whole log shows a rule it broke
    NO_DECISION = "no_decision"  # made with no decision stored: outside Concord's rules
    UNRECORDED = "unrecorded"  # a dialer call answered with no recording to prove what was said


KIND_WORDS: dict[Kind, str] = {
    Kind.REFUSED: "made although the rules refused it",
    Kind.BREACH: "breaks a rule when replayed against the whole contact log",
    Kind.NO_DECISION: "made with no compliance decision stored",
    Kind.UNRECORDED: "answered, but no recording was stored",
}


@dataclass(frozen=True)
class Logged:
    """One outbound contact of the log, as the audit needs it."""

    attempt_id: int
    channel: Channel
    to: str
    at: datetime
    #: The stored decision record (compliance.store.decision_record); empty when none was stored.
    decision: Mapping[str, Any]
    #: The dialer's ChannelId: set only for calls placed through the PBX.
    call_id: str = ""
    outcome: str = ""
    recorded: bool = False


@dataclass(frozen=True)
class Finding:
    attempt_id: int
    kind: Kind
    #: Reason codes: the stored decision's for REFUSED (kept as stored), the replay's for BREACH.
    reasons: tuple[str, ...] = ()
    #: The debtor's home time zone, so an officer reads "06:30 in Chicago", not only UTC.
    home_zone: str = "UTC"


@dataclass(frozen=True)
class HoldSpan:
    """A hold in force from `start` until `end` (None: still in force)."""

    hold: str
    start: datetime
    end: datetime | None = None

    def covers(self, at: datetime) -> bool:
        return self.start <= at and (self.end is None or at < self.end)


def hold_spans(changes: Sequence[tuple[str, str, datetime]]) -> list[HoldSpan]:
    """Spans from a scope's (hold, "set" | "lift", at) changes in time order. A lift with no
    set before it closes a hold older than the history, whose start is unknown: no span."""
    opened: dict[str, datetime] = {}
    spans = []
    for hold, action, at in changes:
        if action == "set":
            opened.setdefault(hold, at)
        elif action == "lift" and hold in opened:
            spans.append(HoldSpan(hold, opened.pop(hold), at))
    spans.extend(HoldSpan(hold, start) for hold, start in opened.items())
    return spans


def check_contact(
    contact: Contact,
    logged: Logged,
    first_conversation: datetime | None = None,
    notice_on: date | None = None,
    held: Sequence[HoldSpan] = (),
) -> list[Finding]:
    """Findings for one contact. `contact` is its account's, with the debtor's log around
    `logged.at` as history (every account of the debtor: the caps count per account, the
    abandon lockout per debtor); the replay sees only the attempts made before it. The
    account's first conversation and validation notice day are given for a United States
    portfolio, whose debts need the notice; `held`, the spans of the holds on the account and
    its debtor."""
    # model_copy skips validation: the stored channel and address were valid when contacted.
    # The do-not-call list as it stood then is the audit store's to check (its entries have
    # dates); `to_stopped` was loaded for another number, now.
    replay = contact.model_copy(
        update={
            "channel": logged.channel,
            "to": logged.to,
            "debtor": _debtor_then(contact, logged),
            "to_stopped": False,
        }
    )
    s = situation(replay, logged.at)
    found: list[Finding] = []

    def finding(kind: Kind, reasons: tuple[str, ...] = ()) -> None:
        found.append(Finding(logged.attempt_id, kind, reasons, s.home))

    allowed = logged.decision.get("allowed")
    if allowed is False:
        finding(Kind.REFUSED, tuple(str(r) for r in logged.decision.get("reasons") or ()))
    elif not isinstance(allowed, bool):
        finding(Kind.NO_DECISION)
    replayed = timed_reasons(s, logged.at) & REPLAYED
    if overdue(logged.at, first_conversation, notice_on):
        replayed.add(Reason.VALIDATION_OVERDUE)
    replayed |= {
        FLAG_REASONS[s.hold] for s in held if s.hold in FLAG_REASONS and s.covers(logged.at)
    }
    broken = ordered(replayed)
    if broken:
        finding(Kind.BREACH, tuple(str(r) for r in broken))
    if logged.call_id and logged.outcome == "conversation" and not logged.recorded:
        finding(Kind.UNRECORDED)
    return found


def _debtor_then(contact: Contact, logged: Logged) -> Debtor:
    """The debtor with the addresses the stored decision saw (the debtor may have moved since);
    the addresses on file when the decision stored none, or none that still reads."""
    stored = logged.decision.get("addresses")
    if not isinstance(stored, list) or not stored:
        return contact.debtor
    try:
        then = tuple(Address.model_validate(a) for a in stored)
    except ValidationError:
        return contact.debtor
    return contact.debtor.model_copy(update={"addresses": then})


@dataclass(frozen=True)
class AbandonDay:
    """A campaign day whose rolling 30-day abandon rate ended above the campaign's target."""

    day: date
    live: int
    abandoned: int
    target: float

    @property
    def rate(self) -> float:
        return self.abandoned / self.live if self.live else 0.0


def abandon_days_over(
    ledger: AbandonLedger, first: date, last: date, target: float
) -> list[AbandonDay]:
    """The days from `first` to `last` whose 30-day window (the day and the 29 before it)
    ended above `target`. `ledger` must hold the 29 days before `first` as well."""
    over = []
    day = first
    while day <= last:
        rate = ledger.rate_30d(day)
        if rate.live and rate.abandoned > target * rate.live:
            over.append(AbandonDay(day, rate.live, rate.abandoned, target))
        day = date.fromordinal(day.toordinal() + 1)
    return over
