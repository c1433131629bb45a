"""QA's week: the sample of recorded conversations to score, the scorecards, and the averages.

The sample is qa.sampling's draw over this ISO week's recorded conversations, per agent, seeded
by the week, so every reviewer sees the same calls all week and a scored call stays in the list
with its score. Scores follow qa.scorecard. A reviewer bound to one client samples and scores
only that client's calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from compliance.calls import day_start, local_day
from console.services.qa_review import ReviewRow, may_see_call, rows_for
from core.models import ContactAttempt, DispositionCategory, DispositionCode, Role, User
from core.sensitive import refusal
from qa.models import CallReview
from qa.sampling import Candidate, sample
from qa.scorecard import Score, score

PER_AGENT = 5


class ReviewRefused(LookupError):
    """The call cannot be scored by this reviewer; the message says why."""


def week_start(now: datetime, floor_zone: str) -> datetime:
    """Monday 00:00 of `now`'s week on the floor's clock, as a UTC instant: a Sunday-evening
    call on an Eastern floor belongs to the week it was made in, not to Monday's UTC week."""
    today = local_day(now, floor_zone)
    return day_start(today - timedelta(days=today.weekday()), floor_zone)


def weekly_sample(
    db: Session,
    client_id: int | None,
    now: datetime,
    floor_zone: str,
    per_agent: int = PER_AGENT,
) -> list[ReviewRow]:
    """This week's calls to score: up to `per_agent` recorded conversations per agent."""
    query = (
        select(ContactAttempt.id, ContactAttempt.agent_id)
        .join(DispositionCode, col(DispositionCode.id) == col(ContactAttempt.disposition_code_id))
        .where(
            col(ContactAttempt.started_at) >= week_start(now, floor_zone),
            ContactAttempt.outcome == "conversation",
            ContactAttempt.recording_ref != "",
            col(ContactAttempt.agent_id).is_not(None),
            # A hello and a hang-up the agent marked "no answer" has nothing to score.
            DispositionCode.category != DispositionCategory.NO_CONTACT.value,
        )
    )
    if client_id is not None:
        query = query.where(DispositionCode.client_id == client_id)
    candidates = [Candidate(a, agent) for a, agent in db.exec(query) if a and agent]
    ids = [c.attempt_id for c in candidates]
    reviewed = set(
        db.exec(select(CallReview.attempt_id).where(col(CallReview.attempt_id).in_(ids)))
    )
    year, week, _ = local_day(now, floor_zone).isocalendar()
    chosen = sample(candidates, per_agent, f"{year}-W{week:02d}", reviewed)
    return rows_for(db, chosen)


def review_of(db: Session, attempt_id: int) -> CallReview | None:
    return db.exec(select(CallReview).where(CallReview.attempt_id == attempt_id)).first()


def save_review(
    db: Session,
    reviewer: User,
    attempt_id: int,
    marks: Mapping[str, bool | None],
    notes: str,
    now: datetime,
) -> Score:
    """Scores the call (qa.scorecard raises ScorecardError naming a criterion) and stores the
    review, replacing an earlier one; not committed: the caller owns the transaction."""
    attempt = may_see_call(db, reviewer, attempt_id)
    if attempt is None:
        raise ReviewRefused("No such call.")
    if not attempt.recording_ref:
        raise ReviewRefused("This call has no recording to score.")
    sensitive = refusal(notes, "the review notes")
    if sensitive:
        raise ReviewRefused(sensitive)
    result = score(marks)
    earlier = review_of(db, attempt_id)
    if earlier is not None and reviewer.role == Role.TEAM_LEAD.value:
        scorer = db.get(User, earlier.reviewer_id)
        if scorer is not None and scorer.role in (Role.QA.value, Role.ADMIN.value):
            # A lead rescoring their own agents' call erased QA's fatal finding, no trace.
            raise ReviewRefused(
                f"QA ({scorer.username}) scored this call: a team lead may not replace that "
                "score. Ask QA to review it again."
            )
    review = earlier or CallReview(
        attempt_id=attempt_id, reviewer_id=reviewer.id or 0, percent=0.0, created_at=now
    )
    review.reviewer_id, review.agent_id = reviewer.id or 0, attempt.agent_id
    review.marks, review.notes = dict(marks), notes.strip()[:2000]
    review.percent, review.fatal_missed = result.percent, list(result.fatal_missed)
    review.updated_at, review.updated_by = now, reviewer.username
    db.add(review)
    return result


@dataclass(frozen=True)
class AgentScore:
    agent: str
    reviews: int
    average: float
    failed: int  # reviews with a fatal criterion missed


def agent_scores(db: Session, client_id: int | None, since: datetime) -> list[AgentScore]:
    """Per agent, the reviews of calls made since `since`: how many, the average, the fails."""
    query = (
        select(User.username, CallReview.percent, CallReview.fatal_missed)
        .join(User, col(User.id) == col(CallReview.agent_id))
        .join(ContactAttempt, col(ContactAttempt.id) == col(CallReview.attempt_id))
        .where(col(ContactAttempt.started_at) >= since)
    )
    if client_id is not None:
        query = query.join(
            DispositionCode, col(DispositionCode.id) == col(ContactAttempt.disposition_code_id)
        ).where(DispositionCode.client_id == client_id)
    scores: dict[str, list[tuple[float, bool]]] = {}
    for username, percent, fatal in db.exec(query):
        scores.setdefault(username, []).append((percent, bool(fatal)))
    return [
        AgentScore(
            name,
            len(marks),
            sum(p for p, _ in marks) / len(marks),
            sum(1 for _, fail in marks if fail),
        )
        for name, marks in sorted(scores.items())
    ]
