"""The QA reviewer's list of recent dispositioned calls, one plain row each.

Calls come from two places: the dialer and the console store a compliance decision on every
attempt they make, but history imported with a placement (or seeded for a demo) carries none.
A reviewer must see that difference in words ("no decision recorded"), not a blank, and one
such row must never take the whole page down.

Recordings are MixMonitor's WAVs, one per answered call, named by the call's ChannelId. The
attempt stores the path as Asterisk sees it; the console reads the same file name in
`Settings.recordings_dir`, where this machine sees that directory, and nothing outside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from console.services.access import may_see
from core.amounts import money
from core.models import (
    Account,
    Client,
    ContactAttempt,
    DispositionCode,
    PaymentPlan,
    PlanInstallment,
    PromiseToPay,
    User,
)
from qa.models import CallReview

RECENT = 50
NO_DECISION = "no decision recorded"
CALL_IN = "call in: the debtor called us (no limit on calling applies)"


@dataclass(frozen=True)
class ReviewRow:
    attempt_id: int
    started_at: datetime
    agent: str
    account_id: int
    client: str
    code: str
    script: str
    path: str
    compliance: str
    refused: bool
    recorded: bool
    score: float | None = None  # the QA scorecard's percent, once reviewed


def compliance_verdict(record: Mapping[str, Any]) -> tuple[str, bool]:
    """("allowed" | "allowed: the debtor asked for this call" | "refused: reasons" |
    NO_DECISION, refused?) for a stored decision record (compliance.store.decision_record); an
    empty or partial record is history with none."""
    allowed = record.get("allowed")
    if not isinstance(allowed, bool):
        return NO_DECISION, False
    if allowed and record.get("on_request"):
        return "allowed: the debtor asked for this call", False
    if allowed:
        return "allowed", False
    reasons = [str(r) for r in record.get("reasons") or []]
    return "refused: " + ("; ".join(reasons) or "no reason stored"), True


def script_label(attempt: ContactAttempt) -> str:
    if not attempt.script_name:
        return "—"
    if not attempt.script_version:
        return attempt.script_name
    return f"{attempt.script_name}@{attempt.script_version}"


# User and CallReview come from outer joins: None when the dialer ended it or none scored it.
Calls = sa.Select[ContactAttempt, DispositionCode, User, Client, CallReview]


def _rows(db: Session, query: Calls) -> list[ReviewRow]:
    rows = []
    for attempt, code, agent, client, review in db.execute(query).all():
        verdict, refused = compliance_verdict(attempt.compliance or {})
        if attempt.direction == "inbound":  # the debtor called: no limit on calling applied
            verdict, refused = CALL_IN, False
        rows.append(
            ReviewRow(
                attempt_id=attempt.id or 0,
                started_at=attempt.started_at,
                agent=agent.username if agent is not None else "dialer",
                account_id=attempt.account_id,
                client=client.name,
                code=code.code,
                script=script_label(attempt),
                path=" › ".join(attempt.script_path) if attempt.script_path else "—",
                compliance=verdict,
                refused=refused,
                recorded=bool(attempt.recording_ref),
                score=None if review is None else review.percent,
            )
        )
    return rows


def _calls() -> Calls:
    """Dispositioned attempts with their code, agent, client and QA review (if any)."""
    return (
        sa.select(ContactAttempt, DispositionCode, User, Client, CallReview)
        .join(DispositionCode, col(DispositionCode.id) == col(ContactAttempt.disposition_code_id))
        .join(Client, col(Client.id) == col(DispositionCode.client_id))
        .outerjoin(User, col(User.id) == col(ContactAttempt.agent_id))
        .outerjoin(CallReview, col(CallReview.attempt_id) == col(ContactAttempt.id))
    )


def recent_calls(db: Session, client_id: int | None, limit: int = RECENT) -> list[ReviewRow]:
    """The latest dispositioned attempts, newest first; only `client_id`'s when the reviewer
    is bound to one client."""
    query = _calls().order_by(col(ContactAttempt.started_at).desc(), col(ContactAttempt.id).desc())
    if client_id is not None:
        query = query.where(col(DispositionCode.client_id) == client_id)
    return _rows(db, query.limit(limit))


def rows_for(db: Session, attempt_ids: list[int]) -> list[ReviewRow]:
    """The rows of these attempts, in the order given."""
    found = {
        r.attempt_id: r for r in _rows(db, _calls().where(col(ContactAttempt.id).in_(attempt_ids)))
    }
    return [found[a] for a in attempt_ids if a in found]


def may_see_call(db: Session, user: User, attempt_id: int) -> ContactAttempt | None:
    """The call, if `user` may see its account; None for another tenant's, as for a call that
    does not exist (console.services.access: a guessed URL confirms nothing)."""
    attempt = db.get(ContactAttempt, attempt_id)
    account = None if attempt is None else db.get(Account, attempt.account_id)
    return attempt if account is not None and may_see(db, user, account) else None


class RecordingUnavailable(LookupError):
    """No recording to play; the message says why in the reviewer's words."""


