"""QA's automated checks of the contact log: each contact replayed against the whole log."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from compliance.contact import Channel, Contact
from dialer.abandon import AbandonLedger
from qa.audit import (
    Finding,
    HoldSpan,
    Kind,
    Logged,
    abandon_days_over,
    check_contact,
    hold_spans,
)

NY = "+12125550100"
ALLOWED = {"allowed": True, "reasons": []}
# Monday 2027-03-01 15:00 UTC is 10:00 in New York.
MONDAY_10_NY = datetime.fromisoformat("2027-03-01T15:00:00+00:00")


def _contact(history: list[tuple[datetime, str]], **debtor: Any) -> Contact:
    """A New York State debtor's account A1 (Albany: outside New York City, whose own cap has
    its tests below) with its calls (instant, outcome) as history."""
    return Contact.model_validate(
        {
            "channel": "call",
            "to": NY,
            "debtor": {"addresses": [{"state": "NY", "postal_code": "12207"}], **debtor},
            "account": {"id": "A1"},
            "history": [
                {"at": at, "channel": "call", "account": "A1", "outcome": outcome}
                for at, outcome in history
            ],
        }
    )


def _logged(
    at: datetime, decision: dict[str, Any] | None = None, channel: Channel = "call", **extra: Any
) -> Logged:
    to = "debtor@example.com" if channel == "email" else NY
    record = ALLOWED if decision is None else decision
    return Logged(attempt_id=9, channel=channel, to=to, at=at, decision=record, **extra)


def _found(kind: Kind, *reasons: str) -> Finding:
    return Finding(9, kind, reasons, "America/New_York")


def _kinds(found: list[Finding]) -> list[Kind]:
    return [f.kind for f in found]


def test_calls_within_the_rules_with_their_decisions_pass() -> None:
    calls = [(MONDAY_10_NY + timedelta(days=d), "no_answer") for d in range(3)]
    contact = _contact(calls)

    assert [check_contact(contact, _logged(at)) for at, _ in calls] == [[], [], []]


def test_the_eighth_call_in_seven_days_breaks_the_cap_though_its_decision_allowed_it() -> None:
    """Two processes deciding at once each saw seven calls missing one: the log shows eight."""
    calls = [(MONDAY_10_NY + timedelta(days=d // 2, hours=d % 2), "no_answer") for d in range(8)]
    contact = _contact(calls)

    seventh, eighth = (check_contact(contact, _logged(at)) for at, _ in calls[6:])

    assert seventh == []
    assert eighth == [_found(Kind.BREACH, "weekly_call_cap")]


def test_a_call_within_seven_days_of_a_conversation_is_a_breach_and_the_eighth_day_is_not() -> None:
    talked = MONDAY_10_NY
    contact = _contact([(talked, "conversation")])

    too_soon = check_contact(contact, _logged(talked + timedelta(days=3)))
    eighth_day = check_contact(contact, _logged(talked + timedelta(days=7)))

    assert too_soon == [_found(Kind.BREACH, "recent_conversation")]
    assert eighth_day == []


def test_a_call_at_ten_at_night_where_the_debtor_lives_is_outside_hours() -> None:
    late = MONDAY_10_NY + timedelta(hours=12)  # 22:00 in New York

    assert check_contact(_contact([]), _logged(late)) == [_found(Kind.BREACH, "outside_hours")]


def test_hours_are_judged_where_the_debtor_lived_when_the_decision_was_made() -> None:
    """Called at 08:30 in New York; the debtor has since moved to Honolulu (03:30 there)."""
    at = MONDAY_10_NY - timedelta(minutes=90)
    moved = _contact([], addresses=[{"state": "HI", "postal_code": "96813"}])
    then = {**ALLOWED, "addresses": [{"country": "US", "state": "NY", "postal_code": "10001"}]}

    assert check_contact(moved, _logged(at, then)) == []
    assert _kinds(check_contact(moved, _logged(at))) == [Kind.BREACH]  # no addresses stored


def test_an_email_is_not_held_to_the_call_cap_but_is_held_to_the_hours() -> None:
    calls = [(MONDAY_10_NY + timedelta(hours=h), "no_answer") for h in range(7)]
    contact = _contact(calls)
    after_seven_calls = MONDAY_10_NY + timedelta(hours=8)

    assert check_contact(contact, _logged(after_seven_calls, channel="email")) == []
    at_midnight = MONDAY_10_NY + timedelta(hours=14)
    assert _kinds(check_contact(contact, _logged(at_midnight, channel="email"))) == [Kind.BREACH]


def _with_history(made: list[tuple[datetime, str, str]]) -> Contact:
    """The Albany debtor's A1 with attempts (instant, channel, outcome) on any channel; the
    stored decisions then say where the debtor lived."""
    history = [{"at": at, "channel": ch, "account": "A1", "outcome": o} for at, ch, o in made]
    return Contact.model_validate({**_contact([]).model_dump(), "history": history})


def test_a_boston_debtors_third_call_communication_in_a_us_portfolio_is_a_breach() -> None:
    """Decided before the Massachusetts cap followed the address: the replay applies it."""
    voicemails = [(MONDAY_10_NY + timedelta(days=d), "call", "voicemail") for d in range(3)]
    boston = _with_history(voicemails)
    where = {**ALLOWED, "addresses": [{"country": "US", "state": "MA", "postal_code": "02108"}]}

    second, third = (check_contact(boston, _logged(at, where)) for at, _, _ in voicemails[1:])

    assert second == []
    assert third == [_found(Kind.BREACH, "state_call_cap")]


def test_a_new_york_city_debtors_fourth_attempt_on_any_channel_is_a_breach() -> None:
    made = [
        (MONDAY_10_NY, "call", "no_answer"),
        (MONDAY_10_NY + timedelta(days=1), "sms", "no_answer"),
        (MONDAY_10_NY + timedelta(days=2), "email", "no_answer"),
        (MONDAY_10_NY + timedelta(days=3), "email", "no_answer"),
    ]
    contact = _with_history(made)
    brooklyn = {**ALLOWED, "addresses": [{"country": "US", "state": "NY", "postal_code": "11201"}]}

    third = check_contact(contact, _logged(made[2][0], brooklyn, channel="email"))
    fourth = check_contact(contact, _logged(made[3][0], brooklyn, channel="email"))

    assert third == []
    assert fourth == [_found(Kind.BREACH, "nyc_attempt_cap")]


def test_a_contact_made_although_refused_keeps_the_stored_reasons() -> None:
    refused = {"allowed": False, "reasons": ["dnc"]}

    found = check_contact(_contact([]), _logged(MONDAY_10_NY, refused))

    assert found == [_found(Kind.REFUSED, "dnc")]


def test_a_contact_with_no_stored_decision_is_reported_and_still_replayed() -> None:
    late = MONDAY_10_NY + timedelta(hours=12)

    found = check_contact(_contact([]), _logged(late, {}))

    assert _kinds(found) == [Kind.NO_DECISION, Kind.BREACH]


def test_stated_inconvenient_times_are_not_replayed_the_log_does_not_say_when_they_came() -> None:
    mornings = [{"days": ["mon"], "start": "09:00", "end": "12:00"}]

    assert check_contact(_contact([], inconvenient=mornings), _logged(MONDAY_10_NY)) == []


def test_an_answered_dialer_call_needs_a_recording_an_unanswered_one_does_not() -> None:
    contact = _contact([])

    unrecorded = _logged(MONDAY_10_NY, call_id="c-1", outcome="conversation")
    recorded = _logged(MONDAY_10_NY, call_id="c-1", outcome="conversation", recorded=True)
    unanswered = _logged(MONDAY_10_NY, call_id="c-1", outcome="no_answer")

    assert check_contact(contact, unrecorded) == [_found(Kind.UNRECORDED)]
    assert check_contact(contact, recorded) == check_contact(contact, unanswered) == []


def test_a_day_is_over_when_its_thirty_day_window_passes_the_target() -> None:
    ledger = AbandonLedger()
    first = date(2027, 3, 1)
    ledger.record(first - timedelta(days=29), "conversation", 1000)  # leaves the window on 3-2
    ledger.record(first, "conversation", 100)
    ledger.record(first, "abandoned", 20)

    over = abandon_days_over(ledger, first, first + timedelta(days=1), 0.03)

    # 3-1: 20 of 1,120 (1.8%): within; 3-2: 20 of 120 (16.7%): over.
    assert [(d.day, d.abandoned, d.live) for d in over] == [(first + timedelta(days=1), 20, 120)]
    assert round(over[0].rate, 3) == 0.167


def test_a_contact_made_while_a_hold_was_in_force_is_a_breach_and_before_or_after_is_not() -> None:
    set_at, lifted_at = MONDAY_10_NY + timedelta(hours=1), MONDAY_10_NY + timedelta(days=2)
    spans = hold_spans([("dispute", "set", set_at), ("dispute", "lift", lifted_at)])
    assert spans == [HoldSpan("dispute", set_at, lifted_at)]
    contact = _contact([])
    before, during, after = MONDAY_10_NY, MONDAY_10_NY + timedelta(days=1), lifted_at
    assert check_contact(contact, _logged(before), held=spans) == []
    assert check_contact(contact, _logged(during), held=spans) == [_found(Kind.BREACH, "dispute")]
    assert check_contact(contact, _logged(after), held=spans) == []


def test_a_hold_still_in_force_covers_every_later_contact_and_a_lift_alone_covers_none() -> None:
    spans = hold_spans(
        [("text_review", "lift", MONDAY_10_NY), ("cease", "set", MONDAY_10_NY)]
    )  # the text review's set predates the history: its start is unknown
    assert spans == [HoldSpan("cease", MONDAY_10_NY)]
    later = _logged(MONDAY_10_NY + timedelta(days=30), channel="email")
    assert check_contact(_contact([]), later, held=spans) == [_found(Kind.BREACH, "cease")]
