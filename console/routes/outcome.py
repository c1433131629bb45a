"""The outcome panel: re-render the form as the code changes, build a plan schedule, save.

Validation errors come back as the same form with every typed value in place and a message on
each field at fault (HTTP 200 so htmx swaps it in).
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from console.deps import (
    AgentUser,
    AgentWorkspace,
    AppSettings,
    CsrfChecked,
    DbSession,
    FloorDep,
    Now,
    ScriptLibrary,
    Templates,
)
from console.gateways import Floor
from console.htmx import blocks, retarget, trigger
from console.logs import log
from console.services import agent_state
from console.services.disposition import (
    CONVERSATION,
    Followups,
    active_plan,
    check_call_in,
    check_callback,
    check_commitments,
    check_identity,
    check_new_phone,
    check_script,
    save,
)
from console.services.outcome import FREQUENCIES, build_schedule, check_outcome
from console.services.verdict import check_call
from console.workspace import Workspace, load
from core.amounts import form_amount, money, parse_money
from core.events import FLOOR_CHANNEL, DispositionSaved, agent_channel
from core.models import DispositionCategory

router = APIRouter(prefix="/agent/outcome", tags=["outcome"])
NOT_DIALLED = "Dial first: an outcome records what happened on a call. Skip puts it back."


async def _form(request: Request) -> dict[str, str]:
    raw = await request.form()
    return {k: v for k, v in raw.items() if isinstance(v, str)}


def _require_call(ws: Workspace) -> None:
    if ws.pop is None or ws.call is None:
        raise HTTPException(
            409,
            "There is no account on screen to record an outcome for: it was put back or "
            "finished elsewhere (another tab?). Reload the page; your notes are still here, "
            "under Notes not saved.",
        )


def _render(
    request: Request,
    templates: Templates,
    ws: Workspace,
    form: dict[str, str],
    errors: dict[str, str],
) -> Response:
    return blocks(
        templates, request, "agent.html", ws.context(form=form, errors=errors), ["outcome"]
    )


def _with_schedule(form: dict[str, str], ws: Workspace, errors: dict[str, str]) -> dict[str, str]:
    """Fill the installment rows from total, count, first date and frequency (agent may edit)."""
    assert ws.policy is not None
    try:
        total = parse_money(form.get("plan_total", ""), ws.policy.currency)
    except ValueError as exc:
        errors["plan_total"] = str(exc)
        return form
    try:
        count = int(form.get("plan_count", ""))
        if not 1 <= count <= ws.policy.plan_max_installments:
            raise ValueError
    except ValueError:
        errors["plan_count"] = f"Choose 1 to {ws.policy.plan_max_installments} installments."
        return form
    try:
        first = date.fromisoformat(form.get("plan_first_date", ""))
    except ValueError:
        errors["plan_first_date"] = "Pick the first installment date."
        return form
    every = form.get("plan_every", "monthly")
    every = every if every in FREQUENCIES else "monthly"
    kept = {k: v for k, v in form.items() if not k.startswith(("plan_date_", "plan_amount_"))}
    for seq, (due, amount) in enumerate(build_schedule(total, count, first, every), start=1):
        kept[f"plan_date_{seq}"] = due.isoformat()
        kept[f"plan_amount_{seq}"] = form_amount(amount, ws.policy.currency)
    return kept


@router.post("/form", dependencies=[CsrfChecked])
async def refresh_form(request: Request, ws: AgentWorkspace, templates: Templates) -> Response:
    form = await _form(request)
    _require_call(ws)
    errors: dict[str, str] = {}
    if form.get("build") == "schedule":
        form = _with_schedule(form, ws, errors)
    return _render(request, templates, ws, form, errors)


def _publish_saved(floor: Floor, ws: Workspace, attempt_id: int, code: str, category: str) -> None:
    assert ws.pop is not None and ws.user.id is not None
    event = DispositionSaved(
        at=ws.now,
        attempt_id=attempt_id,
        account_id=ws.pop.account.id or 0,
        agent_id=ws.user.id,
        code=code,
        category=category,
    )
    floor.publish(event, FLOOR_CHANNEL, agent_channel(ws.user.id))


def _save(
    db: Session, floor: Floor, ws: Workspace, form: dict[str, str], followups: Followups
) -> tuple[dict[str, str], str]:
    assert ws.pop is not None and ws.call is not None and ws.policy is not None
    if ws.call.source == "preview" and not ws.call.number:
        # Stored, it would be an outbound call that was never placed: counted on the agent's
        # day and reported by QA as a call made against the rules.
        return {"code": NOT_DIALLED}, ""
    outcome = check_outcome(form, ws.pop.codes, ws.policy, ws.now)
    check_script(outcome, ws.session)
    check_identity(outcome, ws.call)
    check_new_phone(db, outcome, ws.call, ws.pop.account.debtor_id)
    check_call_in(outcome, ws.call)
    account = ws.pop.account
    check_commitments(db, outcome, account)
    number = ws.call.number or (ws.pop.phones[0].number if ws.pop.phones else "")
    if number and not outcome.errors.get("callback_at"):
        asked = ws.now if outcome.callback_consent else None
        # Saved, this call is a conversation (disposition.save): the callback is judged so.
        talking = (
            outcome.code is not None
            and ws.call.call_id
            and (DispositionCategory(outcome.code.category) in CONVERSATION)
        )
        since = (ws.call.connected_at or ws.now) if talking else None
        check_callback(outcome, lambda at: check_call(db, account, number, at, asked, since))
    if outcome.errors:
        return outcome.errors, ""
    replacing = outcome.plan is not None and active_plan(db, account.id or 0) is not None
    saved = save(
        db,
        agent=ws.user,
        account=account,
        call=ws.call,
        outcome=outcome,
        session=ws.session,
        decision=ws.pop.decision,
        followups=followups,
        now=ws.now,
    )
    db.commit()
    assert outcome.code is not None and saved.attempt.id is not None
    log.info("disposition_saved", attempt_id=saved.attempt.id, code=outcome.code.code)
    _publish_saved(floor, ws, saved.attempt.id, outcome.code.code, outcome.code.category)
    summary = outcome.code.label
    if saved.promise is not None:
        amount = money(saved.promise.amount_minor, account.currency)
        summary += f": promise of {amount} by {saved.promise.due_date}"
    if replacing:
        summary += "; it replaces the plan that was in force (its unpaid installments cancelled)"
    return {}, summary


@router.post("", dependencies=[CsrfChecked])
async def save_outcome(
    request: Request,
    ws: AgentWorkspace,
    user: AgentUser,
    db: DbSession,
    floor: FloorDep,
    library: ScriptLibrary,
    settings: AppSettings,
    templates: Templates,
    now: Now,
) -> Response:
    form = await _form(request)
    _require_call(ws)
    followups = request.app.state.followups
    errors, summary = await run_in_threadpool(_save, db, floor, ws, form, followups)
    if errors:
        return _render(request, templates, ws, form, errors)
    assert ws.call is not None and user.id is not None
    campaign = ws.campaign
    if ws.call.inbound:
        # A call in comes to the agent whatever campaign the account is worked under: after it
        # they go back to the campaign they were working, not the account's (their own
        # client's callers then still reach them).
        campaign = next((c for c in ws.campaigns if c.id == ws.status.campaign_id), None)
    after = agent_state.after_disposition(ws.status, campaign, now)
    # A call still up gets `after` when it ends, not before (Floor.finish_call says why).
    if floor.finish_call(user.id, ws.call.call_id, after):
        floor.call_command(call_id=ws.call.call_id, action="hangup", agent_id=user.id)
    fresh = await run_in_threadpool(load, db, floor, library, settings, user, now)
    response = blocks(
        templates,
        request,
        "agent.html",
        fresh.context(saved=summary, oob=("state_bar",)),
        ["screen", "state_bar"],
    )
    # The form targets #outcome; a saved call leaves the whole screen (back to waiting).
    # The call and account name the notes draft agent.js kept for this screen, to drop it.
    saved = {"summary": summary, "call_id": ws.call.call_id, "account_id": ws.call.account_id}
    return trigger(retarget(response, "#screen"), dispositionSaved=saved)
