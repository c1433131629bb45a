"""Reading the rows a script is filled from: the account, its debtor, client and portfolio."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from core.models import Account, Client, Debtor, Portfolio


class AccountNotFound(LookupError):
    """No account with that id (or one of its parent rows is missing)."""


@dataclass(frozen=True)
class AccountFacts:
    account: Account
    debtor: Debtor
    client: Client
    portfolio: Portfolio


def load_account_facts(session: Session, account_id: int) -> AccountFacts:
    """The four rows behind one account; read-only, the caller owns the session."""
    account = session.get(Account, account_id)
    if account is None:
        raise AccountNotFound(f"no account with id {account_id}")
    debtor = session.get(Debtor, account.debtor_id)
    client = session.get(Client, account.client_id)
    portfolio = session.get(Portfolio, account.portfolio_id)
    if debtor is None or client is None or portfolio is None:
        raise AccountNotFound(f"account {account_id} is missing its debtor, client or portfolio")
    return AccountFacts(account, debtor, client, portfolio)
