"""The floor's past work on demo accounts: calls, promises, plans, payments, callbacks.

Every promise and plan comes from a right-party conversation logged as a ContactAttempt with
the client's disposition code, so contact history, kept rates and the 7-in-7 rule have data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from core.demo.book import DemoDebtor
from core.demo.history import DemoHistory
from core.models import (
    Account,
    Callback,
    ContactAttempt,
    Payment,
    PaymentPlan,
    PlanInstallment,
    PromiseToPay,
)

ACTOR = "demo seed"
UNANSWERED_SHARE = 0.3


@dataclass
class Floor:
    """Ids the per-account writes need: each client's codes, each portfolio's campaign, agents."""

    codes: dict[tuple[int, str], int] = field(default_factory=dict)
    campaigns: dict[int, int] = field(default_factory=dict)
    scripts: dict[int, str] = field(default_factory=dict)  # portfolio id -> its campaign's script
    agents: list[int] = field(default_factory=list)


def row_id(row: object) -> int:
    """The id of a flushed row (SQLModel ids are Optional until the database assigns them)."""
    value = getattr(row, "id", None)
    if value is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet; flush first")
    return int(value)


def _at(day: date, rng: random.Random) -> datetime:
    """A moment in US business hours on `day` (15:00-22:59 UTC is 10:00-17:59 Eastern)."""
    return datetime.combine(day, time(rng.randint(15, 22), rng.randint(0, 59)), tzinfo=UTC)


def _attempt(rng: random.Random, floor: Floor, client_id: int, portfolio_id: int, account: Account,
             to: str, day: date, outcome: str, code: str) -> ContactAttempt:  # fmt: skip
    started = _at(day, rng)
    talked = outcome == "conversation"
    seconds = rng.randint(200, 600) if talked else 25
    return ContactAttempt(
        account_id=row_id(account), debtor_id=account.debtor_id, channel="call", to_address=to,
        started_at=started, ended_at=started + timedelta(seconds=seconds),
        outcome=outcome, disposition_code_id=floor.codes[(client_id, code)],
        agent_id=rng.choice(floor.agents) if talked else None,
        campaign_id=floor.campaigns[portfolio_id],
        script_name=floor.scripts[portfolio_id] if talked else "", updated_by=ACTOR,
    )  # fmt: skip


def write_activity(
    session: Session,
    rng: random.Random,
    today: date,
    client_id: int,
    floor: Floor,
    portfolio_id: int,
    people: list[DemoDebtor],
    accounts: list[Account],
    histories: list[DemoHistory],
) -> None:
    """Attempts, promises, plans and their installments, then the payments that keep them."""
    talks: list[tuple[Account, DemoHistory, ContactAttempt | None, ContactAttempt | None]] = []
    for person, account, history in zip(people, accounts, histories, strict=True):
        phone = person.phones[0].number
        age = (today - person.delinquency_date).days
        if rng.random() < UNANSWERED_SHARE and age > 10:
            for _ in range(rng.randint(1, 3)):
                day = today - timedelta(days=rng.randint(8, min(age - 1, 90)))
                outcome, code = rng.choice(
                    (("no_answer", "NA"), ("busy", "BUSY"), ("voicemail", "MACH"))
                )
                session.add(
                    _attempt(
                        rng, floor, client_id, portfolio_id, account, phone, day, outcome, code
                    )
                )
        promise_call = plan_call = None
        if history.promise is not None:
            promise_call = _attempt(rng, floor, client_id, portfolio_id, account, phone,
                                    history.promise.made_on, "conversation", "PTP")  # fmt: skip
        if history.plan is not None:
            plan_call = _attempt(rng, floor, client_id, portfolio_id, account, phone,
                                 history.plan.made_on, "conversation", "PLAN")  # fmt: skip
        session.add_all([c for c in (promise_call, plan_call) if c is not None])
        talks.append((account, history, promise_call, plan_call))
    session.flush()
    _write_money(session, rng, today, talks)


def _write_money(
    session: Session,
    rng: random.Random,
    today: date,
    talks: list[tuple[Account, DemoHistory, ContactAttempt | None, ContactAttempt | None]],
) -> None:
    """Promises and plans, then installments, then payments: three flushes for the portfolio."""
    promises: dict[int, PromiseToPay] = {}
    plans: dict[int, PaymentPlan] = {}
    for n, (account, history, promise_call, plan_call) in enumerate(talks):
        if history.promise is not None and promise_call is not None:
            p = history.promise
            promises[n] = PromiseToPay(
                account_id=row_id(account), amount_minor=p.amount_minor, due_date=p.due,
                status=p.status, agent_id=promise_call.agent_id,
                contact_attempt_id=promise_call.id, updated_by=ACTOR,
                created_at=promise_call.started_at, updated_at=promise_call.started_at,
            )  # fmt: skip
            if p.status == "pending" and rng.random() < 0.2:
                session.add(Callback(
                    account_id=row_id(account), agent_id=promise_call.agent_id,
                    campaign_id=promise_call.campaign_id, phone=promise_call.to_address,
                    due_at=_at(today + timedelta(days=rng.randint(1, 3)), rng), updated_by=ACTOR,
                ))  # fmt: skip
        if history.plan is not None and plan_call is not None:
            plan = history.plan
            plans[n] = PaymentPlan(
                account_id=row_id(account), total_minor=plan.total_minor,
                settlement=plan.settlement, status=plan.status, agent_id=plan_call.agent_id,
                contact_attempt_id=plan_call.id, updated_by=ACTOR,
                created_at=plan_call.started_at, updated_at=plan_call.started_at,
            )  # fmt: skip
    session.add_all([*promises.values(), *plans.values()])
    session.flush()
    installments: dict[tuple[int, int], PlanInstallment] = {}
    for n, plan_row in plans.items():
        plan_spec = talks[n][1].plan
        assert plan_spec is not None
        for item in plan_spec.installments:
            installments[(n, item.seq)] = PlanInstallment(
                plan_id=row_id(plan_row), seq=item.seq, due_date=item.due,
                amount_minor=item.amount_minor, status=item.status, updated_by=ACTOR,
            )  # fmt: skip
    session.add_all(installments.values())
    session.flush()
    for n, (account, history, _promise_call, _plan_call) in enumerate(talks):
        for paid in history.payments:
            promise_row = promises.get(n) if paid.keeps == "promise" else None
            seq = int(paid.keeps.split(":")[1]) if paid.keeps.startswith("installment:") else 0
            installment = installments.get((n, seq))
            session.add(Payment(
                account_id=row_id(account), amount_minor=paid.amount_minor,
                paid_at=_at(paid.paid_on, rng), method=rng.choice(("card", "card", "ach", "check")),
                reference=f"DEMO-{account.id}-{paid.paid_on:%Y%m%d}-{paid.amount_minor}",
                promise_id=promise_row.id if promise_row is not None else None,
                installment_id=installment.id if installment is not None else None,
                updated_by=ACTOR,
            ))  # fmt: skip
    session.flush()
