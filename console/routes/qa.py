"""QA's pages: the week's sample to score, recent calls, a call's scorecard, its recording,
and the automated audit of the contact log (qa.audit).

Thin: the rows, the sample and the scores are console.services.qa_review and qa_scoring's;
the scorecard itself is qa.scorecard's, the audit qa.audit_store's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response

from console.deps import AppSettings, CsrfChecked, DbSession, Now, QaUser, Templates
from console.logs import log
from console.routes.messages import wav_response
from console.services import qa_review, qa_scoring
from core.models import User
from dialer.models import UnmatchedCall
from qa.audit import KIND_WORDS, Kind
from qa.audit_store import audit, contacts_in
from qa.scorecard import CRITERIA, ScorecardError

router = APIRouter(tags=["qa"])
SCORES_OVER = timedelta(days=30)
AUDIT_PERIODS = (1, 7, 30)
# The most contacts the page replays while a reviewer waits: about 25 s at the 4,000 contacts
# a second `concord bench qa_audit` measures; a busier period is the command's to run.
AUDIT_PAGE_LIMIT = 100_000


@router.get("/qa")
def qa_page(
    request: Request,
    user: QaUser,
    db: DbSession,
    templates: Templates,
    now: Now,
    settings: AppSettings,
) -> Response:
    """This week's sample to score, each agent's scores, and the latest dispositioned calls."""
    context = {
        "user": user,
        "sample": qa_scoring.weekly_sample(db, user.client_id, now, settings.floor_timezone),
        "scores": qa_scoring.agent_scores(db, user.client_id, now - SCORES_OVER),
        "rows": qa_review.recent_calls(db, user.client_id),
        "csrf": request.session.get("csrf", ""),
    }
    return templates.TemplateResponse(request, "qa.html", context)


@router.get("/qa/audit")
def audit_page(
    request: Request, user: QaUser, db: DbSession, templates: Templates, now: Now, days: int = 1
) -> Response:
    """Every contact of the last 1, 7 or 30 days checked against the whole contact log
    (qa.audit), per portfolio; a reviewer bound to a client sees only that client's."""
    if days not in AUDIT_PERIODS:
        periods = ", ".join(map(str, AUDIT_PERIODS))
        raise HTTPException(400, f"days: {days} is not a period of the audit ({periods})")
    start = now - timedelta(days=days)
    held = contacts_in(db, start, now, user.client_id)
    context = {
        "user": user,
        "report": None if held > AUDIT_PAGE_LIMIT else audit(db, start, now, user.client_id),
        "held": held,
        "limit": AUDIT_PAGE_LIMIT,
        "days": days,
        "periods": AUDIT_PERIODS,
        "kinds": [(kind, KIND_WORDS[kind]) for kind in Kind],
    }
    return templates.TemplateResponse(request, "qa_audit.html", context)


def _call_context(db: DbSession, user: User, attempt_id: int) -> dict[str, Any]:
    rows = qa_review.rows_for(db, [attempt_id])
    if not rows or qa_review.may_see_call(db, user, attempt_id) is None:
        raise HTTPException(404, "No such call.")
    review = qa_scoring.review_of(db, attempt_id)
    record = qa_review.call_record(db, attempt_id)
    return {"user": user, "row": rows[0], "review": review, "criteria": CRITERIA, "record": record}


@router.get("/qa/calls/{attempt_id}")
def call_review(
    request: Request, attempt_id: int, user: QaUser, db: DbSession, templates: Templates
) -> Response:
    """One call with its recording and the scorecard, filled in if it was scored."""
    context = _call_context(db, user, attempt_id)
    context["csrf"] = request.session.get("csrf", "")
    return templates.TemplateResponse(request, "qa_call.html", context)


@router.post("/qa/calls/{attempt_id}/review", dependencies=[CsrfChecked])
async def save_review(
    request: Request, attempt_id: int, user: QaUser, db: DbSession, templates: Templates, now: Now
) -> Response:
    """Score the call: met, not met or did not arise per criterion, and notes. The form is
    read here; the database work runs in the threadpool like every other route's."""
    form = await request.form()
    answered = {c.code: form.get(c.code) for c in CRITERIA}
    read = {"yes": True, "no": False, "na": None}
    marks = {code: read[str(said)] for code, said in answered.items() if said in read}
    notes = str(form.get("notes") or "")
    csrf = request.session.get("csrf", "")

    def store() -> Response:
        try:
            result = qa_scoring.save_review(db, user, attempt_id, marks, notes, now)
        except qa_scoring.ReviewRefused as exc:
            raise HTTPException(404, str(exc)) from None
        except ScorecardError as exc:
            context = _call_context(db, user, attempt_id)
            context.update(csrf=csrf, error=str(exc), marks=marks, notes=notes)
            return templates.TemplateResponse(request, "qa_call.html", context, status_code=400)
        db.commit()
        log.info("call_scored", user_id=user.id, attempt_id=attempt_id, percent=result.percent)
        return RedirectResponse(f"/qa#call-{attempt_id}", status_code=303)

    return await run_in_threadpool(store)


@router.get("/qa/calls/{attempt_id}/recording")
def call_recording(attempt_id: int, user: QaUser, db: DbSession, settings: AppSettings) -> Response:
    """The call's recording for a reviewer; each play is logged (who listened to which call)."""
    try:
        path = qa_review.recording_file(db, user, attempt_id, settings.recordings_dir)
    except qa_review.RecordingUnavailable as exc:
        raise HTTPException(404, str(exc)) from None
    log.info("recording_played", user_id=user.id, attempt_id=attempt_id)
    return FileResponse(path, media_type="audio/wav")


@router.get("/qa/calls-in/{unmatched_id}/recording")
def unmatched_recording(
    unmatched_id: int, user: QaUser, db: DbSession, settings: AppSettings
) -> Response:
    """The recording of a call in whose caller no account matched (listed on the lead's page):
    the only record of what a stranger, or a debtor we failed to find, said to the agent."""
    call = db.get(UnmatchedCall, unmatched_id)
    ref = None if call is None else call.recording_ref
    response = wav_response(
        settings.recordings_dir, ref, "This call has no recording: it was not answered here."
    )
    log.info("recording_played", user_id=user.id, unmatched_call_id=unmatched_id)
    return response
