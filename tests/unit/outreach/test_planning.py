"""Which follow-ups are planned, with which keys, and when they are due."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from outreach.models import Trigger
from outreach.planning import (
    Installment,
    message_key,
    plan_no_contact,
    plan_payment_plan,
    plan_promise,
    policy_from,
)

NY = "America/New_York"
NOW = datetime(2027, 3, 9, 19, 0, tzinfo=UTC)  # 14:00 in New York


def _policy(config: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    return policy_from(
        config or {}, "acme", reminder_days_before=2, send_hour=10, broken_promise_grace_days=1
    )


def test_promise_plans_confirmation_now_reminder_two_days_before_and_broken_check_after() -> None:
    planned = plan_promise(_policy(), 7, date(2027, 3, 19), NOW, NY)
    by_trigger = {(p.trigger, p.channel): p.due_at for p in planned}
    local = ZoneInfo(NY)
    assert by_trigger[(Trigger.PROMISE_CONFIRMATION, "sms")] == NOW
    assert by_trigger[(Trigger.PROMISE_REMINDER, "email")] == datetime(
        2027, 3, 17, 10, tzinfo=local
    )
    assert by_trigger[(Trigger.BROKEN_PROMISE, "sms")] == datetime(2027, 3, 20, 10, tzinfo=local)
    assert len(planned) == 6


def test_reminder_already_past_is_not_planned() -> None:
    planned = plan_promise(_policy(), 7, date(2027, 3, 10), NOW, NY)
    assert Trigger.PROMISE_REMINDER not in {p.trigger for p in planned}


def test_same_promise_planned_twice_gives_the_same_keys() -> None:
    first = [p.key(3) for p in plan_promise(_policy(), 7, date(2027, 3, 19), NOW, NY)]
    again = [p.key(3) for p in plan_promise(_policy(), 7, date(2027, 3, 19), NOW, NY)]
    assert first == again
    assert message_key(3, "promise_confirmation", "p7", "sms") in first


def test_portfolio_can_switch_a_trigger_off_or_to_one_channel() -> None:
    policy = _policy({"triggers": {"promise_reminder": [], "promise_confirmation": ["email"]}})
    planned = plan_promise(policy, 7, date(2027, 3, 19), NOW, NY)
    assert {(p.trigger, p.channel) for p in planned if p.trigger != Trigger.BROKEN_PROMISE} == {
        (Trigger.PROMISE_CONFIRMATION, "email")
    }


def test_plan_gets_schedule_now_and_a_reminder_per_installment_ahead() -> None:
    items = [Installment(1, 1, date(2027, 3, 10), 5000), Installment(2, 2, date(2027, 4, 10), 5000)]
    planned = plan_payment_plan(_policy(), 4, items, NOW, NY)
    reminders = [p for p in planned if p.trigger == Trigger.INSTALLMENT_REMINDER]
    assert {p.occurrence for p in reminders} == {"i2"}
    assert {p.trigger for p in planned} == {Trigger.PLAN_SCHEDULE, Trigger.INSTALLMENT_REMINDER}


def test_no_contact_is_keyed_by_the_week_so_many_unanswered_calls_send_one() -> None:
    week = NOW.isocalendar()
    occurrence = f"w{week.year}-{week.week:02d}"
    first = plan_no_contact(_policy(), 55, NOW)
    later = plan_no_contact(_policy(), 56, NOW + timedelta(minutes=5))
    assert {p.occurrence for p in first} == {p.occurrence for p in later} == {occurrence}
    assert {p.key(7) for p in first} == {p.key(7) for p in later}
    assert first[0].context == {"attempt_id": 55}


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"triggers": {"promise_reminderz": []}}, "triggers.promise_reminderz"),
        ({"triggers": {"no_contact": ["fax"]}}, "triggers.no_contact"),
        ({"send_hour": 25}, "send_hour"),
        ({"template_set": "../etc"}, "template_set"),
        ({"broken_promise_grace_days": 0}, "broken_promise_grace_days"),
    ],
)
def test_bad_portfolio_settings_name_the_field(config: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field.replace(".", r"\.")):
        _policy(config)
