"""Preview and manual dialing, and the call controls (hang up, hold, transfer to a team lead).

Dialing is human-initiated: the agent sees the account and the compliance decision first; a
refusal names each reason in words and the next time the call would be allowed.
"""

from __future__ import annotations

from typing import Annotated

import phonenumbers
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import col, select

from console.deps import (
    AgentUser,
    AgentWorkspace,
    CsrfChecked,
    DbSession,
    FloorDep,
    Now,
    Templates,
    WorkspaceLoader,
)
from console.htmx import blocks
from console.live import LiveCall
from console.logs import log
from console.services import account_search, agent_state, preview_queue
from console.services.access import (
    AccountNotFound,
    assigned_campaigns,
    campaign_for,
    covers,
    visible_account,
)
from console.services.outcome import agent_zone
from console.workspace import Workspace, recheck
from core.models import Account, Campaign, Role, User
from dialer import store

router = APIRouter(prefix="/agent", tags=["dialing"])


@router.get("/preview")
def search_accounts(
    request: Request,
    ws: AgentWorkspace,
    user: AgentUser,
    db: DbSession,
    templates: Templates,
    q: str = "",
) -> Response:
    """Find an account of the agent's campaigns by account number, name or phone."""
    portfolios = {p for c in assigned_campaigns(db, user) for p in c.portfolio_ids}
    found = account_search.search(db, portfolios, q)
    context = ws.context(results=found.rows, search=found.term, total=found.total,
                         places=found.places)  # fmt: skip
    return blocks(templates, request, "agent.html", context, ["preview_results"])


@router.post("/preview/next", dependencies=[CsrfChecked])
def next_preview(
    request: Request,
    user: AgentUser,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    now: Now,
    reload: WorkspaceLoader,
) -> Response:
    """On a preview campaign, the next account the dialer would take, on the agent's screen to
    read before dialling (console.services.preview_queue)."""
    ws = reload()
    if ws.call is not None and not ws.call.ended:
        raise HTTPException(409, "Finish the account on screen first.")
    campaign = next((c for c in ws.campaigns if c.id == ws.status.campaign_id), None)
    if campaign is None or campaign.dial_mode != "preview":
        raise HTTPException(409, "Next account is for a preview campaign; choose one first.")
    assert user.id is not None
    offer = preview_queue.next_account(db, floor, campaign, user.id, now)
    if isinstance(offer, str):
        return blocks(templates, request, "agent.html", ws.context(preview_none=offer), ["screen"])
    account = db.get(Account, offer.account_id)
    assert account is not None
    floor.set_live_call(user.id, _previewed(account, campaign.id))
    return blocks(templates, request, "agent.html", reload().context(), ["screen"])


@router.post("/preview/skip", dependencies=[CsrfChecked])
def skip_preview(
    request: Request,
    user: AgentUser,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    reload: WorkspaceLoader,
) -> Response:
    """Put back an account previewed and not dialled; it stays claimed for a while, so Next
    offers another one (console.services.preview_queue)."""
    assert user.id is not None
    if not floor.skip_preview(user.id):
        raise HTTPException(409, "Only an account previewed and not dialled can be skipped.")
    return blocks(templates, request, "agent.html", reload().context(), ["screen"])


@router.post("/preview/{account_id}", dependencies=[CsrfChecked])
def open_preview(
    request: Request,
    account_id: int,
    user: AgentUser,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    reload: WorkspaceLoader,
) -> Response:
    ws = reload()
    unknown = ws.call is not None and ws.call.caller_unknown
    if ws.call is not None and ws.call.source == "dialer" and not ws.call.ended and not unknown:
        raise HTTPException(409, "Finish the call on screen first.")
    try:
        account = visible_account(db, user, account_id)
    except AccountNotFound:
        raise HTTPException(404, "No such account in your campaigns.") from None
    assert user.id is not None
    campaign = _covering(db, user, account, ws.status.campaign_id)
    if ws.call is not None and unknown:
        # The caller of a call in was found: the call is about this account from now on.
        call = ws.call.model_copy(
            update={"account_id": account.id, "debtor_id": account.debtor_id,
                    "campaign_id": campaign}
        )  # fmt: skip
        floor.set_live_call(user.id, call)
        if not call.ended:  # the dialer stores the attempt; after the end, the outcome does
            floor.call_command(call_id=call.call_id, action="identify", agent_id=user.id,
                               account_id=account.id)  # fmt: skip
    else:
        floor.set_live_call(user.id, _previewed(account, campaign))
    return blocks(templates, request, "agent.html", reload().context(), ["screen"])


