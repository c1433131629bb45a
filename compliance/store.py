"""Database adapter: loads the plain `Contact` the engine decides about, and the record of a
decision that an attempt stores.

The only module of the package that touches the database. It never commits (the caller owns the
transaction) and never reads the clock: `at` comes from the caller, as for the engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, get_args

import sqlalchemy as sa
from sqlmodel import Session, col, select

from compliance.batch import HopperColumns, columns_from_contacts
from compliance.calls import consented
from compliance.contact import Channel, Contact, Outcome
from compliance.engine import Decision
from compliance.profiles import PortfolioRules, Profile, resolve
from compliance.reasons import FLAG_REASONS, Reason
from compliance.validation import applies_to, overdue
from core.models import (
    Account,
    Address,
    Callback,
    ContactAttempt,
    Debtor,
    DispositionCategory,
    DispositionCode,
    Email,
    Phone,
    Portfolio,
)
from core.stopped_numbers import in_force

#: How far back attempts are loaded: the 7-day windows in any zone and the 72-hour redial rule
#: all fit in 10 days.
HISTORY_DAYS = 10
#: A callback the debtor asked for is their consent to be called from a little before its time
#: until two hours after (the dialer serves it when an agent frees up), Reg F 1006.14(b)(3)(i).
CONSENT_EARLY = timedelta(minutes=15)
CONSENT_LATE = timedelta(hours=2)
_OUTCOMES = frozenset(get_args(Outcome))
_CHUNK = 500  # keeps IN (...) lists under every backend's parameter limit


def _compliance_flags(flags: Iterable[str]) -> list[str]:
    """The flags the rules know; other teams' flags (e.g. "vip") are not compliance flags."""
    return [f for f in flags if f in FLAG_REASONS]


#: Outcomes of a conversation that was not with the debtor: no initial communication.
_NOT_THE_DEBTOR = (
    DispositionCategory.THIRD_PARTY,
    DispositionCategory.WRONG_NUMBER,
    DispositionCategory.NO_CONTACT,
)


_NOT_THE_DEBTOR_NAMES = frozenset(str(c) for c in _NOT_THE_DEBTOR)


def first_conversations(session: Session, account_ids: Sequence[int]) -> dict[int, datetime]:
    """Each account's first telephone conversation that may have been with the debtor (its
    initial communication, compliance.validation): a conversation whose outcome is not yet
    saved counts, one saved as a third party, wrong number or no contact does not."""
    found: dict[int, datetime] = {}
    for ids in _chunks(account_ids):
        query = (
            sa.select(col(ContactAttempt.account_id), sa.func.min(col(ContactAttempt.started_at)))
            .outerjoin(
                DispositionCode, col(DispositionCode.id) == col(ContactAttempt.disposition_code_id)
            )
            .where(
                col(ContactAttempt.account_id).in_(ids),
                col(ContactAttempt.channel) == "call",
                col(ContactAttempt.outcome) == "conversation",
                sa.or_(
                    col(DispositionCode.category).is_(None),
                    col(DispositionCode.category).not_in(list(_NOT_THE_DEBTOR_NAMES)),
                ),
            )
            .group_by(col(ContactAttempt.account_id))
        )
        for account_id, first in session.execute(query):
            found[account_id] = first if first.tzinfo else first.replace(tzinfo=UTC)
    return found


def _validation_overdue(
    session: Session,
    accounts: Sequence[Account],
    portfolios: dict[int | None, Portfolio],
    at: datetime,
) -> set[int]:
    """The accounts whose validation notice is late at `at` (United States portfolios only)."""
    today = at.astimezone(UTC).date()
    asked = [
        a.id or 0
        for a in accounts
        if applies_to(portfolios[a.portfolio_id].calling_profile)
        and (a.validation_notice_on is None or a.validation_notice_on > today)
    ]
    if not asked:
        return set()
    firsts = first_conversations(session, asked)
    notices = {a.id or 0: a.validation_notice_on for a in accounts}
    return {i for i, first in firsts.items() if overdue(at, first, notices[i])}


def _attempt(
    at: datetime,
    channel: str,
    account_id: int,
    direction: str,
    outcome: str,
    category: str | None = None,
) -> dict[str, Any] | None:
    """An attempt as the engine sees it. An inbound call counts only if it was a conversation
    (it starts the 7-day lockout; the 7-in-7 cap is about calls we place, but counting it there
    too errs safe). A conversation the agent saved as a third party, a wrong number or no
    contact was not with the debtor: "other_party", which starts no week of rest (an outcome
    not yet saved still does). An outcome not yet known (call in progress) counts as an
    unanswered call."""
    if direction == "inbound" and outcome != "conversation":
        return None
    if outcome == "conversation" and category in _NOT_THE_DEBTOR_NAMES:
        outcome = "other_party"
    return {
        "at": at,
        "channel": channel,
        "account": str(account_id),
        "outcome": outcome if outcome in _OUTCOMES else "no_answer",
    }


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


