"""Asking the compliance engine about a call: the stored rows turned into its `Contact`.

Every dial (hopper fill, the re-check just before the Originate, an agent's preview click) goes
through `decide_call`, so nothing reaches a debtor without a decision, and the decision that
allowed a call is what gets stored with its attempt.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from compliance.contact import Account as CAccount
from compliance.contact import Address as CAddress
from compliance.contact import Attempt as CAttempt
from compliance.contact import Contact, InconvenientRange
from compliance.contact import Debtor as CDebtor
from compliance.contact import Phone as CPhone
from compliance.engine import Decision, decide
from compliance.profiles import PortfolioRules
from core.models import Account, Address, ContactAttempt, Debtor, Phone, Portfolio

# Every history rule looks back at most 7 calendar days (72 h for the abandon lockout); two
# weeks covers them with room for time zones.
HISTORY_DAYS = 14
KNOWN_FLAGS = frozenset({"cease", "attorney", "bankruptcy", "deceased", "dispute"})


class ContactDataError(ValueError):
    """The stored data cannot form a contact (bad number, state, flag); the message says which."""


def build_contact(session: Session, account: Account, number: str, at: datetime) -> Contact:
    """The compliance engine's view of calling `number` about `account` at `at`."""
    debtor = session.get(Debtor, account.debtor_id)
    portfolio = session.get(Portfolio, account.portfolio_id)
    if debtor is None or portfolio is None:
        raise ContactDataError(f"account {account.id}: debtor or portfolio row is missing")
    addresses = session.exec(
        select(Address).where(Address.debtor_id == debtor.id).order_by(col(Address.position))
    ).all()
    phones = session.exec(
        select(Phone).where(Phone.debtor_id == debtor.id).order_by(col(Phone.position))
    ).all()
    since = at - timedelta(days=HISTORY_DAYS)
    history = session.exec(
        select(ContactAttempt).where(
            ContactAttempt.debtor_id == debtor.id, col(ContactAttempt.started_at) >= since
        )
    ).all()
    try:
        return Contact(
            channel="call",
            to=number,
            profile=portfolio.calling_profile,
            portfolio=(
                PortfolioRules.model_validate(portfolio.compliance_overrides)
                if portfolio.compliance_overrides
                else None
            ),
            debtor=CDebtor(
                addresses=tuple(
                    CAddress(
                        country=a.country, state=a.state or None, postal_code=a.postal_code or None
                    )
                    for a in addresses
                ),
                phones=tuple(CPhone(number=p.number, type=p.type) for p in phones),
                inconvenient=tuple(
                    InconvenientRange.model_validate(r) for r in debtor.inconvenient_times
                ),
                flags=tuple(f for f in debtor.flags if f in KNOWN_FLAGS),
                dnc=debtor.dnc,
            ),
            account=CAccount(
                id=str(account.id),
                flags=tuple(f for f in account.flags if f in KNOWN_FLAGS),
            ),
            history=tuple(_attempt(a) for a in history if a.channel == "call"),
        )
    except ValidationError as exc:
        raise ContactDataError(f"account {account.id}, number {number}: {exc}") from exc


def _attempt(row: ContactAttempt) -> CAttempt:
    # A call still in progress has no outcome yet; it has rung the phone, so it counts as an
    # unanswered call (Reg F counts those) until it settles.
    started = row.started_at if row.started_at.tzinfo else row.started_at.replace(tzinfo=UTC)
    outcome = row.outcome or "no_answer"
    return CAttempt.model_validate(
        {"at": started, "channel": "call", "account": str(row.account_id), "outcome": outcome}
    )


def decide_call(session: Session, account: Account, number: str, at: datetime) -> Decision:
    """The engine's decision on calling `number` about `account` at `at`."""
    return decide(build_contact(session, account, number, at), at)


def decision_record(decision: Decision, at: datetime) -> dict[str, Any]:
    """What is stored with the attempt, so QA can prove later why the call was allowed."""
    return {
        "allowed": decision.allowed,
        "reasons": [str(r) for r in decision.reasons],
        "next_allowed_at": decision.next_allowed_at.isoformat()
        if decision.next_allowed_at
        else None,
        "profile": decision.profile,
        "rules_version": decision.rules_version,
        "decided_at": at.isoformat(),
    }
