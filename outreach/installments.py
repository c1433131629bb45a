"""Which installment a plan payment pays, and what a payment link still asks for.

A plan's messages carry one link, made for the installment then due, and a debtor pays every
later installment through it. Booking each payment to the link's installment left the next one
"pending" however much was paid: its reminder still went out ("installment 2 ... is due") and
the dialer treated the plan as missed. So money paid on a plan is counted in order: each
installment is paid once the plan's payments cover it and every one before it, and a payment is
filed under the oldest installment still open when it arrives.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from core.models import Account, Payment, PaymentPlan, PlanInstallment, PromiseToPay


def _installments(session: Session, plan_id: int) -> list[PlanInstallment]:
    query = select(PlanInstallment).where(PlanInstallment.plan_id == plan_id)
    return list(session.exec(query.order_by(col(PlanInstallment.seq))))


def _paid_on(session: Session, items: list[PlanInstallment]) -> int:
    ids = [item.id for item in items]
    total = session.exec(
        select(func.coalesce(func.sum(Payment.amount_minor), 0)).where(
            col(Payment.installment_id).in_(ids)
        )
    ).one()
    return int(total)


def paid_on_promise(session: Session, promise_id: int) -> int:
    """What has been paid toward a promise so far."""
    total = session.exec(
        select(func.coalesce(func.sum(Payment.amount_minor), 0)).where(
            Payment.promise_id == promise_id
        )
    ).one()
    return int(total)


def open_installment(session: Session, installment_id: int) -> int:
    """The id a payment through this installment's link is filed under: the plan's oldest
    installment not yet paid (the link's own while it is open, or when all are paid)."""
    item = session.get(PlanInstallment, installment_id)
    if item is None or item.status != "paid":
        return installment_id
    for other in _installments(session, item.plan_id):
        if other.status != "paid" and other.id is not None:
            return other.id
    return installment_id


def settle_plan(session: Session, installment_id: int, paid_at: datetime) -> None:
    """Marks paid every installment the plan's payments now cover, in order, and completes the
    plan when all are (a settlement plan's last one settles the account: the rest is
    forgiven)."""
    item = session.get(PlanInstallment, installment_id)
    if item is None:
        return
    items = _installments(session, item.plan_id)
    paid, covered = _paid_on(session, items), 0
    for each in items:
        covered += each.amount_minor
        if paid >= covered and each.status != "paid":
            each.status, each.updated_at = "paid", paid_at
            session.add(each)
    if any(each.status != "paid" for each in items):
        return
    plan = session.get(PaymentPlan, item.plan_id)
    if plan is None or plan.status == "completed":
        return
    plan.status = "completed"
    session.add(plan)
    account = session.get(Account, plan.account_id)
    if plan.settlement and account is not None and account.balance_minor > 0:
        account.status = "settled"
        session.add(account)


def still_asked(
    session: Session,
    account: Account,
    link_amount: int,
    promise_id: int | None,
    installment_id: int | None,
) -> int:
    """What a payment link should offer to pay now: what remains of its promise, or of the
    plan's oldest open installment, else the link's amount; never more than the balance. Zero
    when nothing remains."""
    asked = link_amount
    if installment_id is not None:
        item = session.get(PlanInstallment, installment_id)
        if item is not None:
            items = _installments(session, item.plan_id)
            paid, covered = _paid_on(session, items), 0
            for each in items:
                covered += each.amount_minor
                if each.status != "paid":
                    asked = covered - paid
                    break
            else:
                asked = 0
    elif promise_id is not None:
        promise = session.get(PromiseToPay, promise_id)
        if promise is not None:
            asked = promise.amount_minor - paid_on_promise(session, promise_id)
    return max(0, min(asked, account.balance_minor))
