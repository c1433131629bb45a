"""The compliance engine's answer about calling a number, in the words an agent reads.

The contact comes from `compliance.store`, the engine's own database adapter that the dialer
uses too, so the screen, the callback check and the dialer's own check before it dials all
decide from the same facts. This module only adds the sentences for each reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from compliance import store as compliance_store
from compliance.contact import Attempt, Consent, Contact
from compliance.engine import Decision, decide
from compliance.reasons import explain
from core.models import Account, ContactAttempt


@dataclass(frozen=True)
class Explained:
    """A decision with the contact and instant it was made for (what an attempt records)."""

    decision: Decision
    contact: Contact
    at: datetime

    @property
    def allowed(self) -> bool:
        return self.decision.allowed

    @property
    def next_allowed_at(self) -> datetime | None:
        return self.decision.next_allowed_at

    @property
    def reasons(self) -> tuple[tuple[str, str], ...]:
        """(code, sentence) pairs: the code for tests and QA, the sentence for the agent."""
        return tuple((str(r), explain(r)) for r in self.decision.reasons)

    def record_on(self, attempt: ContactAttempt) -> None:
        """Store this decision on `attempt` (the caller owns the transaction)."""
        compliance_store.record_decision(attempt, self.decision, self.contact, self.at)


def check_call(
    db: Session,
    account: Account,
    number: str,
    at: datetime,
    asked_at: datetime | None = None,
    talking_since: datetime | None = None,
) -> Explained:
    """May we call `number` about `account` at `at`? The engine over the stored facts; with
    `asked_at`, as a callback the debtor asked for at that instant (their consent); with
    `talking_since`, counting the conversation on screen, which is stored as one only when its
    outcome is saved: a callback booked from it must meet the week after it, as the dialer's
    own check will when the time comes."""
    contact = compliance_store.load_contact(db, account.id or 0, "call", at, number)
    if contact is None:  # only when no number is given: callers always pass one
        raise LookupError(f"account {account.id}: no number to decide about")
    if talking_since is not None:
        talk = Attempt(at=talking_since, channel="call", account=contact.account.id,
                       outcome="conversation")  # fmt: skip
        contact = contact.model_copy(update={"history": (*contact.history, talk)})
    if asked_at is not None:
        consent = compliance_store.callback_consent(account.id or 0, asked_at, at)
        consents = (*contact.consents, Consent.model_validate(consent))
        contact = contact.model_copy(update={"consents": consents})
    return Explained(decide(contact, at), contact, at)
