"""Ask the compliance engine about a contact, from the rows the console already has.

Reads the debtor, their addresses, numbers, flags and call history from the database, builds
the engine's plain `Contact`, and returns the decision with each reason in words. When
compliance/store.py (the shared DB adapter) offers the same, this module becomes a thin call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, get_args

from sqlmodel import Session, col, select

from compliance import contact as cc
from compliance.engine import Decision, decide
from compliance.profiles import PortfolioRules
from compliance.reasons import explain
from core.models import Account, Address, ContactAttempt, Debtor, Phone, Portfolio

_FLAGS = set(get_args(cc.Flag))
_OUTCOMES = set(get_args(cc.Outcome))


@dataclass(frozen=True)
class Explained:
    """A decision as the agent reads it: allowed or not, why in words, and when next."""

    decision: Decision
    reasons: tuple[tuple[str, str], ...]  # (code, sentence)

    @property
    def allowed(self) -> bool:
        return self.decision.allowed

    @property
    def next_allowed_at(self) -> datetime | None:
        return self.decision.next_allowed_at

    def record(self) -> dict[str, Any]:
        """What the contact attempt stores, so QA can see the decision the agent acted on."""
        when = self.decision.next_allowed_at
        return {
            "allowed": self.decision.allowed,
            "reasons": [code for code, _ in self.reasons],
            "next_allowed_at": when.isoformat() if when else None,
            "profile": self.decision.profile,
            "rules_version": self.decision.rules_version,
        }


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_contact(db: Session, account: Account, number: str) -> cc.Contact:
    debtor = db.get(Debtor, account.debtor_id)
    portfolio = db.get(Portfolio, account.portfolio_id)
    assert debtor is not None and portfolio is not None
    addresses = db.exec(
        select(Address).where(Address.debtor_id == debtor.id).order_by(col(Address.position))
    ).all()
    phones = db.exec(
        select(Phone).where(Phone.debtor_id == debtor.id).order_by(col(Phone.position))
    ).all()
    attempts = db.exec(select(ContactAttempt).where(ContactAttempt.debtor_id == debtor.id)).all()
    rules = (
        PortfolioRules.model_validate(portfolio.compliance_overrides)
        if portfolio.compliance_overrides
        else None
    )
    return cc.Contact(
        channel="call",
        to=number,
        profile=portfolio.calling_profile,
        portfolio=rules,
        debtor=cc.Debtor(
            addresses=tuple(
                cc.Address(
                    country=a.country, state=a.state or None, postal_code=a.postal_code or None
                )
                for a in addresses
            ),
            phones=tuple(cc.Phone(number=p.number, type=p.type) for p in phones),
            inconvenient=tuple(
                cc.InconvenientRange.model_validate(r) for r in debtor.inconvenient_times
            ),
            flags=tuple(f for f in debtor.flags if f in _FLAGS),
            dnc=debtor.dnc,
        ),
        account=cc.Account(
            id=str(account.id), flags=tuple(f for f in account.flags if f in _FLAGS)
        ),
        history=tuple(
            cc.Attempt(
                at=_aware(a.started_at),
                channel=a.channel,
                account=str(a.account_id),
                outcome=a.outcome,
            )
            for a in attempts
            if a.outcome in _OUTCOMES and a.channel in {"call", "sms", "email"}
        ),
    )


def check_call(db: Session, account: Account, number: str, at: datetime) -> Explained:
    """May we call `number` about `account` at `at`? Pure engine over the stored facts."""
    decision = decide(build_contact(db, account, number), at)
    return Explained(decision, tuple((r.value, explain(r)) for r in decision.reasons))
