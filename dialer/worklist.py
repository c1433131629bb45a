"""Which of a campaign's accounts the floor works: its filter, and the accounts no campaign dials.

The compliance engine says whether the law allows a call; these rules say whether a collections
shop would place it at all. Besides the campaign's own filter (portfolios, statuses, segments,
balance bounds), no automatic dial goes to an account with nothing owed (a debtor who paid in
full on the payment page yesterday must not be called about the debt today), to one with a
promise to pay not yet due, or to one on a payment plan with no installment overdue: those
debtors have agreed, and calling them before they could break the arrangement is what the
trade calls harassing a paying customer. A broken promise or a missed installment puts the
account back on the list by itself.

Each rule is one SQL condition with a name, so the hopper's search filters by all of them in
its query and the re-check just before a dial asks the same conditions about one account and
says which one it fails: one definition, two uses.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, exists, not_, select
from sqlmodel import Session, col

from core.models import Account, PaymentPlan, PlanInstallment, PromiseToPay
from dialer.campaigns import CampaignPlan

Rule = tuple[str, ColumnElement[bool]]


def _money(minor: int) -> str:
    return f"{minor / 100:,.2f}"


def work_rules(plan: CampaignPlan, today: date) -> list[Rule]:
    """The conditions an account must meet to be dialled by `plan` on `today`, each named by
    what an account failing it is, in a team lead's words."""
    promise_not_due = exists().where(
        col(PromiseToPay.account_id) == col(Account.id),
        col(PromiseToPay.status) == "pending",
        col(PromiseToPay.due_date) >= today,
    )
    overdue = exists().where(
        col(PlanInstallment.plan_id) == col(PaymentPlan.id),
        col(PlanInstallment.status) == "pending",
        col(PlanInstallment.due_date) < today,
    )
    plan_in_standing = exists().where(
        col(PaymentPlan.account_id) == col(Account.id),
        col(PaymentPlan.status) == "active",
        not_(overdue),
    )
    # The rules no campaign may waive come first, so a re-check names the debtor's own reason
    # (paid in full) rather than what followed from it (status "paid").
    rules: list[Rule] = [
        ("nothing owed", col(Account.balance_minor) > 0),
        ("a promise to pay not yet due", not_(promise_not_due)),
        ("a payment plan with no installment overdue", not_(plan_in_standing)),
        ("outside the campaign's portfolios", col(Account.portfolio_id).in_(plan.portfolio_ids)),
        (
            f"status not in the campaign's ({', '.join(plan.statuses)})",
            col(Account.status).in_(plan.statuses),
        ),
    ]
    if plan.segments:
        rules.append(
            (
                f"segment not in the campaign's ({', '.join(plan.segments)})",
                col(Account.segment).in_(plan.segments),
            )
        )
    if plan.min_balance_minor is not None:
        rules.append(
            (
                f"balance under the campaign's {_money(plan.min_balance_minor)}",
                col(Account.balance_minor) >= plan.min_balance_minor,
            )
        )
    if plan.max_balance_minor is not None:
        rules.append(
            (
                f"balance over the campaign's {_money(plan.max_balance_minor)}",
                col(Account.balance_minor) <= plan.max_balance_minor,
            )
        )
    return rules


def worked(plan: CampaignPlan, today: date) -> ColumnElement[bool]:
    """All of `work_rules` as one condition, for the hopper's query."""
    return and_(*(condition for _, condition in work_rules(plan, today)))


def left_out(
    session: Session, plan: CampaignPlan, account_id: int, today: date, callback: bool = False
) -> str | None:
    """Why `plan` would not dial the account today (the first rule it fails), or None.

    A callback an agent booked with the debtor keeps its place whatever the campaign's filter
    became since; only nothing owed cancels it (there is no longer a debt to call about)."""
    rules = work_rules(plan, today)
    if callback:
        rules = [rule for rule in rules if rule[0] == "nothing owed"]
    query = select(*(condition.label(f"rule{n}") for n, (_, condition) in enumerate(rules)))
    row = session.execute(query.where(col(Account.id) == account_id)).first()
    if row is None:
        return "no such account"
    return next((name for (name, _), met in zip(rules, row, strict=True) if not met), None)
