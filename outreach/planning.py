"""Which follow-ups a disposition or a payment calls for, and when each is due. Pure: no I/O.

A portfolio's `followup_templates` switches triggers on or off per channel and names its template
set. Every planned message carries a key unique per (account, trigger, occurrence, channel): the
same promise planned twice yields the same keys, which is what makes follow-ups exactly-once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from outreach.models import Trigger

CHANNELS = ("sms", "email")
_DEFAULT_CHANNELS: dict[Trigger, tuple[str, ...]] = {trigger: CHANNELS for trigger in Trigger}


@dataclass(frozen=True)
class FollowupPolicy:
    """A portfolio's follow-up settings, validated."""

    template_set: str
    channels: dict[Trigger, tuple[str, ...]]
    reminder_days_before: int
    send_hour: int
    broken_promise_grace_days: int


@dataclass(frozen=True)
class Planned:
    """One message to write: what, to which channel, when, and what it is about."""

    trigger: Trigger
    occurrence: str
    channel: str
    due_at: datetime
    context: dict[str, Any] = field(default_factory=dict)

    def key(self, account_id: int) -> str:
        return message_key(account_id, self.trigger, self.occurrence, self.channel)


@dataclass(frozen=True)
class Installment:
    id: int
    seq: int
    due_date: date
    amount_minor: int


def message_key(account_id: int, trigger: str, occurrence: str, channel: str) -> str:
    """The exactly-once key: one message per account, trigger, occurrence and channel."""
    return f"a{account_id}:{trigger}:{occurrence}:{channel}"


def _int_field(config: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = config.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"followup_templates.{name} must be a whole number {low}-{high}")
    return value


def policy_from(
    config: dict[str, Any],
    client_code: str,
    *,
    reminder_days_before: int,
    send_hour: int,
    broken_promise_grace_days: int,
) -> FollowupPolicy:
    """Read `Portfolio.followup_templates`; raises ValueError naming the bad field.

    Shape: {"template_set": "acme", "triggers": {"no_contact": ["sms"], "promise_reminder": []},
    "reminder_days_before": 2, "send_hour": 10, "broken_promise_grace_days": 1}. A trigger left out
    goes to both channels; an empty list switches it off.
    """
    channels = dict(_DEFAULT_CHANNELS)
    triggers = config.get("triggers", {})
    if not isinstance(triggers, dict):
        raise ValueError("followup_templates.triggers must map trigger names to channel lists")
    for name, wanted in triggers.items():
        try:
            trigger = Trigger(name)
        except ValueError:
            known = ", ".join(t.value for t in Trigger)
            raise ValueError(
                f"followup_templates.triggers.{name} is not a trigger (known: {known})"
            ) from None
        if not isinstance(wanted, list) or any(c not in CHANNELS for c in wanted):
            raise ValueError(f"followup_templates.triggers.{name} must be a list of sms/email")
        channels[trigger] = tuple(c for c in CHANNELS if c in wanted)
    template_set = config.get("template_set") or client_code or "default"
    if not isinstance(template_set, str) or "/" in template_set or template_set.startswith("."):
        raise ValueError("followup_templates.template_set must be a plain folder name")
    return FollowupPolicy(
        template_set=template_set,
        channels=channels,
        reminder_days_before=_int_field(
            config, "reminder_days_before", reminder_days_before, 0, 30
        ),
        send_hour=_int_field(config, "send_hour", send_hour, 0, 23),
        broken_promise_grace_days=_int_field(
            config, "broken_promise_grace_days", broken_promise_grace_days, 1, 30
        ),
    )


def local_at(day: date, hour: int, zone: str) -> datetime:
    """`hour`:00 on `day` in the debtor's zone, as an aware instant."""
    return datetime.combine(day, time(hour), ZoneInfo(zone))


def _expand(
    policy: FollowupPolicy,
    trigger: Trigger,
    occurrence: str,
    due_at: datetime,
    context: dict[str, Any],
) -> list[Planned]:
    return [Planned(trigger, occurrence, c, due_at, context) for c in policy.channels[trigger]]


def _reminder_day(policy: FollowupPolicy, due: date) -> date:
    return due - timedelta(days=policy.reminder_days_before)


def plan_promise(
    policy: FollowupPolicy, promise_id: int, due_date: date, now: datetime, zone: str
) -> list[Planned]:
    """Confirmation now, a reminder before the date if still ahead, a broken-promise check after."""
    occurrence, context = f"p{promise_id}", {"promise_id": promise_id}
    planned = _expand(policy, Trigger.PROMISE_CONFIRMATION, occurrence, now, context)
    reminder_at = local_at(_reminder_day(policy, due_date), policy.send_hour, zone)
    if reminder_at > now and policy.reminder_days_before > 0:
        planned += _expand(policy, Trigger.PROMISE_REMINDER, occurrence, reminder_at, context)
    broken_day = due_date + timedelta(days=policy.broken_promise_grace_days)
    broken_at = local_at(broken_day, policy.send_hour, zone)
    planned += _expand(policy, Trigger.BROKEN_PROMISE, occurrence, broken_at, context)
    return planned


def plan_payment_plan(
    policy: FollowupPolicy,
    plan_id: int,
    installments: list[Installment],
    now: datetime,
    zone: str,
) -> list[Planned]:
    """The schedule now, and a reminder before each installment still ahead."""
    planned = _expand(policy, Trigger.PLAN_SCHEDULE, f"l{plan_id}", now, {"plan_id": plan_id})
    for item in installments:
        at = local_at(_reminder_day(policy, item.due_date), policy.send_hour, zone)
        if at > now and policy.reminder_days_before > 0:
            context = {"plan_id": plan_id, "installment_id": item.id}
            planned += _expand(policy, Trigger.INSTALLMENT_REMINDER, f"i{item.id}", at, context)
    return planned


def plan_no_contact(policy: FollowupPolicy, attempt_id: int, now: datetime) -> list[Planned]:
    """A message asking for a call back; nothing about the debt. One per account and channel
    per ISO week, whatever the number of unanswered calls: keyed per call, six busy signals in
    a minute sent six texts (1692d: repeated messages whose natural effect is to harass)."""
    year, week, _ = now.isocalendar()
    occurrence = f"w{year}-{week:02d}"
    return _expand(policy, Trigger.NO_CONTACT, occurrence, now, {"attempt_id": attempt_id})


def plan_receipt(policy: FollowupPolicy, payment_id: int, now: datetime) -> list[Planned]:
    return _expand(
        policy, Trigger.PAYMENT_RECEIPT, f"r{payment_id}", now, {"payment_id": payment_id}
    )
