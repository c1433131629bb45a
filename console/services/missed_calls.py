"""Calls in that no agent took today, for the team lead to have returned.

A debtor who called and hung up while holding (or heard "please try again later") is a
right-party contact the floor lost; collection shops call them back. Each is listed with
whether a call to the account has been placed since, so the lead sees what is still owed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, or_, select

from core.models import Account, ContactAttempt, Debtor


@dataclass(frozen=True)
class MissedCall:
    at: datetime
    number: str
    account: Account
    debtor: Debtor
    #: Seconds the caller held before hanging up or being told to call again.
    held_seconds: int
    #: When the account was next called, or the debtor next reached someone calling in again;
    #: None while neither has happened.
    returned_at: datetime | None


def missed_calls_in(
    db: Session, since: datetime, client_id: int | None = None, limit: int = 50
) -> list[MissedCall]:
    """Calls in since `since` that reached no agent, newest first (of `client_id` when given)."""
    query = (
        select(ContactAttempt, Account, Debtor)
        .join(Account, col(Account.id) == col(ContactAttempt.account_id))
        .join(Debtor, col(Debtor.id) == col(Account.debtor_id))
        .where(
            col(ContactAttempt.direction) == "inbound",
            col(ContactAttempt.outcome) == "abandoned",
            col(ContactAttempt.started_at) >= since,
        )
        .order_by(col(ContactAttempt.started_at).desc())
        .limit(limit)
    )
    if client_id is not None:
        query = query.where(col(Account.client_id) == client_id)
    found = list(db.exec(query))
    ids = [account.id for _, account, _ in found]
    later = db.exec(
        select(ContactAttempt.account_id, func.max(ContactAttempt.started_at))
        .where(
            col(ContactAttempt.account_id).in_(ids),
            col(ContactAttempt.channel) == "call",
            # returned: we called them, or they called again and reached someone
            or_(
                col(ContactAttempt.direction) == "outbound",
                col(ContactAttempt.outcome) == "conversation",
            ),
            col(ContactAttempt.started_at) >= since,
        )
        .group_by(col(ContactAttempt.account_id))
    ).all()
    last_call = {account_id: at for account_id, at in later}
    rows = []
    for attempt, account, debtor in found:
        called = last_call.get(account.id or 0)
        held = (attempt.ended_at - attempt.started_at).total_seconds() if attempt.ended_at else 0
        rows.append(
            MissedCall(
                at=attempt.started_at, number=attempt.to_address, account=account, debtor=debtor,
                held_seconds=max(0, int(held)),
                returned_at=called if called is not None and called > attempt.started_at else None,
            )
        )  # fmt: skip
    return rows
