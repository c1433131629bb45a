"""Payment histories for demo accounts: sporadic payments, promises kept or broken, plans.

Pure (a seeded `random.Random` and today passed in) so the same seed gives the same book. The
mix follows what a collections floor sees: most accounts never paid, some pay now and then, some
promised (most promises kept, some broken), a few are on installment plans or settlements.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.segments import PaymentHistory

KEPT_SHARE = 0.7
INSTALLMENT_PAID_SHARE = 0.85


@dataclass(frozen=True, slots=True)
class DemoPromise:
    made_on: date
    due: date
    amount_minor: int
    status: str  # pending, kept, broken


@dataclass(frozen=True, slots=True)
class DemoInstallment:
    seq: int
    due: date
    amount_minor: int
    status: str  # pending, paid, missed


@dataclass(frozen=True, slots=True)
class DemoPlan:
    made_on: date
    total_minor: int
    settlement: bool
    status: str  # active, completed, broken
    installments: tuple[DemoInstallment, ...]


@dataclass(frozen=True, slots=True)
class DemoPayment:
    paid_on: date
    amount_minor: int
    keeps: str = ""  # "promise" or "installment:<seq>"


@dataclass
class DemoHistory:
    """Everything that happened on one account, and the balance it leaves."""

    balance_minor: int
    payments: list[DemoPayment] = field(default_factory=list)
    promise: DemoPromise | None = None
    plan: DemoPlan | None = None

    def for_segment(self) -> PaymentHistory:
        promise = self.promise
        return PaymentHistory(
            last_payment_date=max((p.paid_on for p in self.payments), default=None),
            promises_kept=int(promise is not None and promise.status == "kept"),
            promises_broken=int(promise is not None and promise.status == "broken"),
            active_plan=self.plan is not None and self.plan.status == "active",
        )


def _dollars(minor: int) -> int:
    """Round down to whole dollars, at least one: people promise round amounts."""
    return max(minor // 100 * 100, 100)


def _sporadic(rng: random.Random, history: DemoHistory, age: int, today: date) -> None:
    for _ in range(rng.randint(1, 4)):
        if history.balance_minor <= 100:
            return
        amount = min(
            _dollars(int(history.balance_minor * rng.uniform(0.05, 0.15))), history.balance_minor
        )
        paid_on = today - timedelta(days=rng.randint(0, min(age - 1, 365)))
        history.payments.append(DemoPayment(paid_on, amount))
        history.balance_minor -= amount


def _promise(rng: random.Random, history: DemoHistory, age: int, today: date) -> None:
    made_on = today - timedelta(days=rng.randint(1, min(age - 1, 40)))
    due = made_on + timedelta(days=rng.randint(0, 30))
    amount = min(
        _dollars(int(history.balance_minor * rng.uniform(0.1, 0.5))), history.balance_minor
    )
    if due >= today:
        status = "pending"
    elif rng.random() < KEPT_SHARE:
        status = "kept"
        history.payments.append(DemoPayment(due, amount, keeps="promise"))
        history.balance_minor -= amount
    else:
        status = "broken"
    history.promise = DemoPromise(made_on, due, amount, status)


def _plan(
    rng: random.Random, history: DemoHistory, age: int, today: date, settlement_pct: int
) -> None:
    made_on = today - timedelta(days=rng.randint(3, min(age - 1, 300)))
    count = rng.randint(3, 12)
    settlement = settlement_pct < 100 and rng.random() < 0.3
    total = history.balance_minor * settlement_pct // 100 if settlement else history.balance_minor
    each = total // count
    installments: list[DemoInstallment] = []
    missed = 0
    for seq in range(1, count + 1):
        due = made_on + timedelta(days=30 * seq)
        amount = each if seq < count else total - each * (count - 1)
        if due >= today:
            status = "pending"
        elif rng.random() < INSTALLMENT_PAID_SHARE:
            status = "paid"
            history.payments.append(DemoPayment(due, amount, keeps=f"installment:{seq}"))
            history.balance_minor -= amount
        else:
            status, missed = "missed", missed + 1
        installments.append(DemoInstallment(seq, due, amount, status))
    if all(i.status == "paid" for i in installments):
        plan_status = "completed"
        history.balance_minor = 0  # a completed settlement forgives the rest
    else:
        plan_status = "broken" if missed >= 2 else "active"
    history.plan = DemoPlan(made_on, total, settlement, plan_status, tuple(installments))


def payment_history(
    rng: random.Random,
    balance_minor: int,
    delinquency_date: date,
    today: date,
    paying_share: float,
    settlement_pct: int,
) -> DemoHistory:
    """What one account paid and promised since it went delinquent."""
    history = DemoHistory(balance_minor)
    age = (today - delinquency_date).days
    if age < 5 or rng.random() >= paying_share:
        if rng.random() < 0.08 and age >= 5:  # a promise made and broken, nothing paid
            made_on = today - timedelta(days=rng.randint(2, min(age - 1, 60)))
            due = min(made_on + timedelta(days=rng.randint(1, 14)), today - timedelta(days=1))
            amount = _dollars(balance_minor // 4)
            history.promise = DemoPromise(made_on, max(due, made_on), amount, "broken")
        return history
    kind = rng.random()
    if kind < 0.5:
        _sporadic(rng, history, age, today)
    elif kind < 0.8:
        _promise(rng, history, age, today)
    else:
        _plan(rng, history, age, today, settlement_pct)
    history.balance_minor = max(history.balance_minor, 0)
    return history
