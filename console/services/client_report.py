"""What a client business sees of its placements: per portfolio, what is owed and what the
agency did with it over a period (money collected, promises made and kept, right-party
contacts). One aggregate query per figure, grouped by portfolio and currency, so the page costs
the same for 50 accounts as for 50,000; money is never summed across currencies.

A promise counts as broken once its due date has passed unpaid: nothing marks it so when the day
passes, and a client reading "pending" for a promise due last week would be misled.

"Last N days" is today and the N-1 days before it, for every figure alike: money, promises made,
promises falling due and calls all read the same calendar days, so a client adding up two
reports of adjoining periods counts nothing twice.

Calls are the agency's outbound calls that reached the phone network: a placement the carrier
refused (not_connected) is not a call to the debtor, as Regulation F does not count it either, and
a debtor's own call in is counted apart, so the right-party rate is contacts per call placed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import ColumnElement, case
from sqlmodel import Session, col, func, select

from compliance.calls import day_start, local_day
from core.amounts import form_amount
from core.dispositions import RIGHT_PARTY
from core.models import (
    Account,
    ContactAttempt,
    DispositionCode,
    HoldChange,
    Payment,
    PaymentPlan,
    Portfolio,
    PromiseToPay,
)

PERIODS = (7, 30, 90)


@dataclass
class PortfolioFigures:
    """One portfolio in one currency, over the period."""

    portfolio: str
    currency: str
    accounts: int = 0
    balance_minor: int = 0
    collected_minor: int = 0
    payments: int = 0
    promises_made: int = 0
    promised_minor: int = 0
    promises_kept: int = 0
    promises_broken: int = 0
    plans_agreed: int = 0
    calls: int = 0
    right_party: int = 0
    inbound: int = 0
    # Disputes, cease requests, lawyers, bankruptcies, deaths and recalls recorded in the
    # period: a creditor must hear of each (a dispute may need its own records to validate).
    holds_set: int = 0

    @property
    def kept_rate(self) -> float | None:
        settled = self.promises_kept + self.promises_broken
        return self.promises_kept / settled if settled else None

    @property
    def right_party_rate(self) -> float | None:
        """Right-party contacts per call, placed or received (both can reach the debtor)."""
        handled = self.calls + self.inbound
        return self.right_party / handled if handled else None


@dataclass
class ClientReport:
    days: int
    since: date
    rows: list[PortfolioFigures] = field(default_factory=list)


def report(db: Session, client_id: int, days: int, now: datetime, floor_zone: str) -> ClientReport:
    """The client's figures per portfolio and currency over the last `days` days (today and
    the `days` - 1 before it), days as the agency's floor counts them (CONCORD_FLOOR_TIMEZONE),
    as its leads do."""
    today = local_day(now, floor_zone)
    since = today - timedelta(days=days - 1)
    start = day_start(since, floor_zone)
    names = {
        p.id: p.name for p in db.exec(select(Portfolio).where(Portfolio.client_id == client_id))
    }
    rows: dict[tuple[int, str], PortfolioFigures] = {}
    currency_of: dict[int, str] = {}

    def row(portfolio_id: int, currency: str) -> PortfolioFigures:
        key = (portfolio_id, currency)
        if key not in rows:
            rows[key] = PortfolioFigures(names.get(portfolio_id, "?"), currency)
        return rows[key]

    mine: ColumnElement[bool] = col(Account.client_id) == client_id
    placed = db.exec(
        select(
            Account.portfolio_id, Account.currency, func.count(col(Account.id)),
            func.coalesce(func.sum(Account.balance_minor), 0),
        ).where(mine).group_by(col(Account.portfolio_id), col(Account.currency))
    )  # fmt: skip
    for portfolio_id, currency, count, balance in placed:
        figures = row(portfolio_id, currency)
        figures.accounts, figures.balance_minor = count, balance
        currency_of.setdefault(portfolio_id, currency)
    paid = db.exec(
        select(
            Account.portfolio_id, Payment.currency, func.count(col(Payment.id)),
            func.sum(Payment.amount_minor),
        ).select_from(Payment).join(Account, col(Account.id) == col(Payment.account_id))
        .where(mine, col(Payment.paid_at) >= start)
        .group_by(col(Account.portfolio_id), col(Payment.currency))
    )  # fmt: skip
    for portfolio_id, currency, count, amount in paid:
        figures = row(portfolio_id, currency)
        figures.payments, figures.collected_minor = count, amount
    on_promise = col(Account.id) == col(PromiseToPay.account_id)
    made = db.exec(
        select(Account.portfolio_id, Account.currency, func.count(col(PromiseToPay.id)),
               func.sum(PromiseToPay.amount_minor))
        .select_from(PromiseToPay).join(Account, on_promise)
        .where(mine, col(PromiseToPay.created_at) >= start)
        .group_by(col(Account.portfolio_id), col(Account.currency))
    )  # fmt: skip
    for portfolio_id, currency, count, amount in made:
        figures = row(portfolio_id, currency)
        figures.promises_made, figures.promised_minor = count, amount
    kept = col(PromiseToPay.status) == "kept"
    # A promise due today and not yet paid may still be kept: broken only once its day is out.
    broken = (~kept) & (col(PromiseToPay.due_date) < today)
    due = db.exec(
        select(Account.portfolio_id, Account.currency,
               func.sum(case((kept, 1), else_=0)), func.sum(case((broken, 1), else_=0)))
        .select_from(PromiseToPay).join(Account, on_promise)
        .where(mine, col(PromiseToPay.due_date) >= since, col(PromiseToPay.due_date) <= today)
        .group_by(col(Account.portfolio_id), col(Account.currency))
    )  # fmt: skip
    for portfolio_id, currency, kept_count, broken_count in due:
        figures = row(portfolio_id, currency)
        figures.promises_kept, figures.promises_broken = kept_count, broken_count
    plans = db.exec(
        select(Account.portfolio_id, Account.currency, func.count(col(PaymentPlan.id)))
        .select_from(PaymentPlan)
        .join(Account, col(Account.id) == col(PaymentPlan.account_id))
        .where(mine, col(PaymentPlan.created_at) >= start)
        .group_by(col(Account.portfolio_id), col(Account.currency))
    )
    for portfolio_id, currency, count in plans:
        row(portfolio_id, currency).plans_agreed = count
    placed_call = (
        col(ContactAttempt.channel) == "call",
        col(ContactAttempt.outcome) != "not_connected",
        col(ContactAttempt.started_at) >= start,
    )
    on_call = col(Account.id) == col(ContactAttempt.account_id)
    # Calls placed and calls in apart; a right-party contact counts whoever dialled.
    calls = db.execute(
        sa.select(col(Account.portfolio_id), col(Account.currency), col(ContactAttempt.direction),
                  col(DispositionCode.category), func.count(col(ContactAttempt.id)))
        .select_from(ContactAttempt).join(Account, on_call)
        .outerjoin(DispositionCode,
                   col(DispositionCode.id) == col(ContactAttempt.disposition_code_id))
        .where(mine, *placed_call)
        .group_by(col(Account.portfolio_id), col(Account.currency),
                  col(ContactAttempt.direction), col(DispositionCode.category))
    )  # fmt: skip
    for portfolio_id, currency, direction, category, count in calls:
        figures = row(portfolio_id, currency)
        if direction == "inbound":
            figures.inbound += count
        else:
            figures.calls += count
        if category in RIGHT_PARTY:
            figures.right_party += count
    held = db.exec(
        select(Account.portfolio_id, Account.currency, func.count(col(HoldChange.id)))
        .select_from(HoldChange).join(Account, col(Account.id) == col(HoldChange.account_id))
        .where(mine, col(HoldChange.action) == "set", col(HoldChange.at) >= start)
        .group_by(col(Account.portfolio_id), col(Account.currency))
    )  # fmt: skip
    for portfolio_id, currency, count in held:
        row(portfolio_id, currency).holds_set = count
    ordered = sorted(rows.values(), key=lambda r: (r.portfolio, r.currency))
    return ClientReport(days, since, ordered)


def totals(rows: list[PortfolioFigures]) -> list[PortfolioFigures]:
    """One all-portfolio row per currency (money is never added across currencies)."""
    counted = [f.name for f in fields(PortfolioFigures) if f.name not in ("portfolio", "currency")]
    summed: dict[str, PortfolioFigures] = {}
    for r in rows:
        total = summed.setdefault(r.currency, PortfolioFigures("All", r.currency))
        for name in counted:
            setattr(total, name, getattr(total, name) + getattr(r, name))
    return [summed[c] for c in sorted(summed)]


CSV_COLUMNS = (
    ("portfolio", "Portfolio"), ("currency", "Currency"), ("accounts", "Accounts"),
    ("balance_minor", "Balance owed"), ("collected_minor", "Collected"), ("payments", "Payments"),
    ("promises_made", "Promises made"), ("promised_minor", "Promised"),
    ("promises_kept", "Promises kept"), ("promises_broken", "Promises broken"),
    ("plans_agreed", "Plans agreed"), ("calls", "Calls placed"),
    ("right_party", "Right-party contacts"), ("inbound", "Calls in"),
    ("holds_set", "Holds received"),
)  # fmt: skip


def as_csv(client_name: str, report: ClientReport) -> str:
    """The report as the creditor's spreadsheet reads it: one row per portfolio and currency,
    amounts in major units with a point (1240.50), never the page's formatted money."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Client", "From", "Days", *(title for _, title in CSV_COLUMNS)])
    for r in report.rows:
        cells = []
        for name, _ in CSV_COLUMNS:
            value = getattr(r, name)
            cells.append(form_amount(value, r.currency) if name.endswith("_minor") else value)
        writer.writerow([client_name, report.since.isoformat(), report.days, *cells])
    return out.getvalue()
