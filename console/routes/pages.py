"""Landing pages for the other roles, and the read-only account page every role may open.

Each checks the role and the tenant; an account outside the user's reach is a 404.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import col, select

from compliance.calls import local_day
from console.deps import (
    AppSettings,
    ClientViewerUser,
    CurrentUser,
    DbSession,
    FloorDep,
    LeadUser,
    LedgersDep,
    Now,
    Templates,
)
from console.htmx import page_or_block
from console.services import agent_state, client_report
from console.services.access import AccountNotFound, visible_account
from console.services.account_history import account_history
from console.services.agent_breaks import Breaks, day_breaks
from console.services.agent_day import agent_days, floor_midnight
from console.services.missed_calls import missed_calls_in, unmatched_answered
from console.services.screen import debt_age_days, load_screen
from console.services.wallboard import day_limits, dialing
from core.models import (
    Account,
    Campaign,
    Client,
    Role,
    User,
)
from dialer.campaigns import campaign_zone
from qa.challenger_store import running_tests

router = APIRouter(tags=["pages"])
# Missed calls in stay on the lead's list this long while nobody has called the debtor back.
UNRETURNED_DAYS = 7


@router.get("/accounts/{account_id}")
def account_page(
    request: Request,
    account_id: int,
    user: CurrentUser,
    db: DbSession,
    templates: Templates,
    now: Now,
) -> Response:
    try:
        account = visible_account(db, user, account_id)
    except AccountNotFound:
        raise HTTPException(404, "No such account.") from None
    pop = load_screen(db, account)
    # Outside a verified call nobody needs the full identity on screen.
    context = {
        "user": user,
        "pop": pop,
        "verified": False,
        "age_days": debt_age_days(account, now.date()),
        "history": account_history(db, account_id),
        "csrf": request.session.get("csrf", ""),
    }
    return templates.TemplateResponse(request, "account.html", context)


@router.get("/lead")
def lead_page(
    request: Request,
    user: LeadUser,
    db: DbSession,
    floor: FloorDep,
    ledgers: LedgersDep,
    templates: Templates,
    now: Now,
) -> Response:
    """Live agents of the lead's team (all teams for an admin) and the campaigns' floor figures."""
    statuses = {s.agent_id: s for s in floor.all_statuses(now)}
    agents = [
        (
            agent,
            statuses.get(agent.id or 0),
            agent_state.label(statuses[agent.id]) if agent.id in statuses else "Logged out",
        )
        for agent in team_of(db, user)
    ]
    signed_in = [a.id or 0 for a, s, _ in agents if s is not None and s.state != "logged_out"]
    screens = floor.screens_open(signed_in)
    # Paused campaigns too, after the running ones: a lead must tell "paused" from "gone", and
    # see the 30-day rate of a campaign before resuming it.
    listed = select(Campaign).order_by(col(Campaign.active).desc(), col(Campaign.name))
    if user.client_id is not None:  # a lead bound to one client sees none of the others' figures
        listed = listed.where(Campaign.client_id == user.client_id)
    campaigns = list(db.exec(listed))
    # each campaign's "today" is its own calendar day (its schedule's time zone)
    zones = {c.id: campaign_zone(c.schedule) for c in campaigns}
    today = {c.id: now.astimezone(zones[c.id]).date() for c in campaigns}
    ledger = {c.id: ledgers.of(db, c.id or 0, today[c.id], zones[c.id]) for c in campaigns}
    stats = floor.campaign_stats()
    limits = day_limits(db, campaigns)
    queues = [
        (
            c,
            sum(1 for a, s, _ in agents if s and s.campaign_id == c.id and s.state == "ready"),
            sum(1 for a, s, _ in agents if s and s.campaign_id == c.id and s.state == "on_call"),
            ledger[c.id].rate_30d(today[c.id]),
            ledger[c.id].rate_day(today[c.id]),
            dialing(stats.get(c.id or 0), now),
            limits.get(c.id or 0),
        )
        for c in campaigns
    ]
    holding = floor.calls_in_holding(user.client_id)
    listening = floor.listening(user.id or 0)  # the lead's own phone on an agent's calls
    heard = listening.agent_id if listening else None
    running = [q[5] for q in queues if q[0].active]
    context = {
        "user": user,
        "agents": agents,
        "screens": screens,
        "queues": queues,
        # every running campaign silent: the dialer (or the PBX under it) is down, and a floor
        # of Ready agents waits for calls that cannot come; a grey cell per row was all it said
        "dialer_down": running[0].why if running and all(d.silent for d in running) else "",
        "holding": len(holding),
        "longest_hold": int((now - holding[0]).total_seconds()) if holding else 0,
        "now": now,
        "listening": listening,
        "heard_name": next(
            (a.full_name or a.username for a, _, _ in agents if a.id == heard), "the agent"
        ),
        "csrf": request.session.get("csrf", ""),
    }
    return page_or_block(templates, request, "lead.html", context, "live")


@router.get("/lead/day")
def lead_day(
    request: Request,
    user: LeadUser,
    db: DbSession,
    floor: FloorDep,
    templates: Templates,
    now: Now,
    settings: AppSettings,
) -> Response:
    """Each agent's calls, conversations, time on calls, promises, plans and pauses since the
    floor's midnight (CONCORD_FLOOR_TIMEZONE); polled every minute, apart from the live block."""
    team = team_of(db, user)
    midnight = floor_midnight(now, settings.floor_timezone)
    days = agent_days(db, [a.id for a in team if a.id is not None], midnight, user.client_id)
    breaks = day_breaks(floor.state_changes_since(midnight), now)
    context = {
        "day_rows": [(a, days[a.id]) for a in team if a.id is not None],
        "breaks": breaks,
        "midnight": midnight,
        "missed": missed_calls_in(
            db, midnight, user.client_id, unreturned_since=now - timedelta(days=UNRETURNED_DAYS)
        ),
        "unmatched": unmatched_answered(db, midnight),
        "agent_names": {a.id: a.full_name or a.username for a in team},
        "no_breaks": Breaks(),
    }
    return templates.TemplateResponse(request, "lead.html", context, block_name="day")


