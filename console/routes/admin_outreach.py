"""The admin's list of follow-up sends that used up their retries, with a retry per send.

RQ keeps these in its failed registry; outreach.queueing reads and requeues them, so this route
only renders what it is given and reports what a retry did.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from rq import Queue
from rq.exceptions import InvalidJobOperation, NoSuchJobError

from console.deps import AdminUser, CsrfChecked, Templates
from console.htmx import page_or_block
from console.logs import log
from outreach.queueing import failed_sends, retry_failed

router = APIRouter(prefix="/admin", tags=["admin"])


def _queue(request: Request) -> Queue:
    queue: Queue = request.app.state.outreach.queue
    return queue


def _context(request: Request, user: object, notice: str = "", error: str = "") -> dict[str, Any]:
    return {
        "user": user,
        "failed": failed_sends(_queue(request)),
        "notice": notice,
        "error": error,
        "csrf": request.session.get("csrf", ""),
    }


@router.get("/outreach")
def failed_followups(request: Request, user: AdminUser, templates: Templates) -> Response:
    context = _context(request, user)
    return page_or_block(templates, request, "admin_outreach.html", context, "failed")


@router.post("/outreach/retry", dependencies=[CsrfChecked])
def retry_followup(
    request: Request,
    user: AdminUser,
    templates: Templates,
    job_id: Annotated[str, Form()] = "",
) -> Response:
    """Requeue one failed send; a send already retried (by another admin, say) is reported, not
    treated as an error page, so the list simply refreshes."""
    notice = error = ""
    try:
        retry_failed(_queue(request), job_id)
    except (InvalidJobOperation, NoSuchJobError):
        error = f"{job_id} is no longer in the failed list; it may have been retried already."
    else:
        notice = f"{job_id} is back on the queue."
        log.info("outreach_retry", user_id=user.id, job_id=job_id)
    context = _context(request, user, notice, error)
    return page_or_block(templates, request, "admin_outreach.html", context, "failed")
