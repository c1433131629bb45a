"""The floor's past work on demo accounts: calls, promises, plans, payments, callbacks.

Every promise and plan comes from a right-party conversation logged as a ContactAttempt with
the client's disposition code, so contact history, kept rates and the 7-in-7 rule have data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from compliance.contact import Attempt, Contact
from compliance.engine import decide
from compliance.store import decision_record
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
from scripts_library.challenger import CHALLENGER, arm

ACTOR = "demo seed"
UNANSWERED_SHARE = 0.3
# Accounts with no promise or plan on which the debtor was reached all the same: a talk that
# ended with no arrangement, or a refusal. Without them every demo conversation brought money,
# and a script test on the lead's page had nothing to compare.
TALKED_SHARE = 0.35
_NO_ARRANGEMENT = ("RPC", "RPC", "REF")


@dataclass
class Floor:
    """Ids the per-account writes need: each client's codes, each portfolio's campaign, agents."""

    codes: dict[tuple[int, str], int] = field(default_factory=dict)
    campaigns: dict[int, int] = field(default_factory=dict)
    scripts: dict[int, str] = field(default_factory=dict)  # portfolio id -> its campaign's script
    # portfolio id -> its campaign's challenger script and share (a script test)
    challengers: dict[int, tuple[str, int]] = field(default_factory=dict)
    agents: list[int] = field(default_factory=list)

    def script_for(self, portfolio_id: int, account_id: int) -> str:
        """The script an agent read on the account's call: the campaign's challenger for the
        accounts its test gives it (the split the console uses), else the campaign's own."""
        test = self.challengers.get(portfolio_id)
        if test is not None:
            script, share = test
            if arm(self.campaigns[portfolio_id], account_id, share) == CHALLENGER:
                return script
        return self.scripts[portfolio_id]


def row_id(row: object) -> int:
    """The id of a flushed row (SQLModel ids are Optional until the database assigns them)."""
    value = getattr(row, "id", None)
    if value is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet; flush first")
    return int(value)


def _at(day: date, rng: random.Random) -> datetime:
    """A moment in US business hours on `day` (15:00-22:59 UTC is 10:00-17:59 Eastern)."""
    return datetime.combine(day, time(rng.randint(15, 22), rng.randint(0, 59)), tzinfo=UTC)


def _called_at(day: date, rng: random.Random, zone: str) -> datetime:
    """A moment between 10:00 and 17:59 on `day` where the debtor lives, in UTC."""
    local = datetime.combine(day, time(rng.randint(10, 17), rng.randint(0, 59)), ZoneInfo(zone))
    return local.astimezone(UTC)


def _attempt(rng: random.Random, floor: Floor, client_id: int, portfolio_id: int, account: Account,
             person: DemoDebtor, day: date, outcome: str, code: str) -> ContactAttempt:  # fmt: skip
    started = _called_at(day, rng, person.place.time_zone)
    talked = outcome == "conversation"
    seconds = rng.randint(200, 600) if talked else 25
    return ContactAttempt(
        account_id=row_id(account), debtor_id=account.debtor_id, channel="call",
        to_address=person.phones[0].number,
        started_at=started, ended_at=started + timedelta(seconds=seconds),
        outcome=outcome, disposition_code_id=floor.codes[(client_id, code)],
        agent_id=rng.choice(floor.agents) if talked else None,
        campaign_id=floor.campaigns[portfolio_id],
        script_name=floor.script_for(portfolio_id, row_id(account)) if talked else "",
        updated_by=ACTOR,
    )  # fmt: skip