@dataclass
class _Debtors:
    """A batch of debtors with their contact points and recent attempts, loaded together."""

    debtors: dict[int, Debtor] = field(default_factory=dict)
    addresses: dict[int, list[Address]] = field(default_factory=lambda: defaultdict(list))
    phones: dict[int, list[Phone]] = field(default_factory=lambda: defaultdict(list))
    emails: dict[int, list[Email]] = field(default_factory=lambda: defaultdict(list))
    #: Attempts as the engine reads them (`_attempt`), per debtor.
    history: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    #: Callbacks the debtor asked for, as the engine's consents, per debtor.
    consents: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


Point = TypeVar("Point", Address, Phone, Email)


def _contact_points(session: Session, table: type[Point], ids: Sequence[int]) -> list[Point]:
    """A debtor's addresses, phones or emails in their stated order (the first address is home)."""
    query = select(table).where(col(table.debtor_id).in_(ids))
    return list(session.exec(query.order_by(col(table.position), col(table.id))))


def _extend(into: dict[int, list[Point]], rows: list[Point]) -> None:
    for row in rows:
        into[row.debtor_id].append(row)


def _load_debtors(session: Session, debtor_ids: Sequence[int], since: datetime) -> _Debtors:
    """One query per table per chunk of debtors, not one per account."""
    loaded = _Debtors()
    for ids in _chunks(debtor_ids):
        for debtor in session.exec(select(Debtor).where(col(Debtor.id).in_(ids))):
            loaded.debtors[debtor.id or 0] = debtor
        _extend(loaded.addresses, _contact_points(session, Address, ids))
        _extend(loaded.phones, _contact_points(session, Phone, ids))
        _extend(loaded.emails, _contact_points(session, Email, ids))
        # Only the columns a decision reads: whole rows would parse every attempt's JSON.
        recent = (
            sa.select(
                col(ContactAttempt.debtor_id),
                col(ContactAttempt.started_at),
                col(ContactAttempt.channel),
                col(ContactAttempt.account_id),
                col(ContactAttempt.direction),
                col(ContactAttempt.outcome),
                col(DispositionCode.category),  # was the conversation with the debtor?
            )
            .outerjoin(
                DispositionCode, col(DispositionCode.id) == col(ContactAttempt.disposition_code_id)
            )
            .where(col(ContactAttempt.debtor_id).in_(ids), col(ContactAttempt.started_at) >= since)
        )
        for debtor_id, at, channel, account_id, direction, outcome, category in session.execute(
            recent
        ):
            seen = _attempt(at, channel, account_id, direction, outcome, category)
            if seen is not None:
                loaded.history[debtor_id].append(seen)
        asked = (
            sa.select(
                col(Account.debtor_id),
                col(Callback.account_id),
                col(Callback.created_at),
                col(Callback.due_at),
            )
            .join(Account, col(Account.id) == col(Callback.account_id))
            .where(
                col(Account.debtor_id).in_(ids),
                col(Callback.consent).is_(True),
                col(Callback.due_at) >= since - CONSENT_LATE,
            )
        )
        for debtor_id, account_id, given_at, due_at in session.execute(asked):
            loaded.consents[debtor_id].append(callback_consent(account_id, given_at, due_at))
    return loaded


def callback_consent(account_id: int, given_at: datetime, due_at: datetime) -> dict[str, Any]:
    """A callback the debtor asked for, as the engine's consent: the window around its time
    (SQLite hands datetimes back naive; they are UTC)."""
    given, due = (t if t.tzinfo else t.replace(tzinfo=UTC) for t in (given_at, due_at))
    return {
        "given_at": given,
        "account": str(account_id),
        "start": due - CONSENT_EARLY,
        "end": due + CONSENT_LATE,
    }


def _debtor_data(loaded: _Debtors, debtor_id: int) -> dict[str, Any]:
    debtor = loaded.debtors[debtor_id]
    return {
        "addresses": [
            {
                "country": a.country or "US",
                "state": a.state or None,
                "postal_code": a.postal_code or None,
            }
            for a in loaded.addresses[debtor_id]
        ],
        "phones": [
            {
                "number": p.number,
                "type": p.type,
                "wrong": p.wrong_number_at is not None,
                "no_calls": p.no_calls_at is not None,
            }
            for p in loaded.phones[debtor_id]
        ],
        "emails": [e.address for e in loaded.emails[debtor_id]],
        "work_emails": [e.address for e in loaded.emails[debtor_id] if e.work],
        "inconvenient": debtor.inconvenient_times,
        "flags": _compliance_flags(debtor.flags),
        "dnc": debtor.dnc,
        "sms_opt_out": debtor.sms_opt_out,
        "email_opt_out": debtor.email_opt_out,
    }


