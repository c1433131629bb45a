"""The team lead's list of texts a person must read: disputes, lawyers, bankruptcies and cease
requests that debtors sent by text (outreach.inbound), and the click that says one was handled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import select

from console.deps import CsrfChecked, DbSession, LeadUser, Now, Templates
from console.services.text_actions import (
    ActionRefused,
    close_without_hold,
    record_time_not_to_call,
    retire_number,
    set_hold,
)
from core.holds import LEVEL_OF_FLAG, HoldError
from core.models import Client, User
from outreach.inbound import (
    CONCERN_WORDS,
    NEEDS_A_REASON,
    TextNotFound,
    mark_handled,
    waiting_for_a_person,
)

router = APIRouter(tags=["texts"])


@router.get("/lead/texts")
def lead_texts(request: Request, user: LeadUser, db: DbSession, templates: Templates) -> Response:
    """Unhandled texts with a concern, the longest waiting first; a lead bound to a client sees
    only that client's debtors' texts."""
    context = {
        "waiting_texts": waiting_for_a_person(db, user.client_id),
        "concern_words": CONCERN_WORDS,
        "holds": LEVEL_OF_FLAG,
        "needs_reason": NEEDS_A_REASON,
        "client_codes": {c.id: c.code for c in db.exec(select(Client))},
    }
    return templates.TemplateResponse(request, "lead.html", context, block_name="texts")


def _acted(
    request: Request,
    user: User,
    db: DbSession,
    templates: Templates,
    text_id: int,
    now: datetime,
    act: Callable[[], list[int]],
) -> Response:
    """Runs the lead's action on the text (it returns the accounts it acted on, which the text
    is then shown on), marks the text handled, and shows the list again; a text out of reach
    is missing, and a refused action says why."""
    try:
        about = act()
        mark_handled(db, text_id, user.client_id, user.username, now, about)
    except TextNotFound:
        raise HTTPException(404, f"No text {text_id} waits for you.") from None
    except (HoldError, ActionRefused) as exc:
        raise HTTPException(400, str(exc)) from None
    db.commit()
    return lead_texts(request, user, db, templates)


@router.post("/lead/texts/{text_id}/handled", dependencies=[CsrfChecked])
def text_handled(
    request: Request,
    text_id: int,
    user: LeadUser,
    db: DbSession,
    templates: Templates,
    now: Now,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Marks the text read and acted on (a hold set with `concord holds`, or nothing needed),
    with who and when, and why when it read like a reason to stop collecting; the list comes
    back without it."""
    return _acted(request, user, db, templates, text_id, now, lambda: close_without_hold(
        db, text_id, user.client_id, reason, user.username, now))  # fmt: skip


@router.post("/lead/texts/{text_id}/hold", dependencies=[CsrfChecked])
def text_hold(
    request: Request,
    text_id: int,
    user: LeadUser,
    db: DbSession,
    templates: Templates,
    now: Now,
    hold: Annotated[str, Form()],
    account: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Sets the hold the text asks for (a dispute, a cease request, an attorney, a bankruptcy)
    on the accounts the lead ticked, of its debtors within the lead's reach, and marks the text
    handled: one click, where the lead would otherwise type `concord accounts holds` per
    account. A text from a number on two clients' accounts may be about either debt: a hold
    on both would stop the other client's lawful collection and report a dispute it never had."""
    return _acted(request, user, db, templates, text_id, now, lambda: set_hold(
        db, text_id, account or [], user.client_id, hold, user.username, now))  # fmt: skip


@router.post("/lead/texts/{text_id}/wrong-number", dependencies=[CsrfChecked])
def text_wrong_number(
    request: Request,
    text_id: int,
    user: LeadUser,
    db: DbSession,
    templates: Templates,
    now: Now,
    account: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Retires the number the text came from on the ticked accounts' debtors, then closes the
    text: its next reminder would tell a stranger of the debt (1692c(b))."""
    return _acted(request, user, db, templates, text_id, now, lambda: retire_number(
        db, text_id, account or [], user.client_id, user.username, now))  # fmt: skip


@router.post("/lead/texts/{text_id}/time-not-to-call", dependencies=[CsrfChecked])
def text_time_not_to_call(
    request: Request,
    text_id: int,
    user: LeadUser,
    db: DbSession,
    templates: Templates,
    now: Now,
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    account: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Records the hours the text says not to call, every day in the debtor's time, then closes
    the text; the engine refuses calls and texts in them from now on."""
    return _acted(request, user, db, templates, text_id, now, lambda: record_time_not_to_call(
        db, text_id, account or [], user.client_id, start, end, user.username, now))  # fmt: skip
