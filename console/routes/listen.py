"""A team lead listening in on an agent's calls from the lead's own phone (dialer.listening).

The lead presses Listen on an agent's row; the dialer puts the lead's phone, muted, into the
agent's conference and answers in Redis, which the lead page shows as it polls. A lead bound
to one client may not listen: the agent's next call may be another client's debtor.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from console.deps import CsrfChecked, DbSession, FloorDep, LeadUser, LedgersDep, Now, Templates
from console.logs import log
from console.routes.pages import lead_page, team_of

router = APIRouter(prefix="/lead/listen", tags=["lead"])


@router.post("/stop", dependencies=[CsrfChecked])
def stop_listening(
    request: Request,
    user: LeadUser,
    db: DbSession,
    floor: FloorDep,
    ledgers: LedgersDep,
    templates: Templates,
    now: Now,
) -> Response:
    """Takes the lead's phone off the agent's calls."""
    floor.listen(user.id or 0, None)
    log.info("listen_stop", user_id=user.id)
    return lead_page(request, user, db, floor, ledgers, templates, now)


@router.post("/{agent_id}", dependencies=[CsrfChecked])
def listen(
    request: Request,
    agent_id: int,
    user: LeadUser,
    db: DbSession,
    floor: FloorDep,
    ledgers: LedgersDep,
    templates: Templates,
    now: Now,
) -> Response:
    """Puts the lead's phone on the agent's calls, muted; an agent of another team is refused."""
    if user.client_id is not None:
        raise HTTPException(
            403,
            "A lead bound to one client cannot listen in: the agent's next call may be "
            "another client's debtor.",
        )
    if agent_id not in {a.id for a in team_of(db, user)}:
        raise HTTPException(404, f"No agent {agent_id} on your team.")
    floor.listen(user.id or 0, agent_id)
    log.info("listen_start", user_id=user.id, agent_id=agent_id)
    return lead_page(request, user, db, floor, ledgers, templates, now)
