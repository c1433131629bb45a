"""The team lead's hand on a campaign: pause it, or resume it, from the lead page.

A lead who sees a campaign's abandon rate climbing, or its agents idle on a book with nothing
left to dial, must not need an admin at a shell: pausing stops its dialling within the dialer's
30-second settings reload, as `active: false` in the campaigns file does (it is the same field,
so the next export says so). Who did it and when is stamped on the campaign and logged.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from console.deps import CsrfChecked, DbSession, FloorDep, LeadUser, LedgersDep, Now, Templates
from console.logs import log
from console.routes.pages import lead_page
from core.models import Campaign
from dialer.campaigns import LEAD_PAUSE, lead_pause_of

router = APIRouter(prefix="/lead/campaigns", tags=["lead"])
ACTIONS = {"pause": False, "resume": True}


@router.post("/{campaign_id}/{action}", dependencies=[CsrfChecked])
def set_running(
    request: Request,
    campaign_id: int,
    action: str,
    user: LeadUser,
    db: DbSession,
    floor: FloorDep,
    ledgers: LedgersDep,
    templates: Templates,
    now: Now,
) -> Response:
    """Pauses or resumes the campaign, then shows the floor again; a lead bound to one client
    reaches only that client's campaigns (another's is reported missing)."""
    if action not in ACTIONS:
        raise HTTPException(404, "No such campaign action: pause or resume.")
    campaign = db.get(Campaign, campaign_id)
    if campaign is None or (user.client_id is not None and campaign.client_id != user.client_id):
        raise HTTPException(404, f"No campaign {campaign_id} for you.")
    running = ACTIONS[action]
    if running and not campaign.active and lead_pause_of(campaign) is None:
        raise HTTPException(
            409,
            f"{campaign.name} was taken off the floor by {campaign.updated_by or 'an admin'}, "
            "not paused by a lead: an admin resumes it in the campaigns file.",
        )
    if campaign.active != running:
        campaign.active = running
        campaign.updated_at, campaign.updated_by = now, LEAD_PAUSE + user.username
        db.add(campaign)
        db.commit()
        log.info("campaign_" + action, user_id=user.id, campaign_id=campaign_id)
    return lead_page(request, user, db, floor, ledgers, templates, now)
