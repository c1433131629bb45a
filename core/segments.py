"""Segmentation of a placement: which accounts to work first, from amount, age and payment history.

A pure function over plain data (today is passed in) so the import, the demo seed and later the
hopper all segment the same way, and the rules are tested exhaustively. The score is a simple,
explainable propensity-to-pay estimate (0-100): fresh debt, small balances and a recent payment or
kept promise raise it; age and broken promises lower it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# Accounts that must not be worked for payment until the flag is resolved (FDCPA/Reg F).
HOLD_FLAGS = frozenset({"dispute", "cease", "attorney", "bankruptcy", "deceased"})
PAYING_WINDOW_DAYS = 45
HIGH_SCORE = 60.0
MEDIUM_SCORE = 35.0

# (days delinquent at most, points): the first band that fits wins.
AGE_POINTS: tuple[tuple[int, float], ...] = ((90, 40.0), (180, 32.0), (365, 22.0), (730, 12.0))
OLD_DEBT_POINTS = 5.0
UNKNOWN_AGE_POINTS = 20.0
# (balance in minor units below, points): small balances are paid in full more often.
BALANCE_POINTS: tuple[tuple[int, float], ...] = (
    (250_00, 25.0),
    (1_000_00, 20.0),
    (2_500_00, 15.0),
    (5_000_00, 10.0),
    (10_000_00, 6.0),
)
LARGE_BALANCE_POINTS = 3.0


@dataclass(frozen=True, slots=True)
class PaymentHistory:
    """What the account has paid and promised so far."""

    last_payment_date: date | None = None
    promises_kept: int = 0
    promises_broken: int = 0
    active_plan: bool = False


@dataclass(frozen=True, slots=True)
class Segment:
    """A label the floor works by (hold, paid, paying, high, medium, low) and a 0-100 score."""

    label: str
    score: float


def _age_points(delinquency_date: date | None, today: date) -> float:
    if delinquency_date is None:
        return UNKNOWN_AGE_POINTS
    days = (today - delinquency_date).days
    return next((points for limit, points in AGE_POINTS if days <= limit), OLD_DEBT_POINTS)


def _balance_points(balance_minor: int) -> float:
    return next(
        (points for limit, points in BALANCE_POINTS if balance_minor < limit),
        LARGE_BALANCE_POINTS,
    )


def _history_points(history: PaymentHistory, today: date) -> float:
    points = 0.0
    if history.last_payment_date is not None:
        days = (today - history.last_payment_date).days
        points += 25.0 if days <= 90 else 12.0 if days <= 365 else 5.0
    points += min(history.promises_kept, 2) * 5.0
    points -= min(history.promises_broken, 3) * 5.0
    if history.active_plan:
        points += 10.0
    return points


def score_account(
    balance_minor: int, delinquency_date: date | None, history: PaymentHistory, today: date
) -> float:
    """Propensity to pay, 0-100, rounded to one decimal so it compares stably once stored."""
    raw = (
        _age_points(delinquency_date, today)
        + _balance_points(balance_minor)
        + _history_points(history, today)
    )
    return round(min(max(raw, 0.0), 100.0), 1)


def status_for_balance(status: str, balance_minor: int) -> str:
    """An open account with nothing owed is paid; a paid one with money owed again (a client's
    file puts a balance back on it) is open. Other statuses (settled) are the agency's word."""
    if status == "open" and balance_minor <= 0:
        return "paid"
    if status == "paid" and balance_minor > 0:
        return "open"
    return status


def segment_account(
    balance_minor: int,
    delinquency_date: date | None,
    history: PaymentHistory,
    flags: Iterable[str],
    today: date,
) -> Segment:
    """The account's segment: held flags first, then settled, paying, then by score."""
    score = score_account(balance_minor, delinquency_date, history, today)
    if HOLD_FLAGS.intersection(flags):
        return Segment("hold", score)
    if balance_minor <= 0:
        return Segment("paid", score)
    last = history.last_payment_date
    if history.active_plan or (last is not None and (today - last).days <= PAYING_WINDOW_DAYS):
        return Segment("paying", score)
    if score >= HIGH_SCORE:
        return Segment("high", score)
    if score >= MEDIUM_SCORE:
        return Segment("medium", score)
    return Segment("low", score)