def load_contacts(
    session: Session,
    accounts: Sequence[Account],
    channel: Channel,
    at: datetime,
    to: dict[int, str] | None = None,
    history_since: datetime | None = None,
) -> dict[int, Contact]:
    """Contacts for `accounts` on `channel`, keyed by account id, with the debtor's attempts
    from `history_since` (by default HISTORY_DAYS, all a decision needs) up to `at`. `to` maps
    an account id to the number or address to use; by default the debtor's first phone (call,
    SMS) or first email. Accounts whose debtor has no such phone or email are left out: there
    is nothing to decide. QA's audit asks for a longer history, to replay every contact of a
    period against the attempts made before it."""
    if at.utcoffset() is None:
        raise ValueError("at: must be timezone-aware")
    since = at - timedelta(days=HISTORY_DAYS) if history_since is None else history_since
    loaded = _load_debtors(session, sorted({a.debtor_id for a in accounts}), since)
    portfolio_ids = sorted({a.portfolio_id for a in accounts})
    portfolios = {
        p.id: p for p in session.exec(select(Portfolio).where(col(Portfolio.id).in_(portfolio_ids)))
    }
    late = _validation_overdue(session, accounts, portfolios, at)
    numbers = [*(to or {}).values(), *(p.number for ps in loaded.phones.values() for p in ps)]
    stopped = set() if channel == "email" else set(in_force(session, numbers))
    found: dict[int, Contact] = {}
    for account in accounts:
        account_id, debtor_id = account.id or 0, account.debtor_id
        if to and account_id in to:
            target: str | None = to[account_id]
        elif channel == "email":
            target = next((e.address for e in loaded.emails[debtor_id] if not e.work), None)
        else:
            good = (
                p
                for p in loaded.phones[debtor_id]
                if p.wrong_number_at is None
                and p.number not in stopped
                and (channel != "call" or p.no_calls_at is None)
            )
            target = next((p.number for p in good), None)
        if target is None:
            continue
        portfolio = portfolios[account.portfolio_id]
        found[account_id] = Contact.model_validate(
            {
                "channel": channel,
                "to": target,
                "profile": portfolio.calling_profile,
                "portfolio": portfolio.compliance_overrides or None,
                "debtor": _debtor_data(loaded, debtor_id),
                "account": {
                    "id": str(account_id),
                    "flags": _compliance_flags(account.flags)
                    + ([str(Reason.VALIDATION_OVERDUE)] if account_id in late else []),
                },
                "history": [a for a in loaded.history[debtor_id] if a["at"] < at],
                "consents": [c for c in loaded.consents[debtor_id] if c["given_at"] <= at],
                "to_stopped": target in stopped,
            }
        )
    return found


def load_contact(
    session: Session, account_id: int, channel: Channel, at: datetime, to: str | None = None
) -> Contact | None:
    """The contact for one account (manual or preview dial, one follow-up message)."""
    account = session.get(Account, account_id)
    if account is None:
        raise LookupError(f"account {account_id} does not exist")
    found = load_contacts(session, [account], channel, at, {account_id: to} if to else None)
    return found.get(account_id)


def decision_record(decision: Decision, contact: Contact, at: datetime) -> dict[str, Any]:
    """What an attempt stores in `ContactAttempt.compliance`, so QA can later prove which rules,
    in which version and with which portfolio tightening, allowed (or refused) the contact, and
    whether it relied on the debtor's own request (a callback they asked for)."""
    when = decision.next_allowed_at
    on_request = contact.channel == "call" and consented(
        contact.consents, contact.account.id, at, contact.history
    )
    return {
        "decided_at": at.astimezone(UTC).isoformat(),
        "allowed": decision.allowed,
        "reasons": [str(r) for r in decision.reasons],
        "next_allowed_at": None if when is None else when.astimezone(UTC).isoformat(),
        "profile": decision.profile,
        "portfolio": None if contact.portfolio is None else contact.portfolio.model_dump(),
        "rules_version": decision.rules_version,
        "channel": contact.channel,
        "to": contact.to,
        "on_request": on_request,
        # Where the debtor could be then: a later move must not make yesterday's call
        # look made at the wrong hour in QA's replay (qa.audit).
        "addresses": [a.model_dump(mode="json") for a in contact.debtor.addresses],
    }


def record_decision(
    attempt: ContactAttempt, decision: Decision, contact: Contact, at: datetime
) -> ContactAttempt:
    """Stores the decision on the attempt (not committed: the caller owns the transaction)."""
    attempt.compliance = decision_record(decision, contact, at)
    return attempt


def portfolio_profile(portfolio: Portfolio) -> Profile:
    """The profile a portfolio is worked under, with its client's tightenings."""
    overrides = portfolio.compliance_overrides
    rules = PortfolioRules.model_validate(overrides) if overrides else None
    return resolve(portfolio.calling_profile, rules)


def hopper_columns(
    session: Session, portfolio: Portfolio, accounts: Sequence[Account], at: datetime
) -> tuple[list[int], HopperColumns, Profile]:
    """Columns for the batch decision over a portfolio's candidate accounts (the dialer picks
    the candidates; this decides them). Returns the account ids in row order, the columns and
    the portfolio's profile; accounts whose debtor has no phone are left out."""
    strays = [a.id for a in accounts if a.portfolio_id != portfolio.id]
    if strays:
        raise ValueError(f"accounts: {strays} are not in portfolio {portfolio.id}")
    profile = portfolio_profile(portfolio)
    contacts = load_contacts(session, accounts, "call", at)
    return list(contacts), columns_from_contacts(list(contacts.values()), profile), profile
