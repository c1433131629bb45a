"""Login, logout and the home page that sends each role to its own screen."""

from __future__ import annotations

import contextlib
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import select

from console.deps import CsrfChecked, CurrentUser, DbSession, FloorDep, Now, Templates
from console.logs import log
from console.security import SESSION_MAX_AGE, check_login, login_stamp, new_csrf_token
from console.services import agent_state
from console.services.access import assigned_campaigns
from console.services.wallboard import calls_out_for
from core.models import Role, User

router = APIRouter(tags=["auth"])

HOMES = {
    Role.AGENT.value: "/agent",
    Role.TEAM_LEAD.value: "/lead",
    Role.QA.value: "/qa",
    Role.CLIENT_VIEWER.value: "/client",
    Role.ADMIN.value: "/lead",
}


def _csrf(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = new_csrf_token()
        request.session["csrf"] = token
    return str(token)


@router.get("/login")
def login_form(request: Request, templates: Templates, floor: FloorDep) -> Response:
    # Read, not popped: the page's own background requests reach the login too, and must not
    # use up the reason before the agent sees it; a sign-in clears the session. A screen whose
    # socket was closed comes here without any request having found the session dead.
    sid = request.session.get("sid")
    why = request.session.get("signed_out", "") or (
        floor.why_ended(sid) if isinstance(sid, str) else ""
    )
    notice = f"You were signed out here: {why}." if why else ""
    return templates.TemplateResponse(
        request,
        "login.html",
        {"csrf": _csrf(request), "username": "", "error": "", "notice": notice},
    )


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    now: Now,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    user = db.exec(select(User).where(User.username == username.strip())).first()
    result = check_login(user, password, now)
    db.commit()  # failure counts and locks are kept even when the login is refused
    if result.user is None:
        log.info("login_refused", username=username.strip())
        return templates.TemplateResponse(
            request,
            "login.html",
            {"csrf": _csrf(request), "username": username, "error": result.message},
            status_code=401,
        )
    signed_in = result.user
    assert signed_in.id is not None
    request.session.clear()  # a new session id and CSRF token: no fixation across logins
    request.session["uid"] = signed_in.id
    request.session["csrf"] = new_csrf_token()
    request.session["stamp"] = login_stamp(signed_in)
    sid = secrets.token_urlsafe(24)
    request.session["sid"] = sid
    floor.open_session(sid, signed_in.id, SESSION_MAX_AGE)
    if signed_in.role == Role.AGENT.value:
        # One seat per agent: two screens of one agent both took the same pops, and either
        # could save an outcome over the other's. The newest sign-in is the seat.
        why = f"your login was used on another computer at {now:%H:%M} UTC"
        if floor.end_other_sessions(signed_in.id, sid, why):
            log.info("agent_signed_in_elsewhere", user_id=signed_in.id)
        status = floor.status(signed_in.id, now)
        if status.state == "logged_out":
            campaigns = assigned_campaigns(db, signed_in)
            floor.set_status(
                agent_state.logged_in(signed_in.id, campaigns[0].id if campaigns else None, now)
            )
    log.info("login", user_id=signed_in.id, role=signed_in.role)
    return RedirectResponse(HOMES.get(signed_in.role, "/"), status_code=303)


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, user: CurrentUser, floor: FloorDep, now: Now) -> Response:
    if user.role == Role.AGENT.value and user.id is not None:
        status = floor.status(user.id, now)
        calls_out = calls_out_for(floor.campaign_stats().get(status.campaign_id or 0), now)
        if status.state == "ready" and calls_out:
            # Calls placed counting on this agent would reach nobody: stay signed in.
            raise HTTPException(409, "Calls are ringing for you: press Pause first, and log "
                                "out once they have ended.")  # fmt: skip
        # Logging out mid-call leaves the floor state alone; the call still needs its outcome.
        with contextlib.suppress(agent_state.StateRefused):
            floor.set_status(agent_state.logged_out(status, now))
        # An account on screen for preview, not dialled, goes back to the campaign now.
        floor.release_preview(user.id)
    sid = request.session.get("sid")
    if isinstance(sid, str):
        floor.close_session(sid)  # a copy of the cookie stops working too
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def home(user: CurrentUser) -> Response:
    return RedirectResponse(HOMES.get(user.role, "/login"), status_code=303)