def recording_file(db: Session, user: User, attempt_id: int, recordings_dir: Path) -> Path:
    """The WAV of call `attempt_id`, if `user` may see its account and the file is there.

    A call of another tenant is reported as missing, like its account (console.services.access).
    """
    attempt = may_see_call(db, user, attempt_id)
    if attempt is None:
        raise RecordingUnavailable("No such call.")
    return recording_path(recordings_dir, attempt.recording_ref)


def recording_path(
    recordings_dir: Path,
    recording_ref: str,
    none: str = "This call has no recording: it was not answered here.",
) -> Path:
    """Where this machine reads a stored recording: only the stored path's file name is used, so
    a stored path can never reach outside `recordings_dir`. RecordingUnavailable says why not
    (`none` when nothing was stored)."""
    if not recording_ref:
        raise RecordingUnavailable(none)
    name = PurePosixPath(recording_ref).name
    path = recordings_dir / name
    if not name.endswith(".wav") or not path.is_file():
        raise RecordingUnavailable(
            f"The recording {name} is not in the recordings directory; an admin should check "
            "that CONCORD_RECORDINGS_DIR points at the PBX's recordings."
        )
    return path


@dataclass(frozen=True)
class CallRecord:
    """What the call left on file, beside the recording: the scorecard asks whether the agent
    stated the terms and summed up the agreement, which QA can only judge against what was
    stored (the promise or plan as saved, the agent's notes, how long the call lasted)."""

    seconds: int | None
    notes: str
    promise: str
    plan: str
    balance_now: str


def call_record(db: Session, attempt_id: int) -> CallRecord:
    attempt = db.get(ContactAttempt, attempt_id)
    assert attempt is not None  # the caller checked the reviewer may see it
    account = db.get(Account, attempt.account_id)
    currency = account.currency if account is not None else "USD"
    seconds = (
        int((attempt.ended_at - attempt.started_at).total_seconds())
        if attempt.ended_at is not None
        else None
    )
    promise = db.exec(
        select(PromiseToPay).where(PromiseToPay.contact_attempt_id == attempt_id)
    ).first()
    plan = db.exec(select(PaymentPlan).where(PaymentPlan.contact_attempt_id == attempt_id)).first()
    plan_words = ""
    if plan is not None:
        steps = db.exec(
            select(PlanInstallment)
            .where(PlanInstallment.plan_id == plan.id)
            .order_by(col(PlanInstallment.seq))
        ).all()
        schedule = "; ".join(f"{s.due_date} {money(s.amount_minor, currency)}" for s in steps)
        kind = "settlement" if plan.settlement else "plan"
        plan_words = f"{kind} of {money(plan.total_minor, currency)}: {schedule}"
    return CallRecord(
        seconds=seconds,
        notes=attempt.notes,
        promise=(
            f"{money(promise.amount_minor, currency)} by {promise.due_date}"
            if promise is not None
            else ""
        ),
        plan=plan_words,
        balance_now=money(account.balance_minor, currency) if account is not None else "",
    )