@router.get("/lead/script-tests")
def lead_script_tests(
    request: Request, user: LeadUser, db: DbSession, templates: Templates, now: Now
) -> Response:
    """Each running script test's last 30 days (the lead's client's when bound to one); polled
    every 10 minutes, apart from the day panel: it reads a month of each campaign's calls."""
    context = {"script_tests": running_tests(db, user.client_id, now - timedelta(days=30))}
    return templates.TemplateResponse(request, "lead.html", context, block_name="script_tests")


def team_of(db: DbSession, user: User) -> list[User]:
    """The lead's team's active agents (every agent for an admin), by username."""
    query = select(User).where(User.role == Role.AGENT.value, User.is_active == True)  # noqa: E712
    if user.role != Role.ADMIN.value:
        query = query.where(User.team_id == user.team_id)
    return list(db.exec(query.order_by(col(User.username))))


def _viewer_clients(db: DbSession, user: User) -> list[Client]:
    """The clients a report reader sees: theirs, or every client for an unbound admin."""
    if user.client_id is None and user.role != Role.ADMIN.value:
        raise HTTPException(403, "This login is not bound to a client.")
    query = select(Client).order_by(col(Client.name))
    if user.client_id is not None:
        query = query.where(Client.id == user.client_id)
    return list(db.exec(query))


@router.get("/client/report.csv")
def client_report_csv(
    user: ClientViewerUser, db: DbSession, now: Now, settings: AppSettings, days: int = 30
) -> Response:
    """The report as a spreadsheet file, for the creditor's own books."""
    if days not in client_report.PERIODS:
        periods = ", ".join(map(str, client_report.PERIODS))
        raise HTTPException(400, f"days: {days} is not a period of the report ({periods})")
    zone = settings.floor_timezone
    text = "".join(
        client_report.as_csv(c.name, client_report.report(db, c.id or 0, days, now, zone))
        for c in _viewer_clients(db, user)
    )
    name = f"concord-report-{local_day(now, zone).isoformat()}-{days}d.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/client/find")
def client_find(user: ClientViewerUser, db: DbSession, number: str = "") -> Response:
    """An account by the client's own account number (the page's ids are Concord's)."""
    clients = [c.id for c in _viewer_clients(db, user)]
    found = db.exec(
        select(Account.id).where(
            col(Account.client_id).in_(clients), Account.client_account_number == number.strip()
        )
    ).first()
    if found is None:
        raise HTTPException(404, f"No account {number.strip()!r} of yours.")
    return RedirectResponse(f"/accounts/{found}", status_code=303)


@router.get("/client")
def client_page(
    request: Request,
    user: ClientViewerUser,
    db: DbSession,
    templates: Templates,
    now: Now,
    settings: AppSettings,
    days: int = 30,
) -> Response:
    """The client's own outcome report, per portfolio over the last 7, 30 or 90 days
    (console.services.client_report); never another tenant's."""
    if days not in client_report.PERIODS:
        periods = ", ".join(map(str, client_report.PERIODS))
        raise HTTPException(400, f"days: {days} is not a period of the report ({periods})")
    reports = []
    for client in _viewer_clients(db, user):
        figures = client_report.report(db, client.id or 0, days, now, settings.floor_timezone)
        reports.append((client, figures, client_report.totals(figures.rows)))
    context = {
        "user": user,
        "reports": reports,
        "days": days,
        "periods": client_report.PERIODS,
        "csrf": request.session.get("csrf", ""),
    }
    return templates.TemplateResponse(request, "client.html", context)
