"""Database side of QA's automated checks: loads a period's contact log, runs qa.audit over it
and returns what a compliance officer reads, per portfolio and per finding.

Accounts are audited in batches: a batch's attempts and contacts are loaded together (one query
per table, compliance.store), checked and dropped before the next, so a month of a busy floor
never sits in memory at once. Read-only; never commits.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast, get_args
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from compliance.contact import Channel
from compliance.engine import situation
from compliance.reasons import explain
from compliance.store import HISTORY_DAYS, first_conversations, load_contacts
from compliance.validation import applies_to
from core.models import (
    Account,
    Campaign,
    Client,
    ContactAttempt,
    HoldChange,
    Phone,
    Portfolio,
    StoppedNumber,
    User,
)
from core.stopped_numbers import stopped_at
from dialer.abandon import WINDOW_DAYS
from dialer.campaigns import campaign_zone
from dialer.store import abandon_days
from qa.audit import (
    KIND_WORDS,
    AbandonDay,
    Finding,
    HoldSpan,
    Kind,
    Logged,
    abandon_days_over,
    check_contact,
    hold_spans,
)

BATCH = 500  # accounts per batch: bounded memory, and IN (...) lists every backend takes
SHOWN = 500  # findings the page lists in full; the tallies count them all
CHANNELS = frozenset(get_args(Channel))
SEVERITY = {kind: rank for rank, kind in enumerate(Kind)}


@dataclass
class PortfolioTally:
    client: str
    portfolio: str
    contacts: int = 0
    #: Contacts not replayed: the debtor has no phone or email left on file to place them by.
    unchecked: int = 0
    findings: Counter[Kind] = field(default_factory=Counter)


@dataclass(frozen=True)
class FindingRow:
    attempt_id: int
    at: datetime
    client: str
    portfolio: str
    account_id: int
    channel: str
    to: str
    agent: str
    #: The contact's instant where the debtor lives (their first address's zone).
    local: datetime
    kind: Kind
    #: Each reason as the engine's code and the sentence an officer reads.
    reasons: tuple[tuple[str, str], ...]

    @property
    def what(self) -> str:
        return KIND_WORDS[self.kind]


@dataclass(frozen=True)
class CampaignOver:
    campaign: str
    client: str
    days: list[AbandonDay]


@dataclass
class AuditReport:
    start: datetime
    end: datetime
    portfolios: list[PortfolioTally]
    findings: list[FindingRow]  # the `shown` most serious, then oldest, first
    total_findings: int
    campaigns_over: list[CampaignOver]

    @property
    def contacts(self) -> int:
        return sum(p.contacts for p in self.portfolios)


def _words(code: str) -> str:
    try:
        return explain(code)
    except ValueError:  # a code no longer known to this version: show it as stored
        return code


def _in_period(
    query: SelectOfScalar[Any], start: datetime, end: datetime, client_id: int | None
) -> SelectOfScalar[Any]:
    """`query` over ContactAttempt narrowed to the period's outbound contacts (of a client)."""
    query = query.where(
        col(ContactAttempt.started_at) >= start,
        col(ContactAttempt.started_at) < end,
        col(ContactAttempt.direction) == "outbound",
    )
    if client_id is not None:
        query = query.join(Account, col(Account.id) == col(ContactAttempt.account_id)).where(
            col(Account.client_id) == client_id
        )
    return query


def contacts_in(session: Session, start: datetime, end: datetime, client_id: int | None) -> int:
    """How many outbound contacts the period holds: what an audit of it would replay."""
    query = select(func.count()).select_from(ContactAttempt)
    return int(session.exec(_in_period(query, start, end, client_id)).one())


def _account_ids(
    session: Session, start: datetime, end: datetime, client_id: int | None
) -> list[int]:
    query = select(ContactAttempt.account_id).distinct()
    return sorted(session.exec(_in_period(query, start, end, client_id)))


