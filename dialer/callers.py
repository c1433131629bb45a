"""Who is calling in: the account a caller's number leads to, read from the database.

When the caller dialled a client's callback number, only that client's accounts are looked at.
A number can be on file for more than one account (a debtor with two debts, a household line two
debtors share). The account taken is the one last worked on that number, calls and texts alike:
a debtor calling back is most often answering the last contact. With none, the open account with
the largest balance. A number an agent marked as reaching someone else (wrong number) leads to
nobody: the caller is then not taken for that debtor. The agent's script verifies the caller
before anything about a debt is said, whichever account pops.
"""

from __future__ import annotations

from sqlalchemy import desc
from sqlmodel import Session, col, select

from core.models import Account, Client, ContactAttempt, Phone
from core.phones import e164
from dialer.inbound import Caller

#: Accounts a caller may be put through about; a closed or recalled one only if it is all there is.
_WORKED = ("open",)


def client_called(session: Session, dialled: str) -> int | None:
    """The client whose callback number the caller dialled (each client's messages, texts and
    letters give its own), or None when it is no client's."""
    if not dialled:
        return None
    for client in session.exec(select(Client).where(Client.callback_number != "")):
        if e164(client.callback_number) == dialled:
            return client.id
    return None


def find_caller(session: Session, number: str, client_id: int | None = None) -> Caller | None:
    """The account a call in from `number` (E.164) is about, among `client_id`'s when the
    caller dialled that client's number; None when nobody there has it."""
    if not number:
        return None
    debtors = set(
        session.exec(
            select(Phone.debtor_id).where(
                Phone.number == number, col(Phone.wrong_number_at).is_(None)
            )
        ).all()
    )
    if not debtors:
        return None
    query = select(Account).where(col(Account.debtor_id).in_(debtors))
    if client_id is not None:
        query = query.where(Account.client_id == client_id)
    accounts = session.exec(query).all()
    if not accounts:
        return None
    by_id = {account.id: account for account in accounts}
    last = session.exec(
        select(ContactAttempt.account_id)
        .where(
            col(ContactAttempt.account_id).in_(list(by_id)),
            ContactAttempt.to_address == number,
        )
        .order_by(desc(col(ContactAttempt.started_at)), desc(col(ContactAttempt.id)))
        .limit(1)
    ).first()
    chosen = by_id.get(last) if last is not None else None
    if chosen is None or chosen.status not in _WORKED:
        chosen = max(accounts, key=lambda a: (a.status in _WORKED, a.balance_minor, -(a.id or 0)))
    return Caller(
        account_id=chosen.id or 0,
        debtor_id=chosen.debtor_id,
        client_id=chosen.client_id,
        portfolio_id=chosen.portfolio_id,
    )
