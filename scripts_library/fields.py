"""The merge fields a script may use, and the one function that fills them for a real account.

The linter checks scripts against FIELDS and `build_context` produces exactly FIELDS, so a script
that lints clean always renders for any account: no surprise blank or crash on a live call.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any, Protocol

from core.amounts import money
from core.phones import printed_number


@dataclass(frozen=True)
class Field:
    """One merge field: what it holds, an example, and whether it reveals the debt."""

    description: str
    example: str
    # Saying it to anyone but the verified debtor discloses the debt (15 U.S.C. 1692b, 1692c(b)).
    reveals_debt: bool


FIELDS: dict[str, Field] = {
    "debtor.first_name": Field("Debtor's first name", "Maria", False),
    "debtor.last_name": Field("Debtor's last name", "Lopez", False),
    "agent.first_name": Field("The agent's first name", "Sam", False),
    "client.callback_number": Field("Number the debtor can call back", "(555) 010-2000", False),
    "client.name": Field("The creditor (our client)", "Harbor Bank", True),
    "agency.name": Field("Our agency's name", "Concord Recovery", True),
    "account.balance": Field("Balance owed, formatted", "$1,240.50", True),
    "account.number_last4": Field("Last 4 of the client's account number", "4821", True),
    "account.original_creditor": Field("Original creditor", "Harbor Bank Visa", True),
    "payment_link": Field("Secure payment link", "https://pay.example/abc", True),
    "settlement.lowest_amount": Field("Lowest payoff the client accepts", "$744.30", True),
    "settlement.percent_off": Field("Most the client will take off, percent", "40", True),
    "terms.promise_max_days": Field("Furthest a promise date may be, days", "30", True),
    "terms.plan_max_installments": Field("Most installments in a plan", "12", True),
}


def nest(flat: dict[str, str]) -> dict[str, Any]:
    """`{"debtor.first_name": "Maria"}` -> `{"debtor": {"first_name": "Maria"}}` for jinja2."""
    context: dict[str, Any] = {}
    for dotted, value in flat.items():
        *parents, leaf = dotted.split(".")
        level = context
        for part in parents:
            level = level.setdefault(part, {})
        level[leaf] = value
    return context


def sample_context() -> dict[str, Any]:
    """Every field filled with its example: what the linter and the editor preview render with."""
    return nest({name: spec.example for name, spec in FIELDS.items()})


class AccountLike(Protocol):
    client_account_number: str
    original_creditor: str
    balance_minor: int
    currency: str


class DebtorLike(Protocol):
    first_name: str
    last_name: str


class ClientLike(Protocol):
    name: str
    callback_number: str


class PortfolioLike(Protocol):
    settlement_min_pct: int
    promise_max_days: int
    plan_max_installments: int


def build_context(
    account: AccountLike,
    debtor: DebtorLike,
    client: ClientLike,
    agent_first_name: str,
    *,
    portfolio: PortfolioLike,
    agency_name: str,
    payment_link: str,
) -> dict[str, Any]:
    """The render context for one account, shaped exactly like FIELDS.

    Takes the core models (or anything with their attributes) so the console, the preview command
    and tests fill scripts the same way. The settlement band comes from the portfolio: the lowest
    payoff is the balance times `settlement_min_pct`, rounded up so we never quote below the band.
    """
    lowest = (Decimal(account.balance_minor) * portfolio.settlement_min_pct / 100).quantize(
        Decimal(1), rounding=ROUND_CEILING
    )
    flat = {
        "debtor.first_name": debtor.first_name,
        "debtor.last_name": debtor.last_name,
        "agent.first_name": agent_first_name,
        "client.callback_number": printed_number(client.callback_number),
        "client.name": client.name,
        "agency.name": agency_name,
        "account.balance": money(account.balance_minor, account.currency),
        "account.number_last4": account.client_account_number[-4:],
        "account.original_creditor": account.original_creditor or client.name,
        "payment_link": payment_link,
        "settlement.lowest_amount": money(int(lowest), account.currency),
        "settlement.percent_off": str(100 - portfolio.settlement_min_pct),
        "terms.promise_max_days": str(portfolio.promise_max_days),
        "terms.plan_max_installments": str(portfolio.plan_max_installments),
    }
    return nest(flat)