@router.post("/caller/close", dependencies=[CsrfChecked])
def close_unknown_caller(
    request: Request,
    user: AgentUser,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    now: Now,
    reload: WorkspaceLoader,
) -> Response:
    """End a call in whose caller has no account here (a wrong number, someone selling): hung
    up if still up, off the screen, and the agent back as after any outcome."""
    ws = reload()
    if ws.call is None or not ws.call.caller_unknown:
        raise HTTPException(409, "Only a call in whose caller was not found closes this way.")
    assert user.id is not None
    if ws.call.ended and ws.call.call_id and store.unfile_call_in(db, ws.call.call_id):
        db.commit()  # filed under the wrong person before the hang-up: unmatched, not theirs
    after = agent_state.after_disposition(ws.status, None, now)
    if floor.finish_call(user.id, ws.call.call_id, after):
        floor.call_command(call_id=ws.call.call_id, action="hangup", agent_id=user.id)
    log.info("unknown_caller_closed", agent_id=user.id, call_id=ws.call.call_id)
    return blocks(templates, request, "agent.html", reload().context(), ["screen"])


@router.post("/caller/not-them", dependencies=[CsrfChecked])
def not_the_caller(
    request: Request,
    user: AgentUser,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    reload: WorkspaceLoader,
) -> Response:
    """The person on a call in is not the one their number popped (a number two people share,
    or one passed on): the screen asks who is calling, as for a number on file for nobody, and
    the dialer takes the call off the wrong account. Nothing about that account was said yet:
    the agent verifies before anything else."""
    ws = reload()
    call = ws.call
    if call is None or not call.inbound or call.caller_unknown or call.source != "dialer":
        raise HTTPException(409, "Only a call in about an account can be filed elsewhere.")
    assert user.id is not None
    wrong = call.account_id
    unknown = call.model_copy(
        update={"account_id": 0, "debtor_id": 0, "script": None, "identity_confirmed": False}
    )
    floor.set_live_call(user.id, unknown)
    if call.ended:
        # The dialer settled it under the wrong person: kept now as a call no account matched
        # (times, recording), until the agent finds the caller and the outcome takes it over.
        if store.unfile_call_in(db, call.call_id):
            db.commit()
    else:  # the dialer takes it off the account (or, ended meanwhile, converts it as above)
        floor.call_command(call_id=call.call_id, action="not_caller", agent_id=user.id)
    log.info("caller_not_account", agent_id=user.id, call_id=call.call_id, account_id=wrong)
    return blocks(templates, request, "agent.html", reload().context(), ["screen"])


def _covering(db: DbSession, user: User, account: Account, selected: int | None) -> int | None:
    """The campaign an account found by search is worked under: the agent's chosen one when it
    covers the account, else another of theirs that does. The chosen one alone filed another
    client's account under it, with that campaign's script and in its figures."""
    chosen = db.get(Campaign, selected) if selected is not None else None
    if chosen is not None and covers(chosen, account):
        return selected
    found = campaign_for(db, user, account)
    return found.id if found is not None else None


def _previewed(account: Account, campaign_id: int | None) -> LiveCall:
    """The screen's account for an agent to read before dialling."""
    return LiveCall(
        account_id=account.id or 0,
        debtor_id=account.debtor_id,
        source="preview",
        campaign_id=campaign_id,
    )


