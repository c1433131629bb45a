"""The dialer's database reads and writes. Functions take a Session and never commit: the
service owns each unit of work (see core.db.session_scope).

Attempts are written once per call, keyed by the ChannelId passed to Originate: the row is
created when the call is placed (so a call in flight already counts toward Reg F's 7-in-7) and
settled when it ends; a second settle of the same call, as a reconnect can replay, changes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, and_, func, not_, or_
from sqlalchemy import cast as sa_cast
from sqlmodel import Session, col, select

from core.models import (
    Account,
    Callback,
    Campaign,
    CampaignAgent,
    Client,
    ContactAttempt,
    Debtor,
    DispositionCategory,
    DispositionCode,
    Phone,
    Portfolio,
    Role,
    User,
    utcnow,
)
from core.settings import get_settings
from core.stopped_numbers import in_force, numbers_in_force
from dialer.abandon import WINDOW_DAYS, AbandonLedger
from dialer.adopt import OpenAttempt
from dialer.calls import INBOUND, Call
from dialer.campaigns import CampaignPlan
from dialer.messages import ClientMessage
from dialer.models import PacingMemory, UnmatchedCall
from dialer.worklist import worked

AUTO_DIAL_TYPES = frozenset({"landline", "work"})
# Notes on an attempt Asterisk refused to originate (shutting down, overloaded): it never left
# the PBX, so it neither counts toward 7-in-7 (not_connected) nor delays the account's redial.
REFUSED_NOTE = "originate refused by the PBX"


def active_campaigns(session: Session) -> Sequence[Campaign]:
    return session.exec(select(Campaign).where(col(Campaign.active).is_(True))).all()


def calling_profiles(session: Session, portfolio_ids: Iterable[int]) -> list[str]:
    """The calling profiles (legal regimes) of the given portfolios."""
    query = select(Portfolio.calling_profile).where(col(Portfolio.id).in_(list(portfolio_ids)))
    return sorted(set(session.exec(query).all()))


def auto_dial_allowed(phone: Phone) -> bool:
    """Predictive and progressive dial only landlines or mobiles with consent (TCPA), and no
    number with an extension (the switchboard that answers wants a person asking for it);
    every other number is preview-only, dialled by a person. A number reported wrong is
    neither."""
    return (
        phone.wrong_number_at is None
        and phone.no_calls_at is None
        and not phone.extension
        and (phone.type in AUTO_DIAL_TYPES or phone.consent)
    )


def candidate_page(
    session: Session,
    plan: CampaignPlan,
    at: datetime,
    after: tuple[float, int] | None,
    size: int,
    manual: bool = False,
) -> tuple[list[tuple[Account, Phone]], tuple[float, int] | None]:
    """One page of the campaign's accounts that it works (its filter and the accounts no
    campaign dials, see dialer.worklist), best segment score first (then account id), starting
    after the key `after`; each with the first number the dialler may call automatically (an
    account with none is left out; `manual`: the first number of any type, for a person to
    dial from a preview). Accounts tried within the campaign's retry interval are left out.
    Returns the page and the key the next page starts after, None when this was the last."""
    recent = select(ContactAttempt.account_id).where(
        col(ContactAttempt.started_at) >= at - timedelta(minutes=plan.retry_minutes),
        col(ContactAttempt.notes).not_like(f"{REFUSED_NOTE}%"),
    )
    query = (
        select(Account)
        .where(worked(plan, at.date()))
        .where(col(Account.id).not_in(recent))
        .order_by(col(Account.segment_score).desc(), col(Account.id))
    )
    if after is not None:
        score, account_id = after
        query = query.where(
            or_(
                col(Account.segment_score) < score,
                and_(col(Account.segment_score) == score, col(Account.id) > account_id),
            )
        )
    accounts = session.exec(query.limit(size)).all()
    if not accounts:
        return [], None
    first_phone: dict[int, Phone] = {}
    phones = session.exec(
        select(Phone)
        .where(col(Phone.debtor_id).in_({a.debtor_id for a in accounts}))
        .where(col(Phone.number).not_in(numbers_in_force()))
        .order_by(col(Phone.debtor_id), col(Phone.position), col(Phone.id))
    ).all()
    for phone in phones:
        usable = auto_dial_allowed(phone) or (
            manual and phone.wrong_number_at is None and phone.no_calls_at is None
        )
        if phone.debtor_id not in first_phone and usable:
            first_phone[phone.debtor_id] = phone
    page = [(a, first_phone[a.debtor_id]) for a in accounts if a.debtor_id in first_phone]
    last = accounts[-1]
    return page, ((last.segment_score, last.id or 0) if len(accounts) == size else None)


def due_callbacks(session: Session, campaign_id: int, at: datetime) -> Sequence[Callback]:
    """Pending callbacks of the campaign whose time has come, earliest first."""
    return session.exec(
        select(Callback)
        .where(Callback.campaign_id == campaign_id, Callback.status == "pending")
        .where(col(Callback.due_at) <= at)
        .order_by(col(Callback.due_at))
    ).all()


def callback_number(session: Session, callback: Callback) -> str:
    """The number the agent asked to be called back on, or the debtor's first number (also
    when the asked one went on the do-not-call list since: the debtor still asked for a call,
    and a refusal every tick would keep it waiting for ever)."""
    if callback.phone and callback.phone not in in_force(session, [callback.phone]):
        return callback.phone
    account = session.get(Account, callback.account_id)
    if account is None:
        return ""
    phone = session.exec(
        select(Phone)
        .where(Phone.debtor_id == account.debtor_id, col(Phone.wrong_number_at).is_(None))
        .where(col(Phone.no_calls_at).is_(None))
        .where(col(Phone.number).not_in(numbers_in_force()))
        .order_by(col(Phone.position))
    ).first()
    return phone.number if phone else ""


def close_callback(session: Session, callback_id: int, status: str) -> None:
    callback = session.get(Callback, callback_id)
    if callback is not None and callback.status == "pending":
        callback.status = status
        callback.updated_at = utcnow()
        session.add(callback)


def answered_hours(session: Session, debtor_ids: Iterable[int]) -> dict[int, set[int]]:
    """Hours of day (UTC) at which each debtor had a conversation, for the best-time rank."""
    ids = list(debtor_ids)
    found: dict[int, set[int]] = {}
    if not ids:
        return found
    rows = session.exec(
        select(ContactAttempt.debtor_id, ContactAttempt.started_at).where(
            col(ContactAttempt.debtor_id).in_(ids), ContactAttempt.outcome == "conversation"
        )
    ).all()
    for debtor_id, started in rows:
        found.setdefault(debtor_id, set()).add(started.hour)
    return found


def agent_extensions(session: Session, agent_ids: Iterable[int]) -> dict[int, str]:
    """Each agent's bridge number: the user's extension, or their id when none is set."""
    ids = list(agent_ids)
    users = session.exec(select(User).where(col(User.id).in_(ids))).all() if ids else []
    return {u.id: (u.extension or str(u.id)) for u in users if u.id is not None}


def agents_by_extension(session: Session, extensions: Iterable[str]) -> dict[str, int]:
    """Agent ids by bridge number (the user's extension, or the id itself when none is set)."""
    wanted = set(extensions)
    if not wanted:
        return {}
    ids = [int(e) for e in wanted if e.isdigit()]
    users = session.exec(
        select(User).where(col(User.extension).in_(wanted) | col(User.id).in_(ids))
    ).all()
    found: dict[str, int] = {}
    for user in users:
        bridge = user.extension or str(user.id)
        if bridge in wanted and user.id is not None:
            found[bridge] = user.id
    return found


def open_attempts(session: Session, call_ids: Iterable[str]) -> list[OpenAttempt]:
    """Unsettled call attempts among `call_ids` (calls a previous run left live)."""
    ids = [i for i in call_ids if i]
    if not ids:
        return []
    rows = session.exec(
        select(ContactAttempt).where(
            ContactAttempt.channel == "call",
            ContactAttempt.outcome == "",
            col(ContactAttempt.call_id).in_(ids),
        )
    ).all()
    return [
        OpenAttempt(
            call_id=r.call_id,
            campaign_id=r.campaign_id,
            account_id=r.account_id,
            debtor_id=r.debtor_id,
            number=r.to_address,
            started_at=r.started_at,
            agent_id=r.agent_id,
            decision=dict(r.compliance),
        )
        for r in rows
    ]


def team_lead_of(session: Session, agent_id: int) -> int | None:
    """The team lead a call is transferred to: an active lead of the agent's team."""
    agent = session.get(User, agent_id)
    if agent is None or agent.team_id is None:
        return None
    lead = session.exec(
        select(User).where(
            User.team_id == agent.team_id,
            User.role == Role.TEAM_LEAD.value,
            col(User.is_active).is_(True),
        )
    ).first()
    return lead.id if lead else None


def client_ids(session: Session) -> list[int]:
    return [i for i in session.exec(select(Client.id)).all() if i is not None]


def client_messages(session: Session, client_ids: Iterable[int]) -> dict[int, ClientMessage]:
    """What each client's limited-content message says: business name, callback number and
    the person to ask for (the client's own, else the agency's)."""
    ids = list(client_ids)
    rows = session.exec(select(Client).where(col(Client.id).in_(ids))).all() if ids else []
    agency = get_settings().message_contact_name
    return {
        c.id: ClientMessage(c.id, c.business_name, c.callback_number, c.message_contact or agency)
        for c in rows
        if c.id is not None
    }


def debtor_name(session: Session, debtor_id: int) -> str:
    """The debtor's first and last name as a message says them."""
    debtor = session.get(Debtor, debtor_id)
    return f"{debtor.first_name} {debtor.last_name}".strip() if debtor else ""


def machine_action(session: Session, account_id: int) -> str:
    """What a machine gets on this account's portfolio: voicemail (message) or hangup."""
    account = session.get(Account, account_id)
    portfolio = session.get(Portfolio, account.portfolio_id) if account else None
    return portfolio.machine_action if portfolio else "hangup"


# Attempts are counted per quarter hour in the database, then folded into the campaign's
# calendar days here: every zone's offset is a whole number of quarter hours.
_BUCKET_S = 900
_UTC = ZoneInfo("UTC")


def abandon_ledger(
    session: Session, campaign_id: int, today: date, zone: ZoneInfo = _UTC
) -> AbandonLedger:
    """The campaign's live answers and abandons over the rolling window, from stored attempts."""
    return abandon_days(session, campaign_id, today - timedelta(days=WINDOW_DAYS), zone=zone)


def abandon_days(
    session: Session,
    campaign_id: int,
    first: date,
    before: date | None = None,
    zone: ZoneInfo = _UTC,
) -> AbandonLedger:
    """The campaign's live answers and abandons of its calendar days (in `zone`, its
    schedule's time zone) from `first` (up to, not including, `before`), from stored attempts.

    A connected call its agent dispositioned as no contact (AMD passed an answering machine or
    dead air to the agent) reached no live person, so it is left out: counted, it would lower
    the rate the cap is measured on, in the shop's favour. Every abandon stays counted.

    Counted per quarter hour in the database: the lead page asks every few seconds, and a busy
    campaign has 100,000 live answers in a window (parsing them in Python took seconds); the
    few thousand quarter hours are folded into local days here.
    """
    window: list[ColumnElement[bool]] = [
        col(ContactAttempt.campaign_id) == campaign_id,
        col(ContactAttempt.started_at) >= local_midnight(first, zone),
    ]
    if before is not None:
        window.append(col(ContactAttempt.started_at) < local_midnight(before, zone))
    bucket = _quarter_hour(session)
    rows = session.exec(
        select(bucket, ContactAttempt.outcome, func.count())
        .select_from(ContactAttempt)
        .outerjoin(DispositionCode, col(DispositionCode.id) == ContactAttempt.disposition_code_id)
        .where(
            *window,
            col(ContactAttempt.outcome).in_(("conversation", "abandoned")),
            not_(_reached_no_live_person()),
        )
        .group_by(bucket, ContactAttempt.outcome)
    ).all()
    ledger = AbandonLedger()
    for quarter, outcome, count in rows:
        day = datetime.fromtimestamp(int(quarter) * _BUCKET_S, zone).date()
        ledger.record(day, outcome, count)
    return ledger


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The moment `day` begins in `zone`, in UTC (as attempts are stored)."""
    return datetime.combine(day, datetime.min.time(), zone).astimezone(UTC)


def no_live_person(
    session: Session, campaign_id: int, since: date, zone: ZoneInfo = _UTC
) -> dict[int, date]:
    """Connected calls since `since` that their agent dispositioned as no contact, by attempt
    id, with their calendar day in `zone`: the live answers `abandon_ledger` leaves out, for a
    running dialer to take out of its own ledger as the dispositions arrive."""
    rows = session.exec(
        select(ContactAttempt.id, ContactAttempt.started_at)
        .outerjoin(DispositionCode, col(DispositionCode.id) == ContactAttempt.disposition_code_id)
        .where(
            ContactAttempt.campaign_id == campaign_id,
            col(ContactAttempt.started_at) >= local_midnight(since, zone),
            _reached_no_live_person(),
        )
    ).all()
    return {
        attempt_id or 0: as_utc(started).astimezone(zone).date() for attempt_id, started in rows
    }


def _reached_no_live_person() -> ColumnElement[bool]:
    """A connected call its agent dispositioned as no contact (with DispositionCode joined)."""
    return and_(
        col(ContactAttempt.outcome) == "conversation",
        func.coalesce(col(DispositionCode.category), "") == DispositionCategory.NO_CONTACT,
    )


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; every time the dialer stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _quarter_hour(session: Session) -> ColumnElement[Any]:
    """An attempt's quarter hour since the epoch, as the database computes it: SQLite keeps
    UTC text, PostgreSQL timestamptz (an absolute moment either way)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        return func.floor(func.extract("epoch", col(ContactAttempt.started_at)) / _BUCKET_S)
    # strftime('%s'), not unixepoch(): that one needs SQLite 3.38, newer than some LTS systems.
    seconds = sa_cast(func.strftime("%s", col(ContactAttempt.started_at)), Integer)
    return seconds.op("/")(_BUCKET_S)  # SQLite's own integer division


def pacing_memory(session: Session, campaign_id: int) -> PacingMemory | None:
    """The campaign's stored pacing memory, if a dialer ever saved one."""
    return session.get(PacingMemory, campaign_id)


def keep_pacing_memory(
    session: Session, campaign_id: int, memory: dict[str, Any], at: datetime
) -> None:
    """Stores (or replaces) the campaign's pacing memory as of `at`."""
    row = session.get(PacingMemory, campaign_id)
    if row is None:
        row = PacingMemory(campaign_id=campaign_id, saved_at=at)
    row.saved_at, row.memory, row.updated_at = at, memory, utcnow()
    session.add(row)


def record_placed(session: Session, call: Call, at: datetime, script_name: str = "") -> None:
    """The attempt row of a call just placed, or of a debtor's call in (no campaign: it is no
    live answer of any abandon rate; no dial decision: they called us). A second call with the
    same id changes nothing."""
    if _by_call_id(session, call.call_id) is not None:
        return
    session.add(
        ContactAttempt(
            account_id=call.account_id,
            debtor_id=call.debtor_id,
            channel="call",
            direction="inbound" if call.mode == INBOUND else "outbound",
            to_address=call.number,
            started_at=call.started_at or at,
            campaign_id=call.campaign_id,
            agent_id=call.agent_hint,
            call_id=call.call_id,
            recording_ref=call.recording,
            script_name=script_name,
            compliance=dict(call.decision),
            updated_by="dialer",
        )
    )


def assignments(session: Session) -> dict[int, set[int]]:
    """Each agent's campaigns (CampaignAgent): a call in may go to any of them."""
    found: dict[int, set[int]] = {}
    for campaign_id, user_id in session.exec(
        select(CampaignAgent.campaign_id, CampaignAgent.user_id)
    ):
        found.setdefault(user_id, set()).add(campaign_id)
    return found


def record_unmatched(session: Session, call: Call) -> None:
    """A call in that ended with no account found for its caller, kept once."""
    if session.exec(select(UnmatchedCall).where(UnmatchedCall.call_id == call.call_id)).first():
        return
    session.add(
        UnmatchedCall(
            call_id=call.call_id, number=call.number, started_at=call.started_at or utcnow(),
            ended_at=call.ended_at, outcome=call.outcome, agent_id=call.agent_id,
            recording_ref=call.recording, message_ref=call.message, updated_by="dialer",
        )
    )  # fmt: skip


def unfile_call_in(session: Session, call_id: str) -> bool:
    """Takes a call in off the account it was filed under, as if it had come from a number on
    file for nobody: its attempt row is deleted, and the call is kept again under the account
    the agent finds, or as unmatched. A row the dialer has settled already (the caller hung up
    before the dialer heard the agent) becomes an unmatched call here; one still up is kept so
    by the dialer when it ends. False when there is no such row, or its outcome is saved."""
    row = _by_call_id(session, call_id)
    if row is None or row.direction != "inbound" or row.disposition_code_id:
        return False
    if row.outcome:
        session.add(
            UnmatchedCall(
                call_id=call_id, number=row.to_address, started_at=row.started_at,
                ended_at=row.ended_at, outcome=row.outcome, agent_id=row.agent_id,
                recording_ref=row.recording_ref, message_ref=row.message_ref,
                updated_by="agent",
            )
        )  # fmt: skip
    session.delete(row)
    return True


def record_settled(session: Session, call: Call, notes: str = "") -> ContactAttempt | None:
    """Write a finished call's times, outcome, agent and recording onto its attempt, once.

    Returns the row when this call settled it, None when it was already settled (replay).
    """
    row = _by_call_id(session, call.call_id)
    if row is None:
        raise LookupError(f"no attempt stored for call {call.call_id}")
    if row.outcome:
        return None
    fields: dict[str, Any] = {
        "started_at": call.started_at or row.started_at,
        "ended_at": call.ended_at,
        "outcome": call.outcome,
        # The agent it first joined (record_joined), not a lead it was transferred to.
        "agent_id": row.agent_id if row.agent_id is not None else call.agent_id,
        "recording_ref": call.recording,
        "message_ref": call.message,
        "notes": notes or row.notes,
        "updated_at": utcnow(),
    }
    for name, value in fields.items():
        setattr(row, name, value)
    session.add(row)
    return row


def record_joined(session: Session, call_id: str, agent_id: int) -> None:
    """Name the agent a call joined on its attempt as soon as it joins, not only when it ends:
    a dialer stopped mid-call then knows at its next start whose screen to free."""
    row = _by_call_id(session, call_id)
    if row is not None and not row.outcome:
        row.agent_id, row.updated_at = agent_id, utcnow()
        session.add(row)


@dataclass(frozen=True)
class Orphan:
    """An attempt settled at dialer start, as the screens must hear of it."""

    call_id: str
    attempt_id: int
    account_id: int
    campaign_id: int | None
    agent_id: int | None
    outcome: str


def settle_orphans(session: Session, live: set[str], at: datetime) -> list[Orphan]:
    """Settle attempts a previous dialer run placed and never saw end (it stopped mid-call).

    Their channels are gone. One that had joined an agent (record_joined) was a conversation;
    for the rest nothing says how far they got, so they count as unanswered calls (no_answer,
    which Reg F counts), the side of the rule that cannot under-count. Calls still live on
    Asterisk are left for a later run. Returns what was settled.
    """
    rows = session.exec(
        select(ContactAttempt).where(
            ContactAttempt.channel == "call",
            ContactAttempt.outcome == "",
            ContactAttempt.call_id != "",
        )
    ).all()
    settled = []
    for row in rows:
        if row.call_id in live:
            continue
        row.outcome = "conversation" if row.agent_id is not None else "no_answer"
        row.ended_at, row.updated_at = at, utcnow()
        row.notes = row.notes or "settled at dialer start: the call ended while it was down"
        session.add(row)
        settled.append(
            Orphan(row.call_id, row.id or 0, row.account_id, row.campaign_id, row.agent_id,
                   row.outcome)
        )  # fmt: skip
    return settled


def _by_call_id(session: Session, call_id: str) -> ContactAttempt | None:
    return session.exec(select(ContactAttempt).where(ContactAttempt.call_id == call_id)).first()
