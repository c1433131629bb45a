"""The script panel: answer, step back, open a rebuttal, search rebuttals.

Each click returns the script block plus the identity block out of band, because verifying the
right party is what unmasks the date of birth and the full numbers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import select

from console.deps import (
    AgentWorkspace,
    CsrfChecked,
    DbSession,
    FloorDep,
    Templates,
)
from console.htmx import blocks
from console.workspace import Workspace, store_session
from core.models import Address
from scripts_library.model import Disclosure
from scripts_library.session import ScriptSession, TraversalError

router = APIRouter(prefix="/agent/script", tags=["script"])


def _session(ws: Workspace) -> ScriptSession:
    if ws.session is None:
        raise HTTPException(409, ws.script_error or "No call on screen.")
    return ws.session


def _panel(
    request: Request,
    templates: Templates,
    ws: Workspace,
    error: str = "",
    query: str = "",
    unmasking: bool = True,
    verified_now: bool = False,
) -> Response:
    # Verification unmasks the identity and account numbers and unlocks right-party outcomes.
    # A refused verification changes none of them: sent anyway, the identity block would wipe
    # what the agent was typing into the identity card.
    unmasked: tuple[str, ...] = ("identity", "accounts", "outcome_lock") if unmasking else ()
    if verified_now:  # the number a verified caller called from is offered to keep
        unmasked += ("new_phone",)
    context = ws.context(script_msg=error, query=query, oob=unmasked)
    return blocks(templates, request, "agent.html", context, ["script", *unmasked])


@router.post("/answer", dependencies=[CsrfChecked])
def answer(
    request: Request,
    ws: AgentWorkspace,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    node: Annotated[str, Form()],
    index: Annotated[int, Form()],
) -> Response:
    session = _session(ws)
    if node != session.position:
        # A double click or a stale tab: show where the call really is instead of guessing.
        return _panel(request, templates, ws, "The script had moved on; this is the current step.")
    try:
        answered = session.answer(index)
    except TraversalError as exc:
        return _panel(request, templates, ws, str(exc))
    if _verifies(session, answered) and not _identity_confirmed(db, ws):
        return _panel(request, templates, ws, UNCONFIRMED, unmasking=False)
    store_session(ws, floor, answered)
    return _panel(request, templates, ws, verified_now=_verifies(session, answered))


UNCONFIRMED = (
    "The details are not confirmed: type the date of birth and ZIP the person gives in the "
    "identity card and press Check. Until they match, nothing about the debt may be said."
)


def _verifies(before: ScriptSession, after: ScriptSession) -> bool:
    """This answer is the one that says the right party is verified."""
    rpv = Disclosure.RIGHT_PARTY_VERIFICATION
    return rpv in after.disclosures_done and rpv not in before.disclosures_done


def _identity_confirmed(db: DbSession, ws: Workspace) -> bool:
    """The identity card matched every detail on file; a file with neither a birth date nor
    a postal code leaves the agent's word as the only check."""
    assert ws.pop is not None and ws.call is not None
    debtor = ws.pop.debtor
    codes = db.exec(select(Address.postal_code).where(Address.debtor_id == debtor.id)).all()
    if debtor.date_of_birth is None and not any(code for code in codes):
        return True
    return ws.call.identity_confirmed


@router.post("/back", dependencies=[CsrfChecked])
def back(
    request: Request,
    ws: AgentWorkspace,
    floor: FloorDep,
    templates: Templates,
) -> Response:
    store_session(ws, floor, _session(ws).back())
    return _panel(request, templates, ws)


@router.post("/rebuttal", dependencies=[CsrfChecked])
def open_rebuttal(
    request: Request,
    ws: AgentWorkspace,
    floor: FloorDep,
    templates: Templates,
    handler: Annotated[str, Form()],
) -> Response:
    try:
        store_session(ws, floor, _session(ws).open_objection(handler))
    except TraversalError as exc:
        return _panel(request, templates, ws, str(exc))
    return _panel(request, templates, ws)


@router.get("/rebuttals")
def search(
    request: Request,
    ws: AgentWorkspace,
    templates: Templates,
    q: str = "",
) -> Response:
    _session(ws)
    return blocks(templates, request, "agent.html", ws.context(query=q), ["rebuttals"])