def _batches(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for first in range(0, len(ids), BATCH):
        yield ids[first : first + BATCH]


def _attempts_of(ids: Sequence[int], start: datetime, end: datetime) -> sa.Select[Any]:
    """The period's outbound attempts of these accounts, oldest first: only the columns the
    audit reads (whole rows would also parse every script path)."""
    a = ContactAttempt
    read = (
        "id account_id agent_id channel to_address started_at compliance call_id outcome"
        " recording_ref"
    )
    return (
        sa.select(*(col(getattr(a, name)) for name in read.split()))
        .where(
            col(a.account_id).in_(ids),
            col(a.started_at) >= start,
            col(a.started_at) < end,
            col(a.direction) == "outbound",
        )
        .order_by(col(a.started_at), col(a.id))
    )


def _names(
    session: Session,
) -> tuple[dict[int, str], dict[int, tuple[str, str]], dict[int, str], set[int]]:
    """Client names, (client, portfolio) names and usernames by id, and the portfolios whose
    debts owe a validation notice: small tables, read once."""
    clients = {c.id or 0: c.name for c in session.exec(select(Client))}
    rows = list(session.exec(select(Portfolio)))
    portfolios = {p.id or 0: (clients.get(p.client_id, "?"), p.name) for p in rows}
    users = {u.id or 0: u.username for u in session.exec(select(User))}
    return clients, portfolios, users, {p.id or 0 for p in rows if applies_to(p.calling_profile)}


def audit(
    session: Session,
    start: datetime,
    end: datetime,
    client_id: int | None,
    shown: int = SHOWN,
) -> AuditReport:
    """Every outbound contact made in [start, end), of `client_id`'s accounts when given,
    checked by qa.audit; and the campaigns whose 30-day abandon rate ended a day over target.
    The `shown` most serious findings are kept in full; all are counted."""
    clients, portfolios, users, us = _names(session)
    tallies: dict[int, PortfolioTally] = {}
    rows: list[FindingRow] = []
    total = 0
    for ids in _batches(_account_ids(session, start, end, client_id)):
        accounts = list(session.exec(select(Account).where(col(Account.id).in_(ids))))
        # One contact per account serves every channel: the replay swaps in the channel and
        # address each attempt used. A debtor with no phone is loaded by their email.
        since = start - timedelta(days=HISTORY_DAYS)
        contacts = load_contacts(session, accounts, "call", end, history_since=since)
        no_phone = [a for a in accounts if a.id not in contacts]
        if no_phone:
            contacts |= load_contacts(session, no_phone, "email", end, history_since=since)
        by_id = {a.id or 0: a for a in accounts}
        firsts = first_conversations(session, [i for i in ids if by_id[i].portfolio_id in us])
        held = _holds(session, accounts)
        stops = number_stops(session, {a.debtor_id for a in accounts})
        listed_numbers = _list_entries(session)
        for attempt in session.execute(_attempts_of(ids, start, end)):
            account_id, agent_id = attempt.account_id, attempt.agent_id
            account = by_id[account_id]
            tally = tallies.get(account.portfolio_id)
            if tally is None:
                client, name = portfolios.get(account.portfolio_id, ("?", "?"))
                tally = tallies[account.portfolio_id] = PortfolioTally(client, name)
            tally.contacts += 1
            contact = contacts.get(account_id)
            stopped = stops.get((account.debtor_id, attempt.to_address))
            on_list = (
                stopped_at(listed_numbers.get(attempt.to_address, ()), attempt.started_at)
                if attempt.channel in ("call", "sms")
                else None
            )
            row_stop = stopped is not None and stopped_for(
                stopped, attempt.channel, attempt.started_at
            )
            if on_list is not None or row_stop:
                # a number retired (wrong number), asked not to be called (said to an agent) or
                # on the do-not-call list before this contact: its phone row is gone from the
                # replay's contact, which then counted the call "not replayed", not a breach
                home = situation(contact, attempt.started_at).home if contact else "UTC"
                why = stopped_reason(stopped) if stopped and row_stop else "stopped_number"
                found = Finding(attempt.id, Kind.BREACH, (why,), home)
                logged = Logged(attempt.id, cast(Channel, attempt.channel), attempt.to_address,
                                attempt.started_at, attempt.compliance or {})  # fmt: skip
                tally.findings[found.kind] += 1
                total += 1
                rows.append(_row(found, logged, account_id, _by(users, agent_id, logged), tally))
                continue
            if contact is None or attempt.channel not in CHANNELS:
                tally.unchecked += 1
                continue
            logged = Logged(
                attempt_id=attempt.id,
                channel=cast(Channel, attempt.channel),
                to=attempt.to_address or contact.to,
                at=attempt.started_at,
                decision=attempt.compliance or {},
                call_id=attempt.call_id,
                outcome=attempt.outcome,
                recorded=bool(attempt.recording_ref),
            )
            notice_on = account.validation_notice_on
            first = firsts.get(account_id)
            spans = held.get(account_id, ())
            for finding in check_contact(contact, logged, first, notice_on, spans):
                tally.findings[finding.kind] += 1
                total += 1
                rows.append(_row(finding, logged, account_id, _by(users, agent_id, logged), tally))
                if len(rows) > 4 * shown:
                    rows = _most_serious(rows, shown)
    rows = _most_serious(rows, shown)
    ordered = sorted(tallies.values(), key=lambda t: (t.client, t.portfolio))
    over = _campaigns_over(session, start, end, client_id, clients)
    return AuditReport(start, end, ordered, rows, total, over)


def number_stops(
    session: Session, debtor_ids: Iterable[int]
) -> dict[tuple[int, str], tuple[datetime | None, datetime | None]]:
    """(wrong number since, no calls since) per debtor and number, for numbers with either."""
    ids = list(debtor_ids)
    stops: dict[tuple[int, str], tuple[datetime | None, datetime | None]] = {}
    query = select(Phone).where(
        col(Phone.debtor_id).in_(ids),
        sa.or_(col(Phone.wrong_number_at).is_not(None), col(Phone.no_calls_at).is_not(None)),
    )
    for phone in session.exec(query).all():
        stops[(phone.debtor_id, phone.number)] = (phone.wrong_number_at, phone.no_calls_at)
    return stops


def _list_entries(session: Session) -> dict[str, list[StoppedNumber]]:
    """Every entry the do-not-call list ever had, lifted ones too, by number."""
    entries: dict[str, list[StoppedNumber]] = defaultdict(list)
    for entry in session.exec(select(StoppedNumber)).all():
        entries[entry.number].append(entry)
    return entries


def stopped_for(stop: tuple[datetime | None, datetime | None], channel: str, at: datetime) -> bool:
    """A wrong number takes no call or text from its date; a no-calls request no call."""
    wrong, no_calls = stop
    return (wrong is not None and wrong <= at) or (
        channel == "call" and no_calls is not None and no_calls <= at
    )


def stopped_reason(stop: tuple[datetime | None, datetime | None]) -> str:
    return "wrong_number" if stop[0] is not None else "no_calls_here"


def _holds(session: Session, accounts: Sequence[Account]) -> dict[int, list[HoldSpan]]:
    """Each account's hold spans from the hold history: its own, and its debtor's, which were
    recorded on whichever of the debtor's accounts they were set through."""
    debtors = {a.debtor_id for a in accounts}
    siblings = session.exec(
        select(Account.id, Account.debtor_id).where(col(Account.debtor_id).in_(debtors))
    ).all()
    debtor_of = {account_id or 0: debtor_id for account_id, debtor_id in siblings}
    changes = session.exec(
        select(HoldChange)
        .where(col(HoldChange.account_id).in_(list(debtor_of)))
        .order_by(col(HoldChange.at), col(HoldChange.id))
    ).all()
    own: dict[int, list[tuple[str, str, datetime]]] = {}
    person: dict[int, list[tuple[str, str, datetime]]] = {}
    for change in changes:
        step = (change.hold, change.action, change.at)
        if change.level == "debtor":
            person.setdefault(debtor_of[change.account_id], []).append(step)
        else:
            own.setdefault(change.account_id, []).append(step)
    return {
        a.id or 0: hold_spans(own.get(a.id or 0, [])) + hold_spans(person.get(a.debtor_id, []))
        for a in accounts
    }


def _by(users: dict[int, str], agent_id: int | None, logged: Logged) -> str:
    """Who made the contact: the agent, else the dialer (a PBX call) or the follow-up worker."""
    if agent_id in users:
        return users[agent_id]
    if logged.channel != "call":
        return "follow-up worker"
    return "dialer" if logged.call_id else "—"


def _most_serious(rows: list[FindingRow], shown: int) -> list[FindingRow]:
    """The `shown` findings an officer reads first: the most serious kind, then the oldest."""
    return sorted(rows, key=lambda r: (SEVERITY[r.kind], r.at, r.attempt_id))[:shown]


def _row(
    finding: Finding, logged: Logged, account_id: int, agent: str, tally: PortfolioTally
) -> FindingRow:
    return FindingRow(
        attempt_id=finding.attempt_id,
        at=logged.at,
        client=tally.client,
        portfolio=tally.portfolio,
        account_id=account_id,
        channel=logged.channel,
        to=logged.to,
        agent=agent,
        local=logged.at.astimezone(ZoneInfo(finding.home_zone)),
        kind=finding.kind,
        reasons=tuple((code, _words(code)) for code in finding.reasons),
    )


def _campaigns_over(
    session: Session, start: datetime, end: datetime, client_id: int | None, clients: dict[int, str]
) -> list[CampaignOver]:
    """Campaigns with a day in the period whose rolling 30-day abandon rate passed its target."""
    query = select(Campaign)
    if client_id is not None:
        query = query.where(col(Campaign.client_id) == client_id)
    found = []
    for campaign in session.exec(query.order_by(col(Campaign.name))):
        zone = campaign_zone(campaign.schedule)  # the campaign's days, as its dialer counts them
        first = start.astimezone(zone).date()
        last = (end - timedelta(microseconds=1)).astimezone(zone).date()
        ledger = abandon_days(
            session,
            campaign.id or 0,
            first - timedelta(days=WINDOW_DAYS - 1),
            last + timedelta(days=1),
            zone=zone,
        )
        days = abandon_days_over(ledger, first, last, campaign.abandon_target)
        if days:
            found.append(CampaignOver(campaign.name, clients.get(campaign.client_id, "?"), days))
    return found