def as_the_rules_allow(
    person: DemoDebtor, account: Account, calls: list[ContactAttempt]
) -> list[ContactAttempt]:
    """The account's calls in time order, each decided by the compliance engine on the calls
    before it, as the dialer would have decided it, with the decision stored: the demo's history
    must pass QA's audit of the log like a real floor's. A conversation the engine would refuse
    (a plan agreed three days after a promise) becomes the debtor calling in, which Reg F does
    not limit; an unanswered call it would refuse is never made. The debtor's flags and the
    do-not-call list are left out: the story is that they came after these calls."""
    base = Contact.model_validate(
        {
            "channel": "call",
            "to": person.phones[0].number,
            "debtor": {
                "addresses": [{"state": person.place.state, "postal_code": person.postal_code}],
                "phones": [{"number": p.number, "type": p.type} for p in person.phones],
                "inconvenient": person.inconvenient_times,
            },
            "account": {"id": str(row_id(account))},
        }
    )
    kept: list[ContactAttempt] = []
    history: list[Attempt] = []
    for call in sorted(calls, key=lambda c: c.started_at):
        contact = base.model_copy(update={"history": tuple(history)})
        decision = decide(contact, call.started_at)
        if decision.allowed:
            call.compliance = decision_record(decision, contact, call.started_at)
        elif call.outcome == "conversation":
            call.direction = "inbound"
        else:
            continue
        kept.append(call)
        history.append(
            Attempt.model_validate(
                {"at": call.started_at, "channel": "call", "account": base.account.id,
                 "outcome": call.outcome}
            )
        )  # fmt: skip
    return kept


def _talk_without_arrangement(
    floor: Floor,
    client_id: int,
    portfolio_id: int,
    account: Account,
    person: DemoDebtor,
    today: date,
    age: int,
) -> list[ContactAttempt]:
    """Maybe one conversation that brought no money, from the account's own random stream:
    drawn from the book's, it would change every debtor seeded after this one."""
    own = random.Random(f"talk-{row_id(account)}")
    if own.random() >= TALKED_SHARE:
        return []
    day = today - timedelta(days=own.randint(1, min(age - 1, 60)))
    code = own.choice(_NO_ARRANGEMENT)
    return [_attempt(own, floor, client_id, portfolio_id, account, person, day, "conversation",
                     code)]  # fmt: skip


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
        age = (today - person.delinquency_date).days
        unanswered = []
        if rng.random() < UNANSWERED_SHARE and age > 10:
            for _ in range(rng.randint(1, 3)):
                day = today - timedelta(days=rng.randint(8, min(age - 1, 90)))
                outcome, code = rng.choice(
                    (("no_answer", "NA"), ("busy", "BUSY"), ("voicemail", "MACH"))
                )
                unanswered.append(
                    _attempt(
                        rng, floor, client_id, portfolio_id, account, person, day, outcome, code
                    )
                )
        promise_call = plan_call = None
        if history.promise is not None:
            promise_call = _attempt(rng, floor, client_id, portfolio_id, account, person,
                                    history.promise.made_on, "conversation", "PTP")  # fmt: skip
        if history.plan is not None:
            plan_call = _attempt(rng, floor, client_id, portfolio_id, account, person,
                                 history.plan.made_on, "conversation", "PLAN")  # fmt: skip
        talked = [c for c in (promise_call, plan_call) if c is not None]
        if not talked and age > 10:
            talked += _talk_without_arrangement(
                floor, client_id, portfolio_id, account, person, today, age
            )
        session.add_all(as_the_rules_allow(person, account, [*unanswered, *talked]))
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
        for i, paid in enumerate(history.payments):
            promise_row = promises.get(n) if paid.keeps == "promise" else None
            seq = int(paid.keeps.split(":")[1]) if paid.keeps.startswith("installment:") else 0
            installment = installments.get((n, seq))
            session.add(Payment(
                account_id=row_id(account), amount_minor=paid.amount_minor,
                paid_at=_at(paid.paid_on, rng), method=rng.choice(("card", "card", "ach", "check")),
                reference=f"DEMO-{account.id}-{paid.paid_on:%Y%m%d}-{i}",
                promise_id=promise_row.id if promise_row is not None else None,
                installment_id=installment.id if installment is not None else None,
                updated_by=ACTOR,
            ))  # fmt: skip
    session.flush()
