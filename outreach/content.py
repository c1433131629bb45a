"""What a message says: the template context for a trigger, and whether it is still wanted.

Read at send time, not at planning time, so a reminder shows the promise as it stands and a
reminder for a promise already paid is dropped instead of sent.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlmodel import Session, col, func, select

from core.amounts import money
from core.models import (
    Account,
    Client,
    Debtor,
    Payment,
    PaymentPlan,
    PlanInstallment,
    PromiseToPay,
)
from core.phones import printed_number
from outreach.links import PaymentLink, UnsubscribeLink, sign_payment, sign_unsubscribe
from outreach.models import OutreachMessage, Trigger
from outreach.render import long_date

PENDING = ("pending",)
_Row = TypeVar("_Row")


class Content:
    """Builds template contexts; one per delivery, holding the link secret and base URL."""

    def __init__(
        self, secret_key: str, public_base_url: str, link_days_after_due: int, agency_name: str
    ) -> None:
        self.secret_key = secret_key
        self.base_url = public_base_url.rstrip("/")
        self.link_days = link_days_after_due
        self.agency_name = agency_name

    def payment_url(
        self,
        account: Account,
        amount_minor: int,
        last_due: date,
        *,
        promise_id: int | None = None,
        installment_id: int | None = None,
    ) -> str:
        expires = datetime.combine(last_due + timedelta(days=self.link_days), time.max, UTC)
        link = PaymentLink(
            account_id=account.id or 0,
            amount_minor=amount_minor,
            expires_at=expires.replace(microsecond=0),
            promise_id=promise_id,
            installment_id=installment_id,
        )
        return f"{self.base_url}/pay/{sign_payment(self.secret_key, link)}"

    def unsubscribe_url(self, message: OutreachMessage) -> str:
        link = UnsubscribeLink(message.debtor_id, message.channel, message.to_address)
        return f"{self.base_url}/u/{sign_unsubscribe(self.secret_key, link)}"

    def context(self, session: Session, message: OutreachMessage) -> dict[str, Any]:
        """Everything the message's templates may use."""
        account = _get(session, Account, message.account_id)
        debtor = _get(session, Debtor, message.debtor_id)
        client = _get(session, Client, message.client_id)
        lang = message.language
        base: dict[str, Any] = {
            "first_name": debtor.first_name,
            "business_name": client.collector_name(self.agency_name),
            "callback_number": printed_number(client.callback_number),
            "unsubscribe_url": self.unsubscribe_url(message),
        }
        trigger = Trigger(message.trigger)
        if trigger is Trigger.NO_CONTACT:
            return base  # limited-content: nothing about the account may reach the template
        base |= {
            "account_ref": account.client_account_number[-4:],
            "balance": money(account.balance_minor, account.currency),
        }
        ctx = message.context
        if trigger in (
            Trigger.PROMISE_CONFIRMATION,
            Trigger.PROMISE_REMINDER,
            Trigger.BROKEN_PROMISE,
        ):
            promise = _get(session, PromiseToPay, int(ctx["promise_id"]))
            owed = max(promise.amount_minor - _paid_on_promise(session, promise), 0)
            base |= {
                "amount": money(owed or promise.amount_minor, account.currency),
                "due_date": long_date(promise.due_date, lang),
                "payment_url": self.payment_url(
                    account,
                    owed or promise.amount_minor,
                    promise.due_date,
                    promise_id=promise.id,
                ),
            }
        elif trigger is Trigger.PLAN_SCHEDULE:
            plan = _get(session, PaymentPlan, int(ctx["plan_id"]))
            rows = _installments(session, plan.id or 0)
            first = next((r for r in rows if r.status in PENDING), rows[0])
            base |= {
                "total": money(plan.total_minor, account.currency),
                "schedule": [
                    {
                        "seq": r.seq,
                        "due_date": long_date(r.due_date, lang),
                        "amount": money(r.amount_minor, account.currency),
                    }
                    for r in rows
                ],
                "payment_url": self.payment_url(
                    account, first.amount_minor, rows[-1].due_date, installment_id=first.id
                ),
            }
        elif trigger is Trigger.INSTALLMENT_REMINDER:
            item = _get(session, PlanInstallment, int(ctx["installment_id"]))
            base |= {
                "seq": item.seq,
                "amount": money(item.amount_minor, account.currency),
                "due_date": long_date(item.due_date, lang),
                "payment_url": self.payment_url(
                    account, item.amount_minor, item.due_date, installment_id=item.id
                ),
            }
        elif trigger is Trigger.PAYMENT_RECEIPT:
            payment = _get(session, Payment, int(ctx["payment_id"]))
            base |= {
                "amount": money(payment.amount_minor, payment.currency),
                "paid_on": long_date(payment.paid_at.date(), lang),
                "reference": payment.reference,
            }
        return base


def still_wanted(session: Session, message: OutreachMessage, now: datetime) -> str | None:
    """None when the message should go out; otherwise why it no longer should."""
    trigger = Trigger(message.trigger)
    ctx = message.context
    account = _get(session, Account, message.account_id)
    if trigger in (Trigger.PROMISE_REMINDER, Trigger.BROKEN_PROMISE):
        promise = _get(session, PromiseToPay, int(ctx["promise_id"]))
        if promise.status == "kept" or _paid_on_promise(session, promise) >= promise.amount_minor:
            return "promise_kept"
        if promise.status not in ("pending", "broken"):
            return f"promise_{promise.status}"
        if account.balance_minor <= 0:
            return "account_paid"
        if trigger is Trigger.BROKEN_PROMISE and promise.status == "pending":
            promise.status = "broken"  # past its date and unpaid: the follow-up is its record
            promise.updated_at = now
            promise.updated_by = "outreach"
            session.add(promise)
    elif trigger is Trigger.INSTALLMENT_REMINDER:
        item = _get(session, PlanInstallment, int(ctx["installment_id"]))
        if item.status not in PENDING:
            return f"installment_{item.status}"
        if account.balance_minor <= 0:
            return "account_paid"
    return None


def _paid_on_promise(session: Session, promise: PromiseToPay) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(Payment.amount_minor), 0)).where(
            Payment.promise_id == promise.id
        )
    ).one()
    return int(total)


def _installments(session: Session, plan_id: int) -> list[PlanInstallment]:
    return list(
        session.exec(
            select(PlanInstallment)
            .where(PlanInstallment.plan_id == plan_id)
            .order_by(col(PlanInstallment.seq))
        )
    )


def _get(session: Session, model: type[_Row], ident: int) -> _Row:
    row = session.get(model, ident)
    if row is None:
        raise LookupError(f"{model.__name__} {ident} is gone")
    return row
