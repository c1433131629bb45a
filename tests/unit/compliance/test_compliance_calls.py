"""Reg F 7-in-7, the lockout after a conversation, the Massachusetts cap and the UK redial rule."""

from __future__ import annotations

from compliance_factories import attempt, contact, utc

from compliance.engine import decide
from compliance.reasons import Reason

# June 2026 in New York is EDT (UTC-4): 08:00 local is 12:00Z, 11:00 local is 15:00Z.


def _daily_calls(first_day: int, last_day: int, outcome: str = "no_answer") -> list[dict[str, str]]:
    return [
        attempt(f"2026-06-{day:02d}T15:00:00Z", outcome) for day in range(first_day, last_day + 1)
    ]


def test_seventh_call_in_seven_days_is_allowed() -> None:
    assert decide(contact(history=_daily_calls(1, 6)), utc("2026-06-07T16:00:00Z")).allowed


def test_eighth_call_in_seven_days_is_blocked_until_day_eight() -> None:
    decision = decide(contact(history=_daily_calls(1, 7)), utc("2026-06-07T16:00:00Z"))
    assert decision.reasons == (Reason.WEEKLY_CALL_CAP,)
    assert decision.next_allowed_at == utc("2026-06-08T12:00:00Z")


def test_calls_that_never_connected_do_not_count_toward_the_cap() -> None:
    history = [*_daily_calls(1, 6), attempt("2026-06-07T15:00:00Z", "not_connected")]
    assert decide(contact(history=history), utc("2026-06-07T16:00:00Z")).allowed


def test_calls_about_another_account_do_not_count_toward_the_cap() -> None:
    history = [*_daily_calls(1, 6), attempt("2026-06-07T15:00:00Z", account="A2")]
    assert decide(contact(history=history), utc("2026-06-07T16:00:00Z")).allowed


def test_sms_and_email_are_not_limited_by_the_call_cap() -> None:
    sms = contact(channel="sms", history=_daily_calls(1, 7))
    assert decide(sms, utc("2026-06-07T16:00:00Z")).allowed


def test_call_at_2330_local_counts_on_its_local_day_not_its_utc_day() -> None:
    # 2026-06-02T03:30Z is 23:30 on June 1 in New York, outside the June 2-8 window.
    history = [attempt("2026-06-02T03:30:00Z"), *_daily_calls(2, 7)]
    assert decide(contact(history=history), utc("2026-06-08T12:30:00Z")).allowed


def test_call_on_day_seven_after_a_conversation_is_blocked() -> None:
    talked = contact(history=[attempt("2026-06-01T15:00:00Z", "conversation")])
    decision = decide(talked, utc("2026-06-07T20:00:00Z"))
    assert decision.reasons == (Reason.RECENT_CONVERSATION,)
    assert decision.next_allowed_at == utc("2026-06-08T12:00:00Z")


def test_call_on_day_eight_after_a_conversation_is_allowed() -> None:
    talked = contact(history=[attempt("2026-06-01T15:00:00Z", "conversation")])
    assert decide(talked, utc("2026-06-08T12:00:00Z")).allowed


def test_conversation_about_another_account_does_not_lock_this_one() -> None:
    other = contact(history=[attempt("2026-06-01T15:00:00Z", "conversation", account="A2")])
    assert decide(other, utc("2026-06-03T15:00:00Z")).allowed


def test_email_after_a_conversation_is_allowed() -> None:
    email = contact(channel="email", to="d@example.com",
                    history=[attempt("2026-06-01T15:00:00Z", "conversation")])  # fmt: skip
    assert decide(email, utc("2026-06-03T15:00:00Z")).allowed


def test_massachusetts_third_call_communication_in_seven_days_is_blocked() -> None:
    history = [
        attempt("2026-06-01T15:00:00Z", "voicemail"),
        attempt("2026-06-03T15:00:00Z", "voicemail"),
    ]
    decision = decide(contact(profile="us-ma", history=history), utc("2026-06-05T15:00:00Z"))
    assert decision.reasons == (Reason.STATE_CALL_CAP,)
    assert decision.next_allowed_at == utc("2026-06-08T12:00:00Z")


def test_massachusetts_cap_counts_text_messages_but_not_unanswered_calls() -> None:
    unanswered = [attempt("2026-06-01T15:00:00Z"), attempt("2026-06-02T15:00:00Z", "busy")]
    assert decide(contact(profile="us-ma", history=unanswered), utc("2026-06-05T15:00:00Z")).allowed
    texts = [attempt("2026-06-01T15:00:00Z", "no_answer", "sms"),
             attempt("2026-06-02T15:00:00Z", "no_answer", "sms")]  # fmt: skip
    sms = contact(profile="us-ma", channel="sms", history=texts)
    assert decide(sms, utc("2026-06-05T15:00:00Z")).reasons == (Reason.STATE_CALL_CAP,)


def test_plain_us_profile_has_no_state_cap() -> None:
    history = [
        attempt("2026-06-01T15:00:00Z", "voicemail"),
        attempt("2026-06-03T15:00:00Z", "voicemail"),
    ]
    assert decide(contact(history=history), utc("2026-06-05T15:00:00Z")).allowed


def test_uk_redial_71_hours_after_an_abandoned_call_is_blocked() -> None:
    # The abandoned call was about another account: the redial rule protects the person.
    history = [attempt("2026-06-01T10:00:00Z", "abandoned", account="A2")]
    dropped = contact(
        profile="uk", addresses=[{"country": "GB"}], to="+442079460000", history=history
    )
    decision = decide(dropped, utc("2026-06-04T09:59:59Z"))
    assert decision.reasons == (Reason.ABANDON_REDIAL_LOCKOUT,)
    assert decision.next_allowed_at == utc("2026-06-04T10:00:00Z")


def test_uk_redial_72_hours_after_an_abandoned_call_is_allowed() -> None:
    dropped = contact(profile="uk", addresses=[{"country": "GB"}], to="+442079460000",
                      history=[attempt("2026-06-01T10:00:00Z", "abandoned")])  # fmt: skip
    assert decide(dropped, utc("2026-06-04T10:00:00Z")).allowed


def test_portfolio_cap_of_three_blocks_the_fourth_call() -> None:
    capped = contact(portfolio={"weekly_call_cap": 3}, history=_daily_calls(1, 3))
    assert decide(capped, utc("2026-06-03T16:00:00Z")).reasons == (Reason.WEEKLY_CALL_CAP,)


def test_attempts_after_the_instant_decided_are_not_counted() -> None:
    later = contact(history=[attempt("2026-06-01T15:00:00Z", "conversation")])
    assert decide(later, utc("2026-06-01T14:59:59Z")).allowed
