"""A debtor calling in: whose number it is and which agent takes the call. Pure.

Every limited-content message, text and letter asks the debtor to call; a call in is the best
contact a collector gets. It is answered, recorded and announced by the dialplan
(`[concord-inbound]`), and the dialer joins it to an agent with the same one Redirect as an
outbound call. Only an agent working the caller's client may take it: a login bound to one
client never sees another's debtor, and the script and the payment options on the screen are the
client's. Among those, an agent on a campaign dialling the account's own portfolio comes first,
then the longest idle. Each client's messages give its own callback number: the number dialled
says which client the caller means, so a caller on file for nobody goes to that client's agents
(any agent when the number dialled is no client's).

Unlike an outbound live answer, a caller may wait (on hold, up to the dialplan's
CONCORD_INBOUND_WAIT); so a call in takes the next free agent before pacing dials for them, and
an outbound live answer, which has 1.2 s, still comes first when both want the same agent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.events import pause_pending
from dialer.floor import Floor


@dataclass(frozen=True, slots=True)
class Caller:
    """The account a call in is about: the debtor's, picked as `dialer.callers` says."""

    account_id: int
    debtor_id: int
    client_id: int
    portfolio_id: int


@dataclass(frozen=True, slots=True)
class Desk:
    """What a campaign offers an inbound call: its client and the portfolios it dials."""

    client_id: int
    portfolio_ids: frozenset[int]


def campaign_for(
    current: int | None,
    assigned: Iterable[int],
    desks: Mapping[int, Desk],
    caller: Caller | None,
    client_id: int | None = None,
) -> tuple[int, int | None] | None:
    """(tier, campaign) under which an agent working `current`, and assigned to `assigned`,
    would take this call in; None when no campaign of theirs is the caller's client's.

    Tier 0: the campaign they are working dials the account's portfolio; 1: it is the client's;
    2: another campaign of theirs is the client's (an agent on two clients' campaigns takes a
    caller of either, review F12). A caller of no known client: tier 0, their own campaign.
    """
    wanted = caller.client_id if caller is not None else client_id
    if wanted is None:
        return 0, current
    best: tuple[int, int | None] | None = None
    for campaign_id in dict.fromkeys([current, *assigned]):
        desk = desks.get(campaign_id) if campaign_id is not None else None
        if desk is None or desk.client_id != wanted:
            continue
        own = caller is not None and caller.portfolio_id in desk.portfolio_ids
        tier = (0 if own else 1) if campaign_id == current else 2
        if best is None or tier < best[0]:
            best = (tier, campaign_id)
    return best


def agent_for(
    floor: Floor,
    desks: Mapping[int, Desk],
    caller: Caller | None,
    client_id: int | None = None,
    assigned: Mapping[int, Iterable[int]] | None = None,
    dialled: Mapping[int, int] | None = None,
) -> int | None:
    """The agent to join a call in to now, or None to keep the caller on hold.

    Ready, present, not promised to another call and not waiting to pause, with a campaign of
    the caller's client (for a caller not on file, of the client whose number they dialled, else
    any agent): working the account's own portfolio first, then the client, then assigned to
    one of its campaigns (`assigned`: each agent's campaigns); longest idle first within each.

    `dialled` counts each campaign's placements still out (ringing, or answered and not yet
    with an agent): the campaign's ready agents were dialled for, so a caller takes one only
    while the campaign has more ready agents than calls out. Taking the last one would leave a
    live answer arriving a second later with nobody, an abandon (the caller waits instead: the
    campaign dials nothing new while they hold, so its calls out resolve within half a minute).
    """
    spare: dict[int | None, int] = {}
    for agent_id in floor.available():
        campaign = floor.views[agent_id].campaign_id
        spare[campaign] = spare.get(campaign, 0) + 1
    for campaign_id, out in (dialled or {}).items():
        spare[campaign_id] = spare.get(campaign_id, 0) - out
    ranked: list[tuple[int, int, int]] = []
    for rank, agent_id in enumerate(floor.available()):
        view = floor.views[agent_id]
        if (
            pause_pending(view.reason) is not None
            or spare.get(view.campaign_id, 0) <= 0
            or agent_id in floor.away  # their screen just closed: no caller they cannot see
        ):
            continue
        theirs = (assigned or {}).get(agent_id, ())
        found = campaign_for(view.campaign_id, theirs, desks, caller, client_id)
        if found is not None:
            ranked.append((found[0], rank, agent_id))
    return min(ranked)[2] if ranked else None
