"""A call the debtor asked for (Reg F 1006.14(b)(3)(i)): out of the 7-in-7 count and the rest
after a conversation when the consent was given within the 7 days before it; nothing else."""

from __future__ import annotations

from typing import Any

from compliance_factories import attempt, contact, utc

from compliance.engine import decide

# Monday 2027-03-01 15:00 UTC is 10:00 in New York (the factories' debtor).
TALKED = "2027-03-01T15:00:00Z"


def _asked(start: str, end: str, given: str = TALKED, account: str = "A1") -> dict[str, Any]:
    return {"given_at": given, "account": account, "start": start, "end": end}


def test_a_call_inside_the_window_the_debtor_asked_for_passes_the_rest_after_a_talk() -> None:
    window = _asked("2027-03-03T14:45:00Z", "2027-03-03T17:00:00Z")
    history = [attempt(TALKED, "conversation")]

    planned = decide(contact(history=history), utc("2027-03-03T15:00:00Z"))
    asked = decide(contact(history=history, consents=[window]), utc("2027-03-03T15:00:00Z"))
    after = decide(contact(history=history, consents=[window]), utc("2027-03-03T18:00:00Z"))

    assert [str(r) for r in planned.reasons] == ["recent_conversation"]
    assert asked.allowed
    assert [str(r) for r in after.reasons] == ["recent_conversation"]


def test_the_refusal_names_the_window_as_the_next_allowed_time() -> None:
    window = _asked("2027-03-04T14:45:00Z", "2027-03-04T17:00:00Z")
    history = [attempt(TALKED, "conversation")]

    decision = decide(contact(history=history, consents=[window]), utc("2027-03-02T15:00:00Z"))

    assert decision.next_allowed_at == utc("2027-03-04T14:45:00Z")


def test_consent_older_than_seven_days_or_for_another_account_does_not_count() -> None:
    history = [attempt("2027-03-08T15:00:00Z", "conversation")]
    at = utc("2027-03-10T15:00:00Z")
    stale = _asked("2027-03-10T14:45:00Z", "2027-03-10T17:00:00Z", given=TALKED)
    other = _asked("2027-03-10T14:45:00Z", "2027-03-10T17:00:00Z", "2027-03-08T15:00:00Z", "A2")

    for consent in (stale, other):
        refused = decide(contact(history=history, consents=[consent]), at)
        assert [str(r) for r in refused.reasons] == ["recent_conversation"]


def test_the_contact_hours_still_apply_to_a_call_the_debtor_asked_for() -> None:
    late = _asked("2027-03-03T02:00:00Z", "2027-03-03T04:00:00Z")  # 21:00-23:00 in New York

    decision = decide(contact(consents=[late]), utc("2027-03-03T03:00:00Z"))

    assert [str(r) for r in decision.reasons] == ["outside_hours"]


def test_a_call_made_on_request_is_left_out_of_the_seven_in_seven_count() -> None:
    days = [f"2027-03-0{d}T15:00:00Z" for d in range(1, 8)]  # seven calls, Monday to Sunday
    asked = _asked("2027-03-04T14:45:00Z", "2027-03-04T17:00:00Z", given="2027-03-02T15:00:00Z")
    history = [attempt(day) for day in days]
    eighth = utc("2027-03-07T18:00:00Z")

    counted = decide(contact(history=history), eighth)
    one_asked = decide(contact(history=history, consents=[asked]), eighth)

    assert [str(r) for r in counted.reasons] == ["weekly_call_cap"]
    assert one_asked.allowed


def test_a_request_covers_one_call_not_every_call_in_its_window() -> None:
    """One "call me back at ten" let a predictive campaign call four more times in its two
    hours, each out of the weekly count and the week's rest."""
    window = _asked("2027-03-03T14:45:00Z", "2027-03-03T17:00:00Z")
    called_back = attempt("2027-03-03T15:00:00Z", "no_answer")
    history = [attempt(TALKED, "conversation"), called_back]

    again = decide(contact(history=history, consents=[window]), utc("2027-03-03T15:20:00Z"))

    assert [str(r) for r in again.reasons] == ["recent_conversation"]
