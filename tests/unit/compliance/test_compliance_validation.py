"""The validation notice's dates: five business days to send it after the first conversation
(weekends and federal holidays not counted), and the validation period it opens."""

from __future__ import annotations

from datetime import UTC, date, datetime

from compliance.validation import business_days_after, notice_due_on, overdue, period_ends_on

# Wednesday before Thanksgiving 2026 (Thursday 26 November is a federal holiday).
FIRST = datetime(2026, 11, 25, 19, 30, tzinfo=UTC)


def test_thanksgiving_and_the_weekend_are_not_business_days() -> None:
    assert business_days_after(date(2026, 11, 25), 1) == date(2026, 11, 27)
    assert business_days_after(date(2026, 11, 25), 2) == date(2026, 11, 30)


def test_the_notice_is_due_on_the_fifth_business_day_after_the_first_conversation() -> None:
    assert notice_due_on(FIRST) == date(2026, 12, 3)


def test_the_hold_starts_when_the_due_day_is_over_and_not_before() -> None:
    assert not overdue(datetime(2026, 12, 3, 23, 59, tzinfo=UTC), FIRST, None)
    assert overdue(datetime(2026, 12, 4, 0, 0, tzinfo=UTC), FIRST, None)


def test_a_notice_sent_in_time_or_late_ends_the_hold_from_its_day() -> None:
    later = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    assert not overdue(later, FIRST, date(2026, 12, 2))
    assert not overdue(later, FIRST, date(2026, 12, 9))  # late, but sent by now
    # A notice dated after the contact was not sent at the contact: the replay sees the gap.
    assert overdue(later, FIRST, date(2026, 12, 11))


def test_no_first_conversation_means_no_initial_communication_yet() -> None:
    assert not overdue(datetime(2027, 1, 1, tzinfo=UTC), None, None)
    assert not overdue(FIRST, FIRST, None)  # the conversation itself


def test_the_validation_period_runs_30_days_from_the_assumed_receipt() -> None:
    # Sent Monday 30 November: received Monday 7 December (5 business days), then 30 days.
    assert period_ends_on(date(2026, 11, 30)) == date(2027, 1, 6)
    # Sent Friday 18 December: Christmas Day and the weekends are skipped.
    assert business_days_after(date(2026, 12, 18), 5) == date(2026, 12, 28)


def test_an_evening_conversation_counts_from_its_own_day_not_the_utc_day_after() -> None:
    # 20:00 Tuesday in New York is 01:00 Wednesday UTC: the five days start on Tuesday.
    evening = datetime(2026, 11, 18, 1, 0, tzinfo=UTC)
    assert notice_due_on(evening) == date(2026, 11, 24)
