"""The object graph as FastAPI dependencies: `Annotated[..., Depends()]` aliases for routes.

Everything here reads from `app.state`, which the lifespan in console.app fills: no engine,
connection or settings object exists before the app starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from jinja2_fragments.fastapi import Jinja2Blocks
from sqlmodel import Session

from console.gateways import Floor
from console.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    csrf_matches,
    idle_too_long,
    session_is_current,
)
from console.services.ledgers import Ledgers
from console.workspace import Workspace, load
from core.models import Role, User
from core.settings import Settings
from scripts_library.library import Library


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, htmx gets an HX-Redirect."""


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    """A session per request; routes commit (the caller owns the transaction), else rollback."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_floor(request: Request) -> Floor:
    floor: Floor = request.app.state.floor
    return floor


def get_ledgers(request: Request) -> Ledgers:
    ledgers: Ledgers = request.app.state.ledgers
    return ledgers


def get_templates(request: Request) -> Jinja2Blocks:
    templates: Jinja2Blocks = request.app.state.templates
    return templates


def get_library(request: Request) -> Library:
    library: Library = request.app.state.library
    return library


def get_now(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


DbSession = Annotated[Session, Depends(get_db)]
FloorDep = Annotated[Floor, Depends(get_floor)]
LedgersDep = Annotated[Ledgers, Depends(get_ledgers)]
Templates = Annotated[Jinja2Blocks, Depends(get_templates)]
ScriptLibrary = Annotated[Library, Depends(get_library)]
Now = Annotated[datetime, Depends(get_now)]
AppSettings = Annotated[Settings, Depends(get_settings)]


def current_user(request: Request, db: DbSession, floor: FloorDep) -> User:
    user_id = request.session.get("uid")
    if user_id is None:
        raise LoginRequired
    sid = request.session.get("sid")
    live = isinstance(sid, str) and floor.session_of(sid) == int(user_id)
    user = db.get(User, int(user_id)) if live else None
    if user is None or not session_is_current(request.session, user):
        why = floor.why_ended(sid) if isinstance(sid, str) else ""
        request.session.clear()
        if why:  # the login page says why this screen was signed out
            request.session["signed_out"] = why
        raise LoginRequired
    now, minutes = get_now(request), get_settings(request).idle_logout_minutes
    if idle_too_long(request.session, user.role, now, minutes):
        if isinstance(sid, str):
            floor.close_session(sid)  # a copy of the cookie is signed out too
        request.session.clear()
        request.session["signed_out"] = f"{minutes} minutes without use"
        raise LoginRequired
    request.session["seen"] = now.timestamp()
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[User], User]:
    """A dependency admitting only `roles` (admin is always admitted); others get 403."""
    allowed = {r.value for r in roles} | {Role.ADMIN.value}

    def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise HTTPException(403, "Your role does not give access to this page.")
        return user

    return check


AgentUser = Annotated[User, Depends(require_roles(Role.AGENT))]
LeadUser = Annotated[User, Depends(require_roles(Role.TEAM_LEAD))]
QaUser = Annotated[User, Depends(require_roles(Role.QA, Role.TEAM_LEAD))]
ClientViewerUser = Annotated[User, Depends(require_roles(Role.CLIENT_VIEWER))]
AdminUser = Annotated[User, Depends(require_roles())]


async def check_csrf(request: Request) -> None:
    """Every state-changing request carries the session's token, as a header (htmx) or field."""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not request.session.get("csrf"):  # the session ended (logged out elsewhere, expired)
        raise HTTPException(
            401,
            "You were signed out. Sign in again in a new tab, then press the button here again: "
            "what you typed on this page is kept.",
        )
    if not csrf_matches(request.session.get("csrf"), given):
        raise HTTPException(403, "The form expired or did not come from this site; reload it.")


CsrfChecked = Depends(check_csrf)


def workspace_loader(
    user: AgentUser,
    db: DbSession,
    floor: FloorDep,
    library: ScriptLibrary,
    settings: AppSettings,
    now: Now,
) -> Callable[[], Workspace]:
    """Loads the agent's screen state when called: for routes that read it, change the floor,
    then show the screen again."""
    return lambda: load(db, floor, library, settings, user, now)


WorkspaceLoader = Annotated[Callable[[], Workspace], Depends(workspace_loader)]


def agent_workspace(reload: WorkspaceLoader) -> Workspace:
    """The agent's screen state at the start of the request (cached per request by FastAPI)."""
    return reload()


AgentWorkspace = Annotated[Workspace, Depends(agent_workspace)]
