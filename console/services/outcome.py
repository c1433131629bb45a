"""The outcome panel's rules: promise to pay, payment plan, settlement band, callback, notes.

Pure: form text and the portfolio's policy in, either terms ready to store or a message per
field out. The form is re-rendered with what the agent typed, so a mistake never costs input.
"""

from __future__ import annotations

import calendar
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.services.quiet_hours import every_day
from core.amounts import money, parse_money
from core.models import DispositionCategory, DispositionCode
from core.phones import e164
from core.sensitive import refusal

MAX_NOTES = 4000
FREQUENCIES = {"weekly": 7, "biweekly": 14, "monthly": 0}


@dataclass(frozen=True)
class Policy:
    """What the client allows on this account (from the portfolio) and today's date."""

    balance_minor: int
    currency: str
    promise_max_days: int
    settlement_min_pct: int
    plan_max_installments: int
    today: date

    @property
    def lowest_settlement_minor(self) -> int:
        lowest = Decimal(self.balance_minor) * self.settlement_min_pct / 100
        return int(lowest.quantize(Decimal(1), rounding=ROUND_CEILING))

    @property
    def last_promise_date(self) -> date:
        return self.today + timedelta(days=self.promise_max_days)


@dataclass(frozen=True)
class Promise:
    amount_minor: int
    due_date: date


@dataclass(frozen=True)
class Plan:
    total_minor: int
    settlement: bool
    installments: tuple[tuple[date, int], ...]


@dataclass
class Outcome:
    code: DispositionCode | None = None
    notes: str = ""
    promise: Promise | None = None
    plan: Plan | None = None
    callback_at: datetime | None = None
    # The debtor asked to be called then: their consent, which Reg F lets a call rely on.
    callback_consent: bool = False
    # Hours the person asked not to be called, every day in the debtor's own time, as the
    # stored range (compliance.contact.InconvenientRange); None when none were given.
    quiet: dict[str, object] | None = None
    # The debtor asked not to be called on the number this call reached (a workplace that
    # forbids calls, 1692c(a)(3)): the dialer moves to their other numbers.
    no_calls_here: bool = False
    # Whoever answered asked us to stop calling this number (not the debtor's, or nobody's
    # we want): it goes on the agency's do-not-call list, for every debtor on the line.
    stop_line: bool = False
    # A number the debtor gave on the call (E.164, type): kept among their phones, with no
    # autodial consent, so only a person dials it until consent is on file.
    new_phone: tuple[str, str] | None = None
    # Email ids the person said are their employer's (never written to, Reg F 1006.22(f)(3)).
    work_emails: tuple[int, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)


def agent_zone(name: str) -> ZoneInfo:
    """The zone the agent's browser reports (the page fills it in), UTC when absent or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("Pick a date.") from None


def required_fields(code: DispositionCode) -> set[str]:
    """What the code asks for, plus what its category implies (a promise code needs a promise)."""
    implied = {
        DispositionCategory.PROMISE.value: "promise",
        DispositionCategory.PLAN.value: "plan",
        DispositionCategory.CALLBACK.value: "callback",
    }
    wanted = set(code.requires)
    if code.category in implied:
        wanted.add(implied[code.category])
    return wanted


def check_promise(form: dict[str, str], policy: Policy, errors: dict[str, str]) -> Promise | None:
    amount = due = None
    try:
        amount = parse_money(form.get("promise_amount", ""), policy.currency)
        if amount > policy.balance_minor:
            balance = money(policy.balance_minor, policy.currency)
            raise ValueError(f"A promise cannot be more than the balance, {balance}.")
    except ValueError as exc:
        errors["promise_amount"] = str(exc)
        amount = None
    try:
        due = parse_day(form.get("promise_date", ""))
        if due < policy.today:
            raise ValueError("The promise date cannot be in the past.")
        if due > policy.last_promise_date:
            raise ValueError(
                f"The client allows promises up to {policy.promise_max_days} days out "
                f"(by {policy.last_promise_date.isoformat()})."
            )
    except ValueError as exc:
        errors["promise_date"] = str(exc)
        due = None
    return Promise(amount, due) if amount is not None and due is not None else None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def build_schedule(total_minor: int, count: int, first: date, every: str) -> list[tuple[date, int]]:
    """Even installments; the cents that do not divide evenly go on the last one."""
    share, rest = divmod(total_minor, count)
    days = FREQUENCIES[every]
    rows = []
    for seq in range(count):
        due = add_months(first, seq) if days == 0 else first + timedelta(days=days * seq)
        rows.append((due, share + (rest if seq == count - 1 else 0)))
    return rows


def check_plan(form: dict[str, str], policy: Policy, errors: dict[str, str]) -> Plan | None:
    settlement = form.get("plan_settlement") in {"on", "true", "1"}
    try:
        total = parse_money(form.get("plan_total", ""), policy.currency)
    except ValueError as exc:
        errors["plan_total"] = str(exc)
        return None
    balance = money(policy.balance_minor, policy.currency)
    if total > policy.balance_minor:
        errors["plan_total"] = f"The plan total cannot be more than the balance, {balance}."
    elif not settlement and total != policy.balance_minor:
        errors["plan_total"] = (
            f"Without a settlement the plan pays the full balance, {balance}; "
            "tick settlement for a discounted total."
        )
    elif settlement and total < policy.lowest_settlement_minor:
        errors["plan_total"] = (
            f"The client accepts settlements down to {policy.settlement_min_pct}% of the balance: "
            f"at least {money(policy.lowest_settlement_minor, policy.currency)}."
        )
    rows: list[tuple[date, int]] = []
    for seq in range(1, policy.plan_max_installments + 2):
        raw_date, raw_amount = form.get(f"plan_date_{seq}"), form.get(f"plan_amount_{seq}")
        if raw_date is None and raw_amount is None:
            break
        try:
            rows.append((parse_day(raw_date or ""), parse_money(raw_amount or "", policy.currency)))
        except ValueError as exc:
            errors[f"plan_row_{seq}"] = f"Installment {seq}: {exc}"
    if not rows and "plan_rows" not in errors:
        errors["plan_rows"] = "Build the schedule: number of installments and first date."
    elif len(rows) > policy.plan_max_installments:
        errors["plan_rows"] = (
            f"The client allows at most {policy.plan_max_installments} installments."
        )
    elif rows:
        dates = [d for d, _ in rows]
        if dates[0] < policy.today or dates[0] > policy.last_promise_date:
            errors["plan_rows"] = (
                f"The first installment must fall between today and {policy.last_promise_date}."
            )
        elif any(b <= a for a, b in itertools.pairwise(dates)):
            errors["plan_rows"] = "Each installment date must come after the one before."
        elif sum(a for _, a in rows) != total and "plan_total" not in errors:
            errors["plan_rows"] = (
                f"The installments add up to {money(sum(a for _, a in rows), policy.currency)}, "
                f"not the agreed {money(total, policy.currency)}."
            )
    if any(k.startswith("plan_") for k in errors):
        return None
    return Plan(total, settlement, tuple(rows))


def parse_callback(form: dict[str, str], errors: dict[str, str], now: datetime) -> datetime | None:
    """A local date and time in the agent's zone, as an aware instant in the future."""
    raw = form.get("callback_at", "").strip()
    zone = agent_zone(form.get("tz", ""))
    try:
        moment = datetime.fromisoformat(raw).replace(tzinfo=zone)
    except ValueError:
        errors["callback_at"] = "Pick the callback date and time."
        return None
    if moment <= now:
        errors["callback_at"] = "The callback time must be in the future."
        return None
    return moment


