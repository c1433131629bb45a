"""Asking the compliance engine about calls, through its own database adapter.

Every dial (hopper fill, the re-check just before the Originate, an agent's preview click) goes
through here, so nothing reaches a debtor without a decision, and the decision that allowed a
call is what gets stored with its attempt (compliance.store.decision_record).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from compliance import store as compliance_store
from compliance.engine import Decision, decide
from core.models import Account


class ContactDataError(ValueError):
    """The stored data cannot form a contact (bad number, state, flag); the message says which."""


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    record: dict[str, Any]  # what the attempt stores

    @property
    def allowed(self) -> bool:
        return self.decision.allowed


def decide_calls(
    session: Session, numbers: dict[int, str], accounts: Sequence[Account], at: datetime
) -> dict[int, Verdict]:
    """Decisions for calling each account on its number at `at`, loaded in one batch."""
    try:
        contacts = compliance_store.load_contacts(session, accounts, "call", at, numbers)
    except ValidationError as exc:
        # one bad row would hide every other account: decide them one by one instead
        if len(accounts) == 1:
            raise ContactDataError(f"account {accounts[0].id}: {exc}") from exc
        found: dict[int, Verdict] = {}
        for account in accounts:
            try:
                found.update(decide_calls(session, numbers, [account], at))
            except ContactDataError:
                continue
        return found
    verdicts = {}
    for account_id, contact in contacts.items():
        decision = decide(contact, at)
        verdicts[account_id] = Verdict(
            decision, compliance_store.decision_record(decision, contact, at)
        )
    return verdicts


def decide_call(session: Session, account: Account, number: str, at: datetime) -> Verdict:
    """The engine's decision on calling `number` about `account` at `at`."""
    account_id = account.id or 0
    found = decide_calls(session, {account_id: number}, [account], at)
    if account_id not in found:
        raise ContactDataError(f"account {account_id}: no number to decide about")
    return found[account_id]
