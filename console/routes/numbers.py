"""The agency's do-not-call list for team leads on the floor (`concord numbers` without a shell).

A lead puts a number on it from a letter or a call in ("stop calling 555-0198, I am not who you
want") and takes one off at its owner's word. The list covers every client's debtors on the
line, so a lead bound to one client may add to it (stopping is always safe) but not take a
number off: that would open the line to other clients' debtors on the owner's behalf.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from console.deps import CsrfChecked, DbSession, LeadUser, Now, Templates
from console.htmx import page_or_block
from core.models import User
from core.phones import e164
from core.stopped_numbers import ASKED, StopError, holders, lift_number, listed, stop_number

router = APIRouter(tags=["numbers"])
RECENT_LIFTS = 20  # the lifted entries shown below the list, newest first


def _context(
    request: Request, user: User, db: DbSession, notice: str = "", error: str = ""
) -> dict[str, Any]:
    entries = listed(db, with_lifted=True)
    return {
        "user": user,
        "in_force": [e for e in entries if e.lifted_at is None],
        "lifted": [e for e in entries if e.lifted_at is not None][:RECENT_LIFTS],
        "may_lift": user.client_id is None,
        "notice": notice,
        "error": error,
        "csrf": request.session.get("csrf", ""),
    }


@router.get("/lead/numbers")
def numbers_page(request: Request, user: LeadUser, db: DbSession, templates: Templates) -> Response:
    return page_or_block(templates, request, "lead_numbers.html", _context(request, user, db),
                         "numbers")  # fmt: skip


@router.post("/lead/numbers", dependencies=[CsrfChecked])
def stop(
    request: Request,
    user: LeadUser,
    db: DbSession,
    templates: Templates,
    now: Now,
    number: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Puts a number on the list, with who asked and how; what is refused says why."""
    stored = e164(number)
    error = notice = ""
    if stored is None:
        error = f"{number!r} is not a phone number (one outside the US needs +44 and so on)."
    elif not reason.strip():
        error = "Say who asked and how (a letter of 2026-11-30, a call in): it is kept."
    else:
        try:
            entry, new = stop_number(db, stored, now, ASKED, reason, user.username)
        except StopError as exc:
            error = str(exc)
        else:
            db.commit()
            held = len(holders(db, stored))
            notice = (
                f"{stored} is {'now' if new else 'already'} on the list (since "
                f"{entry.since:%Y-%m-%d}); {held} debtor(s) on file hold it."
            )
    context = _context(request, user, db, notice, error)
    return page_or_block(templates, request, "lead_numbers.html", context, "numbers")


@router.post("/lead/numbers/{entry_number}/allow", dependencies=[CsrfChecked])
def allow(
    request: Request,
    entry_number: str,
    user: LeadUser,
    db: DbSession,
    templates: Templates,
    now: Now,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Takes a number off the list at its owner's word; a lead of one client may not."""
    error = notice = ""
    if user.client_id is not None:
        error = "A number comes off the list for every client's debtors: an agency lead does it."
    else:
        try:
            lift_number(db, entry_number, reason, user.username, now)
        except StopError as exc:
            error = str(exc)
        else:
            db.commit()
            notice = f"{entry_number} is off the list: calls and texts follow the rules again."
    context = _context(request, user, db, notice, error)
    return page_or_block(templates, request, "lead_numbers.html", context, "numbers")