def check_outcome(
    form: dict[str, str], codes: list[DispositionCode], policy: Policy, now: datetime
) -> Outcome:
    """Everything the panel can check without the database or the compliance engine."""
    outcome = Outcome(notes=form.get("notes", "").strip())
    by_code = {c.code: c for c in codes}
    code = by_code.get(form.get("code", ""))
    if code is None:
        outcome.errors["code"] = "Choose a disposition code."
        return outcome
    outcome.code = code
    wanted = required_fields(code)
    sensitive = refusal(outcome.notes, "the notes")
    if len(outcome.notes) > MAX_NOTES:
        outcome.errors["notes"] = f"Notes are limited to {MAX_NOTES} characters."
    elif "notes" in wanted and not outcome.notes:
        outcome.errors["notes"] = f"{code.label} needs a note."
    elif sensitive:
        outcome.errors["notes"] = sensitive
    if "promise" in wanted:
        outcome.promise = check_promise(form, policy, outcome.errors)
    if "plan" in wanted:
        outcome.plan = check_plan(form, policy, outcome.errors)
    if "callback" in wanted:
        outcome.callback_at = parse_callback(form, outcome.errors, now)
        outcome.callback_consent = form.get("callback_consent") == "yes"
    outcome.quiet = parse_quiet(form, outcome.errors)
    outcome.no_calls_here = form.get("no_calls_here") == "yes"
    outcome.stop_line = form.get("stop_line") == "yes"
    outcome.new_phone = parse_new_phone(form, outcome.errors)
    outcome.work_emails = tuple(
        int(key.removeprefix(WORK_EMAIL))
        for key, value in form.items()
        if key.startswith(WORK_EMAIL) and key.removeprefix(WORK_EMAIL).isdigit() and value == "yes"
    )
    return outcome


WORK_EMAIL = "work_email_"  # a form field per email address: "yes" marks it the employer's


PHONE_TYPES = ("mobile", "landline", "work")


def parse_new_phone(form: dict[str, str], errors: dict[str, str]) -> tuple[str, str] | None:
    """A number the debtor gave ("my new cell is..."), as E.164 and its type; None if none."""
    raw = form.get("new_phone", "").strip()
    if not raw:
        return None
    kind = form.get("new_phone_type", "")
    number = e164(raw)
    if number is None:
        errors["new_phone"] = (
            "That is not a valid phone number: give the area code, as (206) 555-0100."
        )
        return None
    if kind not in PHONE_TYPES:
        errors["new_phone"] = "Say whether the new number is a mobile, a landline or a work number."
        return None
    return number, kind


def parse_quiet(form: dict[str, str], errors: dict[str, str]) -> dict[str, object] | None:
    """'Not between 09:00 and 18:00' said on the call (1692c(a)(1): a time the collector knows
    is inconvenient): the script told the agent 'I will update it right now', and nothing on
    the screen could. Both times or neither; the end later than the start."""
    start, end = form.get("quiet_from", "").strip(), form.get("quiet_to", "").strip()
    if not start and not end:
        return None
    try:
        return every_day(start, end)
    except ValueError:
        errors["quiet_from"] = (
            "Give both times in the debtor's own clock, as 09:00 and 18:00, the second later "
            "than the first."
        )
        return None
