"""Asks the compliance engine about one message at send time, loading the debtor from the DB.

A thin loader of our own: `compliance.store` (the engine's database adapter) was not there when
outreach was written. Only the loading lives here; every rule is `compliance.engine.decide`'s.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, get_args

from pydantic import ValidationError
from sqlmodel import Session, col, select

from compliance.contact import Account as ContactAccount
from compliance.contact import Address as ContactAddress
from compliance.contact import Attempt, Contact, Flag, InconvenientRange, Outcome
from compliance.contact import Debtor as ContactDebtor
from compliance.contact import Phone as ContactPhone
from compliance.engine import Decision, decide
from compliance.profiles import PortfolioRules
from core.models import Account, Address, ContactAttempt, Debtor, Email, Phone, Portfolio

_FLAGS: frozenset[str] = frozenset(get_args(Flag))
_OUTCOMES: frozenset[str] = frozenset(get_args(Outcome))
# The engine's longest look-back is a 7-day window; 14 days covers it with room to spare.
HISTORY_DAYS = 14


class ContactDataError(ValueError):
    """The debtor's stored data cannot be read as a contact; the message names the field."""


def _flags(values: list[str]) -> tuple[Any, ...]:
    return tuple(v for v in values if v in _FLAGS)


def load_contact(
    session: Session, account: Account, channel: str, to: str, at: datetime
) -> Contact:
    """The compliance engine's view of contacting `to` about `account` at `at`."""
    debtor = session.get(Debtor, account.debtor_id)
    portfolio = session.get(Portfolio, account.portfolio_id)
    if debtor is None or portfolio is None:
        raise ContactDataError(f"account {account.id} has no debtor or portfolio")
    addresses = session.exec(
        select(Address).where(Address.debtor_id == debtor.id).order_by(col(Address.position))
    ).all()
    phones = session.exec(select(Phone).where(Phone.debtor_id == debtor.id)).all()
    emails = session.exec(select(Email).where(Email.debtor_id == debtor.id)).all()
    attempts = session.exec(
        select(ContactAttempt).where(
            ContactAttempt.debtor_id == debtor.id,
            ContactAttempt.started_at >= at - timedelta(days=HISTORY_DAYS),
        )
    ).all()
    try:
        return Contact(
            channel=channel,
            to=to,
            profile=portfolio.calling_profile,
            portfolio=PortfolioRules.model_validate(portfolio.compliance_overrides)
            if portfolio.compliance_overrides
            else None,
            debtor=ContactDebtor(
                addresses=tuple(
                    ContactAddress(
                        country=a.country or "US",
                        state=a.state or None,
                        postal_code=a.postal_code or None,
                    )
                    for a in addresses
                ),
                phones=tuple(ContactPhone(number=p.number, type=p.type) for p in phones),
                emails=tuple(e.address for e in emails),
                inconvenient=tuple(
                    InconvenientRange.model_validate(r) for r in debtor.inconvenient_times
                ),
                flags=_flags(debtor.flags),
                dnc=debtor.dnc,
                sms_opt_out=debtor.sms_opt_out,
                email_opt_out=debtor.email_opt_out,
            ),
            account=ContactAccount(id=str(account.id), flags=_flags(account.flags)),
            history=tuple(
                Attempt(
                    at=a.started_at,
                    channel=a.channel,
                    account=str(a.account_id),
                    outcome=a.outcome,
                )
                for a in attempts
                if a.outcome in _OUTCOMES and a.started_at.tzinfo is not None
            ),
        )
    except ValidationError as exc:
        fields = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ContactDataError(f"debtor {debtor.id}: {fields}") from exc


def ask(session: Session, account: Account, channel: str, to: str, at: datetime) -> Decision:
    """The engine's decision for this send, now."""
    return decide(load_contact(session, account, channel, to, at), at)
