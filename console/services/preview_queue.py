"""The next account for an agent on a preview campaign: the dialer's own search, one claim each.

A preview campaign is worked by hand: the agent reads the account, then decides to dial. The
account offered is the one the dialer would take next (a due callback of this agent or of no one
first, then the best segment score), among those the work rules and the compliance engine allow
now, on any number a person may dial (preview is the mode for numbers predictive dialling may
not call). Each offer is claimed in Redis for CLAIM_S, so two agents pressing Next at once are
offered different accounts; the compliance engine decides again when the agent dials.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from console.gateways import Floor
from core.models import Campaign
from dialer import store
from dialer.campaigns import CampaignError, plan
from dialer.candidates import callable_now

# Accounts searched per press: enough that a few claimed by other agents leave one to offer.
SEARCHED = 10
CLAIM_S = 15 * 60


@dataclass(frozen=True)
class Offer:
    account_id: int
    number: str


def next_account(
    db: Session, floor: Floor, campaign: Campaign, agent_id: int, now: datetime
) -> Offer | str:
    """The account to offer, or why there is none in the agent's words. A callback offered is
    closed as previewed: it is on the agent's screen, and they decide whether to dial."""
    try:
        worked = plan(campaign, store.calling_profiles(db, campaign.portfolio_ids))
    except CampaignError as exc:
        return f"this campaign cannot be worked: {exc}"
    search = callable_now(db, worked, now, SEARCHED, manual=True)
    for candidate in search.found:
        if candidate.callback_agent not in (None, agent_id):
            continue  # it goes back to the agent who booked it
        if floor.claim_preview(candidate.account_id, agent_id, CLAIM_S):
            if candidate.callback_id is not None:
                store.close_callback(db, candidate.callback_id, "previewed")
                db.commit()
            return Offer(candidate.account_id, candidate.number)
    if search.found:
        return "every account that may be called now is open on another agent's screen"
    return search.why_none()
