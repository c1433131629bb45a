"""Messages debtors left after calling in when no agent could take them: played where the call
is listed (the lead's missed calls, the account's history, the agent's contact history), so the
person returning the call knows what it is about before dialling. Each play is logged."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, Response

from console.deps import AppSettings, CurrentUser, DbSession, QaUser
from console.logs import log
from console.services import qa_review
from core.models import Role
from dialer.models import UnmatchedCall

router = APIRouter(tags=["messages"])

# Who may hear a debtor's message about an account they may see: the floor, not the client.
_LISTENERS = frozenset({Role.AGENT.value, Role.TEAM_LEAD.value, Role.QA.value, Role.ADMIN.value})
NO_MESSAGE = "This caller left no message."


def wav_response(recordings_dir: Path, ref: str | None, none: str) -> FileResponse:
    """The stored recording `ref` as audio; 404 with the reason in words when there is none
    (`ref` None: no such call, "" : `none`) or its file is not in `recordings_dir`."""
    try:
        if ref is None:
            raise qa_review.RecordingUnavailable("No such call.")
        path = qa_review.recording_path(recordings_dir, ref, none)
    except qa_review.RecordingUnavailable as exc:
        raise HTTPException(404, str(exc)) from None
    return FileResponse(path, media_type="audio/wav")


@router.get("/calls/{attempt_id}/message")
def call_message(
    attempt_id: int, user: CurrentUser, db: DbSession, settings: AppSettings
) -> Response:
    """The message left on a missed call in, for anyone on the floor who may see its account."""
    if user.role not in _LISTENERS:
        raise HTTPException(403, "Your role does not give access to this page.")
    attempt = qa_review.may_see_call(db, user, attempt_id)
    ref = None if attempt is None else attempt.message_ref
    response = wav_response(settings.recordings_dir, ref, NO_MESSAGE)
    log.info("message_played", user_id=user.id, attempt_id=attempt_id)
    return response


@router.get("/calls-in/{unmatched_id}/message")
def unmatched_message(
    unmatched_id: int, user: QaUser, db: DbSession, settings: AppSettings
) -> Response:
    """The message left by a caller whose number matched no account (listed for leads)."""
    call = db.get(UnmatchedCall, unmatched_id)
    ref = None if call is None else call.message_ref
    response = wav_response(settings.recordings_dir, ref, NO_MESSAGE)
    log.info("message_played", user_id=user.id, unmatched_call_id=unmatched_id)
    return response
