"""The agent screen: the page, the state bar, and the snapshot the websocket client reloads."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import select

from console.deps import (
    AgentUser,
    AgentWorkspace,
    CsrfChecked,
    DbSession,
    FloorDep,
    Now,
    Templates,
)
from console.htmx import blocks, is_htmx, page_or_block
from console.logs import log
from console.services import agent_state
from console.services.access import assigned_campaigns
from console.services.wallboard import calls_out_for, dialing
from core.identity import check_identity, confirms
from core.models import Address

router = APIRouter(prefix="/agent", tags=["agent"])


@router.get("")
def agent_page(
    request: Request,
    ws: AgentWorkspace,
    templates: Templates,
) -> Response:
    return page_or_block(templates, request, "agent.html", ws.context(csrf=request.session["csrf"]))


@router.get("/snapshot")
def snapshot(user: AgentUser, floor: FloorDep, now: Now) -> dict[str, object]:
    """The small state the websocket client compares after (re)connecting."""
    assert user.id is not None
    status, call = floor.desk(user.id, now)
    return {
        "state": status.state,
        "reason": status.reason,
        "call_id": call.call_id if call else "",
        "account_id": call.account_id if call else None,
        "ended": call.ended if call else False,
    }


CAMPAIGN_STOPPED = (
    "this campaign is paused or taken off the floor; choose another campaign, then Ready"
)


@router.get("/dialer")
def dialer_health(
    request: Request,
    user: AgentUser,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    now: Now,
) -> Response:
    """A warning on the agent's screen while the dialer of their campaign is silent, and a
    notice while it places no calls (nothing it may dial, outside its schedule): an agent
    sitting Ready would otherwise wait for calls that cannot come. Polled every 10 s, so it
    reads the agent's state and campaigns only, not the whole workspace (screen pop, script,
    compliance check)."""
    assert user.id is not None
    status = floor.status(user.id, now)
    campaign_id = status.campaign_id
    campaigns = assigned_campaigns(db, user)
    down = idle = ""
    if campaign_id is not None and campaign_id not in {c.id for c in campaigns}:
        # made inactive, or the agent taken off it: the dialer no longer runs it at all
        idle = CAMPAIGN_STOPPED
    elif campaign_id is None and campaigns:
        campaign_id = campaigns[0].id
    if campaign_id is not None and not idle:
        stats = floor.campaign_stats().get(campaign_id)
        state = dialing(stats, now)
        down = state.why if state.silent else ""
        if stats is not None and not state.silent and stats.places_no_calls:
            idle = stats.pacing
    context = {"dialer_down": down, "dialer_idle": idle, "holding": ""}
    client_id = next((c.client_id for c in campaigns if c.id == campaign_id), None)
    if status.state != "on_call" and client_id is not None:
        # Callers of this agent's client hold on a call in: an agent in wrap-up or paused
        # does not know, and the caller hangs up (review: lost on an 8-hour shift).
        held = floor.calls_in_holding(client_id)
        if held:
            longest = int((now - held[0]).total_seconds())
            context["holding"] = (
                f"{len(held)} caller{'s' if len(held) > 1 else ''} holding on a call in, the "
                f"longest for {longest // 60}:{longest % 60:02d}"
                + ("" if status.state == "ready" else ": press Ready to take them")
            )
    return templates.TemplateResponse(request, "agent.html", context, block_name="dialer_health")


@router.get("/state")
def state_bar(
    request: Request,
    ws: AgentWorkspace,
    templates: Templates,
) -> Response:
    return page_or_block(templates, request, "agent.html", ws.context(), "state_bar")


@router.get("/screen")
def screen(
    request: Request,
    ws: AgentWorkspace,
    templates: Templates,
) -> Response:
    return page_or_block(templates, request, "agent.html", ws.context(), "screen")


@router.post("/state", dependencies=[CsrfChecked])
def change_state(
    request: Request,
    ws: AgentWorkspace,
    user: AgentUser,
    floor: FloorDep,
    templates: Templates,
    now: Now,
    action: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    campaign_id: Annotated[int | None, Form()] = None,
) -> Response:
    """Ready, pause with a reason, or log out; the dialer hears it before the page does."""
    campaigns = {c.id: c for c in ws.campaigns}
    chosen = campaign_id if campaign_id in campaigns else ws.status.campaign_id
    if chosen not in campaigns:
        chosen = next(iter(campaigns), None)
    error = ""
    open_call = ws.call is not None and ws.call.source == "dialer"
    calls_out = calls_out_for(floor.campaign_stats().get(ws.status.campaign_id or 0), now)
    try:
        if action == "ready":
            new = agent_state.ready(ws.status, chosen, now, open_call=open_call)
        elif action == "pause":
            new = agent_state.pause(
                ws.status, reason, now, open_call=open_call, calls_out=calls_out
            )
        elif action == "logout":
            new = agent_state.logged_out(ws.status, now, open_call=open_call, calls_out=calls_out)
        else:
            raise agent_state.StateRefused(f"Unknown action {action!r}.")
        floor.set_status(new)
        ws.status = new
        log.info("agent_state", agent_id=user.id, state=new.state, reason=new.reason)
    except agent_state.StateRefused as exc:
        error = str(exc)
    if ws.call is None and is_htmx(request):
        # The idle screen depends on the campaign (a preview campaign offers Next account).
        context = ws.context(state_error=error, oob=("screen",))
        return blocks(templates, request, "agent.html", context, ["state_bar", "screen"])
    return page_or_block(
        templates, request, "agent.html", ws.context(state_error=error), "state_bar"
    )


@router.post("/identity", dependencies=[CsrfChecked])
def identity_check(
    request: Request,
    ws: AgentWorkspace,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    birth: Annotated[str, Form()] = "",
    postal: Annotated[str, Form()] = "",
) -> Response:
    """Whether the date of birth and ZIP the person gave match the file (never what is on it)."""
    if ws.pop is None:
        raise HTTPException(409, "There is no account on screen to check the caller against.")
    tone = "warn"
    try:
        said_birth = date.fromisoformat(birth.strip()) if birth.strip() else None
    except ValueError:
        words = "Enter the date of birth as the calendar offers it."
    else:
        on_file = list(
            db.exec(select(Address.postal_code).where(Address.debtor_id == ws.pop.debtor.id))
        )
        found = check_identity(said_birth, postal, ws.pop.debtor.date_of_birth, on_file)
        words, tone = found.words or "Type what the person said, then check.", found.tone
        confirmed = confirms(found, ws.pop.debtor.date_of_birth, on_file)
        if not confirmed and tone == "ok":  # one detail matched; the file holds another
            words, tone = words.split(". Press")[0] + ". Ask for the other detail too.", "muted"
        if ws.call is not None and ws.user.id is not None:
            ws.call = ws.call.model_copy(update={"identity_confirmed": confirmed})
            floor.set_live_call(ws.user.id, ws.call)
    context = ws.context(
        identity_words=words, identity_tone=tone, identity_form={"birth": birth, "postal": postal}
    )
    return blocks(templates, request, "agent.html", context, ["identity_check"])