def _number(db: DbSession, ws: Workspace, phone_id: int | None, typed: str) -> tuple[str, str]:
    """The number to dial (E.164) and an error message; a typed number must parse as a phone."""
    assert ws.pop is not None
    if typed.strip():
        try:
            parsed = phonenumbers.parse(typed.strip(), "US")
        except phonenumbers.NumberParseException:
            return "", "Enter the number with its area code, e.g. +1 555 010 2000."
        if not phonenumbers.is_valid_number(parsed):
            return "", "That is not a valid phone number."
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), ""
    for phone in ws.pop.phones:
        if phone.id == phone_id:
            return phone.number, ""
    return "", "Choose a number to dial."


@router.post("/dial", dependencies=[CsrfChecked])
def dial(
    request: Request,
    ws: AgentWorkspace,
    user: AgentUser,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    phone_id: Annotated[int | None, Form()] = None,
    number: Annotated[str, Form()] = "",
    tz: Annotated[str, Form()] = "",
) -> Response:
    if ws.pop is None or ws.call is None or ws.call.source != "preview":
        raise HTTPException(409, "Open an account in preview before dialing.")
    if ws.status.state == "on_call":
        raise HTTPException(409, "You are already on a call.")
    chosen, error = _number(db, ws, phone_id, number)
    context: dict[str, object] = {"dial_number": number, "dial_phone_id": phone_id}
    if error:
        context["dial_error"] = error
    else:
        verdict = recheck(db, ws, chosen)
        context["dial_verdict"] = verdict
        if verdict.next_allowed_at is not None:  # in the agent's own clock, named
            local = verdict.next_allowed_at.astimezone(agent_zone(tz))
            context["dial_next"] = f"{local:%Y-%m-%d %H:%M %Z}"
        if verdict.allowed:
            assert user.id is not None
            floor.request_dial(
                agent_id=user.id,
                account_id=ws.pop.account.id or 0,
                number=chosen,
                campaign_id=ws.call.campaign_id,
            )
            floor.set_live_call(user.id, ws.call.model_copy(update={"number": chosen}))
            log.info("dial_requested", agent_id=user.id, account_id=ws.pop.account.id)
            context["dial_sent"] = True
    return blocks(templates, request, "agent.html", ws.context(**context), ["dial_result"])


CALL_ACTIONS = {"hangup", "hold", "unhold", "transfer"}


@router.post("/call/{action}", dependencies=[CsrfChecked])
def call_control(
    request: Request,
    action: str,
    user: AgentUser,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    now: Now,
) -> Response:
    if action not in CALL_ACTIONS:
        raise HTTPException(404, "No such call control.")
    assert user.id is not None
    call = floor.live_call(user.id)
    if call is None or not call.call_id or call.ended:
        message = "There is no live call to control."
    else:
        target = None
        if action == "transfer":
            lead = _team_lead(db, user, floor.live_call(user.id))
            if lead is None:
                message = (
                    "No team lead of your team has a phone on the floor for this client's "
                    "calls: book a callback, or ask a lead to log in their phone."
                )
                return blocks(
                    templates, request, "agent.html", {"call_message": message}, ["call_message"]
                )
            target = lead.id
        floor.call_command(
            call_id=call.call_id, action=action, agent_id=user.id, target_agent_id=target
        )
        log.info("call_command", agent_id=user.id, op=action, call_id=call.call_id)
        message = {
            "hangup": "Hanging up…",
            "hold": "Caller on hold.",
            "unhold": "Caller back.",
            "transfer": "Transferring to your team lead…",
        }[action]
    return blocks(templates, request, "agent.html", {"call_message": message}, ["call_message"])


def _team_lead(db: DbSession, user: User, call: LiveCall | None) -> User | None:
    """The lead of the agent's team who can take this call: one with an extension (a lead with
    no phone cannot be transferred to), and not bound to another client than the call's."""
    if user.team_id is None:
        return None
    account = db.get(Account, call.account_id) if call is not None else None
    leads = db.exec(
        select(User)
        .where(User.team_id == user.team_id, User.role == Role.TEAM_LEAD.value, User.is_active)
        .order_by(col(User.username))
    )
    return next(
        (
            lead
            for lead in leads
            if lead.extension
            and (lead.client_id is None or account is None or lead.client_id == account.client_id)
        ),
        None,
    )
