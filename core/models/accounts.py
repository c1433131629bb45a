"""Accounts and the money that moves on them: payments, promises to pay, payment plans."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, text
from sqlmodel import Field, UniqueConstraint

from core.models.base import Audited, json_column

ACCOUNT_FLAGS = ("dispute", "cease", "attorney", "bankruptcy", "deceased")


def money_column() -> int:
    """An amount in minor units; BIGINT so portfolio totals never overflow."""
    result: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    return result


class Account(Audited, table=True):
    """One debt placed by a client; `client_account_number` is the client's own key."""

    __table_args__ = (UniqueConstraint("client_id", "client_account_number"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    portfolio_id: int = Field(foreign_key="portfolio.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    client_account_number: str = Field(max_length=64)
    original_creditor: str = Field(default="", max_length=200)
    principal_minor: int = money_column()
    interest_minor: int = money_column()
    fees_minor: int = money_column()
    balance_minor: int = money_column()
    currency: str = Field(default="USD", max_length=3)
    delinquency_date: date | None = None
    charge_off_date: date | None = None
    last_payment_date: date | None = None
    status: str = Field(default="open", max_length=20, index=True)
    flags: list[str] = json_column(list)
    segment: str = Field(default="", max_length=40, index=True)
    segment_score: float = 0.0
    # The balance on the client's books when it last placed the account, and what had been
    # paid here by then: a re-import keeps later payments here off the balance
    # (core.placements.balances).
    placed_balance_minor: int = money_column()
    placed_paid_minor: int = money_column()
    # The day the validation notice (FDCPA 1692g, Reg F 1006.34) was sent, as the agency or its
    # letter vendor reports it; None while none is on record (compliance.validation).
    validation_notice_on: date | None = None


class Payment(Audited, table=True):
    """Money received against an account, possibly keeping a promise or an installment."""

    # One booking per processor charge: two requests carrying one charge book it once.
    __table_args__ = (
        Index(
            "uq_payment_account_reference",
            "account_id",
            "reference",
            unique=True,
            sqlite_where=text("reference <> ''"),
            postgresql_where=text("reference <> ''"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    amount_minor: int = money_column()
    currency: str = Field(default="USD", max_length=3)
    paid_at: datetime
    method: str = Field(default="card", max_length=20)
    reference: str = Field(default="", max_length=80, index=True)
    promise_id: int | None = Field(default=None, foreign_key="promisetopay.id")
    installment_id: int | None = Field(default=None, foreign_key="planinstallment.id")


class PromiseToPay(Audited, table=True):
    """A dated promise of an amount; kept when paid by its date, broken otherwise."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    amount_minor: int = money_column()
    due_date: date
    status: str = Field(default="pending", max_length=12, description="pending/kept/broken")
    agent_id: int | None = Field(default=None, foreign_key="user.id")
    contact_attempt_id: int | None = Field(default=None, foreign_key="contactattempt.id")


class PaymentPlan(Audited, table=True):
    """An agreed total paid in installments; `settlement` marks a discounted payoff."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    total_minor: int = money_column()
    settlement: bool = False
    status: str = Field(default="active", max_length=12)
    agent_id: int | None = Field(default=None, foreign_key="user.id")
    contact_attempt_id: int | None = Field(default=None, foreign_key="contactattempt.id")


class PlanInstallment(Audited, table=True):
    """One dated installment of a payment plan."""

    __table_args__ = (UniqueConstraint("plan_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="paymentplan.id", index=True)
    seq: int
    due_date: date
    amount_minor: int = money_column()
    status: str = Field(default="pending", max_length=12)


__all__ = ["ACCOUNT_FLAGS", "Account", "Payment", "PaymentPlan", "PlanInstallment", "PromiseToPay"]


class HoldChange(Audited, table=True):
    """One hold set or lifted on an account (or, `level` debtor, on its person), with who,
    when and why. The flags keep only the present; a dispute lifted must still show, years
    on, that validation was sent first and who decided (Reg F 1006.100 keeps such records)."""

    __tablename__ = "hold_change"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    hold: str = Field(max_length=20)
    action: str = Field(max_length=8, description="set or lift")
    level: str = Field(max_length=8, description="account or debtor")
    reason: str = ""
    actor: str = Field(max_length=120)
    at: datetime
