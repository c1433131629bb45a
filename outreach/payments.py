"""Payments from the payment page: a provider adapter, a local stand-in, and the booking.

`record_payment` books money against the account (balance), the promise (kept when paid in full
by its date) or the plan (its installments paid in order, outreach.installments), and plans the
receipt, all in the caller's transaction.
A provider reference is booked once: a double-submitted form cannot take the balance down twice.

A payment also changes what the floor does with the account: paid in full, its status becomes
"paid"; the last installment of a settlement plan makes it "settled" (the rest is forgiven);
and its segment is worked out again from the new balance and payment history, as an import
would, so campaigns filtered by segment stop treating a paying debtor as a cold one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from rq import Queue
from sqlmodel import Session, col, func, select

from compliance.zones import address_zones, local_date
from core.models import Account, Address, Payment, PaymentPlan, PromiseToPay
from core.segments import PaymentHistory, segment_account, status_for_balance
from core.sensitive import luhn_ok
from outreach.config import OutreachSettings
from outreach.followups import enqueue_receipt
from outreach.installments import open_installment, paid_on_promise, settle_plan


@dataclass(frozen=True)
class Card:
    number: str
    exp_month: int
    exp_year: int
    cvc: str
    name: str = ""


@dataclass(frozen=True)
class Charge:
    reference: str
    approved: bool
    message: str = ""


class PaymentProvider(Protocol):
    """A card processor. `idempotency_key` makes a repeated charge return the first result."""

    name: str

    def charge(
        self, *, amount_minor: int, currency: str, card: Card, idempotency_key: str, now: datetime
    ) -> Charge: ...


class CardError(ValueError):
    """Card details a debtor typed wrong; the message says which field, and `field` names it
    for the page's words in the debtor's language (card_error_number, _month, _expired,
    _cvc)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def full_year(year: int) -> int:
    """Cards print the expiry year as two digits (12/28), so 28 is 2028."""
    return year + 2000 if 0 <= year < 100 else year


def validate_card(card: Card, now: datetime) -> str:
    """The card number's digits, or CardError naming the field that is wrong."""
    digits = "".join(ch for ch in card.number if ch.isdigit())
    if not 12 <= len(digits) <= 19 or not luhn_ok(digits):
        raise CardError("card number: please check the digits", "card_error_number")
    if not 1 <= card.exp_month <= 12:
        raise CardError("expiry month: must be 1-12", "card_error_month")
    if (full_year(card.exp_year), card.exp_month) < (now.year, now.month):
        raise CardError("expiry: this card has expired", "card_error_expired")
    if not (card.cvc.isdigit() and len(card.cvc) in (3, 4)):
        raise CardError("security code: 3 or 4 digits", "card_error_cvc")
    return digits


@dataclass
class StandinPaymentProvider:
    """Local stand-in with the test-card conventions processors use: 4000 0000 0000 0002 is
    declined, any other valid card is approved. Same idempotency key, same answer."""

    name: str = "standin"
    charges: dict[str, Charge] = field(default_factory=dict)
    DECLINED = "4000000000000002"

    def charge(
        self, *, amount_minor: int, currency: str, card: Card, idempotency_key: str, now: datetime
    ) -> Charge:
        if idempotency_key in self.charges:
            return self.charges[idempotency_key]
        digits = validate_card(card, now)
        reference = "ch_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:20]
        if digits == self.DECLINED:
            result = Charge(reference, False, "The card was declined.")
        else:
            result = Charge(reference, True)
        self.charges[idempotency_key] = result
        return result


def record_payment(
    session: Session,
    account_id: int,
    amount_minor: int,
    *,
    reference: str,
    paid_at: datetime,
    method: str = "card",
    promise_id: int | None = None,
    installment_id: int | None = None,
    queue: Queue | None = None,
    config: OutreachSettings | None = None,
) -> Payment:
    """Book a payment and plan its receipt; the same `reference` twice books it once."""
    existing = session.exec(
        select(Payment).where(Payment.account_id == account_id, Payment.reference == reference)
    ).first()
    if existing is not None:
        return existing
    if amount_minor <= 0:
        raise ValueError("amount: must be more than zero")
    account = session.get(Account, account_id)
    if account is None:
        raise LookupError(f"account {account_id} does not exist")
    if installment_id is not None:
        installment_id = open_installment(session, installment_id)
    payment = Payment(
        account_id=account_id,
        amount_minor=amount_minor,
        currency=account.currency,
        paid_at=paid_at,
        method=method,
        reference=reference,
        promise_id=promise_id,
        installment_id=installment_id,
        updated_by="payment-page",
    )
    session.add(payment)
    # Taken off in SQL, not from the balance read earlier: two payments at once must both count.
    account.balance_minor = Account.balance_minor - amount_minor
    account.last_payment_date = paid_at.date()
    account.updated_at = paid_at
    session.add(account)
    session.flush()  # a second booking of one charge fails here (uq_payment_account_reference)
    session.refresh(account)
    if promise_id is not None:
        _settle_promise(session, promise_id, paid_at)
    if installment_id is not None:
        settle_plan(session, installment_id, paid_at)
    _reclassify(session, account, paid_at)
    enqueue_receipt(session, payment, queue=queue, now=paid_at, config=config)
    return payment


def _debtor_date(session: Session, account_id: int, at: datetime) -> date:
    """The day it is for the debtor at `at`: a promise made "for today" is the debtor's today
    (console.workspace), so a Hawaii evening payment on the day is on time, not a day late."""
    account = session.get(Account, account_id)
    if account is None:
        return at.date()
    addresses = session.exec(select(Address).where(Address.debtor_id == account.debtor_id))
    zones = {z for a in addresses for z in address_zones(a.country, a.state, a.postal_code)}
    return local_date(tuple(sorted(zones)), at)


def _settle_promise(session: Session, promise_id: int, paid_at: datetime) -> None:
    promise = session.get(PromiseToPay, promise_id)
    if promise is None or promise.status == "kept":
        return
    if (
        paid_on_promise(session, promise_id) >= promise.amount_minor
        and _debtor_date(session, promise.account_id, paid_at) <= promise.due_date
    ):
        promise.status = "kept"
        promise.updated_at = paid_at
        session.add(promise)


def _reclassify(session: Session, account: Account, paid_at: datetime) -> None:
    """The account's status and segment after a payment (see the module docstring)."""
    account.status = status_for_balance(account.status, account.balance_minor)
    promises = session.exec(
        select(PromiseToPay.status, func.count())
        .where(PromiseToPay.account_id == account.id)
        .group_by(col(PromiseToPay.status))
    ).all()
    counts = dict(promises)
    active_plan = session.exec(
        select(PaymentPlan.id).where(
            PaymentPlan.account_id == account.id, PaymentPlan.status == "active"
        )
    ).first()
    history = PaymentHistory(
        last_payment_date=account.last_payment_date,
        promises_kept=counts.get("kept", 0),
        promises_broken=counts.get("broken", 0),
        active_plan=active_plan is not None,
    )
    segment = segment_account(
        account.balance_minor, account.delinquency_date, history, account.flags, paid_at.date()
    )
    account.segment, account.segment_score = segment.label, segment.score
    session.add(account)
