"""Calls in that no agent took, for the team lead to have returned: today's, and the last
week's until returned.

A debtor who called and hung up while holding (or heard "please try again later") is a
right-party contact the floor lost; collection shops call them back. Each is listed with
whether a call to the account has been placed since, so the lead sees what is still owed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, or_, select

from core.models import Account, ContactAttempt, Debtor
from dialer.models import UnmatchedCall


@dataclass(frozen=True)
class MissedCall:
    at: datetime
    number: str
    #: None for a caller on file for nobody (or withheld): a call to return all the same.
    account: Account | None
    debtor: Debtor | None
    #: Seconds the caller was on the line: holding, then told nobody could take them, then
    #: any message they left.
    held_seconds: int
    #: When the account was next called, or the debtor next reached someone calling in again;
    #: None while neither has happened.
    returned_at: datetime | None
    #: Holds on the account or its debtor (cease, dispute, lawyer...): not a call to return.
    holds: tuple[str, ...] = ()
    #: Where the message they left after the tone plays (console.routes.messages); "" for none.
    message_url: str = ""


def missed_calls_in(
    db: Session,
    since: datetime,
    client_id: int | None = None,
    limit: int = 50,
    unreturned_since: datetime | None = None,
) -> list[MissedCall]:
    """Calls in since `since` that reached no agent, newest first (of `client_id` when given),
    and earlier ones back to `unreturned_since` still to return: a message left at 23:00 UTC
    must not leave the lead's list at midnight, before anyone called the debtor back."""
    start = since if unreturned_since is None else min(since, unreturned_since)
    query = (
        select(ContactAttempt, Account, Debtor)
        .join(Account, col(Account.id) == col(ContactAttempt.account_id))
        .join(Debtor, col(Debtor.id) == col(Account.debtor_id))
        .where(
            col(ContactAttempt.direction) == "inbound",
            col(ContactAttempt.outcome) == "abandoned",
            col(ContactAttempt.started_at) >= start,
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
            col(ContactAttempt.started_at) >= start,
        )
        .group_by(col(ContactAttempt.account_id))
    ).all()
    last_call = {account_id: at for account_id, at in later}
    rows = _unmatched_missed(db, since, start, limit)
    for attempt, account, debtor in found:
        called = last_call.get(account.id or 0)
        missed = MissedCall(
            at=attempt.started_at, number=attempt.to_address, account=account, debtor=debtor,
            held_seconds=_held(attempt.started_at, attempt.ended_at),
            returned_at=called if called is not None and called > attempt.started_at else None,
            holds=tuple(dict.fromkeys([*debtor.flags, *account.flags])),
            message_url=f"/calls/{attempt.id}/message" if attempt.message_ref else "",
        )  # fmt: skip
        if missed.at >= since or (missed.returned_at is None and not missed.holds):
            rows.append(missed)
    return sorted(rows, key=lambda m: m.at, reverse=True)[:limit]


def _unmatched_missed(
    db: Session, since: datetime, start: datetime, limit: int
) -> list[MissedCall]:
    """Missed calls in from numbers on file for nobody since `start`: those before `since`
    only while the number has not been reached since (a call placed to it, or it called again
    and someone took it). A withheld number cannot be returned: listed on its day only."""
    missed = list(
        db.exec(
            select(UnmatchedCall)
            .where(col(UnmatchedCall.started_at) >= start, UnmatchedCall.outcome == "abandoned")
            .order_by(col(UnmatchedCall.started_at).desc())
            .limit(limit)
        )
    )
    numbers = sorted({call.number for call in missed if call.number})
    reached: dict[str, datetime] = {}
    if numbers:
        queries = (
            select(ContactAttempt.to_address, func.max(ContactAttempt.started_at))
            .where(
                col(ContactAttempt.to_address).in_(numbers),
                col(ContactAttempt.channel) == "call",
                col(ContactAttempt.started_at) >= start,
                or_(col(ContactAttempt.direction) == "outbound",
                    col(ContactAttempt.outcome) == "conversation"),
            )
            .group_by(col(ContactAttempt.to_address)),
            select(UnmatchedCall.number, func.max(UnmatchedCall.started_at))
            .where(
                col(UnmatchedCall.number).in_(numbers),
                col(UnmatchedCall.started_at) >= start,
                UnmatchedCall.outcome == "conversation",
            )
            .group_by(col(UnmatchedCall.number)),
        )  # fmt: skip
        for query in queries:
            for number, at in db.exec(query).all():
                reached[number] = max(at, reached.get(number, at))
    rows: list[MissedCall] = []
    for call in missed:
        later = reached.get(call.number)
        returned = later if later is not None and later > call.started_at else None
        if call.started_at >= since or (call.number and returned is None):
            rows.append(
                MissedCall(
                    at=call.started_at, number=call.number, account=None, debtor=None,
                    held_seconds=_held(call.started_at, call.ended_at), returned_at=returned,
                    message_url=f"/calls-in/{call.id}/message" if call.message_ref else "",
                )
            )  # fmt: skip
    return rows


def unmatched_answered(db: Session, since: datetime, limit: int = 50) -> list[UnmatchedCall]:
    """Calls in an agent took and closed, or that ended, with no account found, newest first."""
    return list(
        db.exec(
            select(UnmatchedCall)
            .where(col(UnmatchedCall.started_at) >= since, UnmatchedCall.outcome != "abandoned")
            .order_by(col(UnmatchedCall.started_at).desc())
            .limit(limit)
        )
    )


def _held(start: datetime, end: datetime | None) -> int:
    return max(0, int((end - start).total_seconds())) if end is not None else 0
