"""What the pacing policy is shown of one campaign's floor, in the simulator's terms; progressive
dialing counts from the same snapshot (one placement per ready agent, less those out for them).

The contract (dialer.pacing_contract) counts ready agents as supply, agents in talk or wrap-up
as supply to come, and placements in flight and live answers waiting as demand. The live floor
has one thing the simulator has not: calls promised to one agent before they are answered (a
preview dial, a callback for its owner, a live call whose Redirect is on its way). Such a call
and its agent are a pair: the agent is not free for anyone else, and the call wants no one
else, so neither is offered to the policy as supply or demand. A call whose Redirect is on its
way counts as a talk just begun, as the simulator's instant connect would show it.
"""

from __future__ import annotations

from collections.abc import Iterable

from dialer.agents import AgentView
from dialer.calls import Call, CallState
from dialer.floor import Floor
from dialer.pacing_contract import PacingSnapshot

UNRESOLVED = (CallState.DIALING, CallState.ANSWERED)


def pacing_snapshot(
    calls: Iterable[Call], floor: Floor, campaign_id: int, epoch: float, mono: float
) -> PacingSnapshot:
    """The campaign's snapshot at `epoch` (the pacing clock); placements age on `mono`."""
    promised = set(floor.reserved.values())
    talk, dials, waiting = [], [], 0
    for call in calls:
        if call.state is CallState.CONNECTED and call.connected_at is not None:
            talk.append(max(0.0, epoch - call.connected_at.timestamp()))
        elif call.state is CallState.CONNECTING:
            talk.append(0.0)
        elif call.call_id in promised:
            continue
        elif call.state in UNRESOLVED:
            dials.append(mono - call.placed_at)
        elif call.state is CallState.LIVE:
            waiting += 1
    return PacingSnapshot(
        now=epoch,
        agents_ready=len(floor.dialable(campaign_id)),
        talk_elapsed=talk,
        wrap_elapsed=floor.wrap_elapsed(campaign_id, epoch),
        dials_elapsed=dials,
        live_waiting=waiting,
    )


#: A pause never waits longer than this for the calls out before it (a call stuck unresolved).
PAUSE_WAIT_MAX_S = 60.0


def pauses_due(
    calls: Iterable[Call], floor: Floor, campaign_id: int, epoch: float, mono: float
) -> list[AgentView]:
    """The campaign's pausing agents whose pause can start: no call placed before they asked
    is still ringing or waiting for an agent (those were paced counting on them)."""
    pending = [c for c in calls if c.state in (*UNRESOLVED, CallState.LIVE)]
    due = []
    for view in floor.pausing(campaign_id):
        placed_before = any(epoch - (mono - c.placed_at) <= view.since for c in pending)
        if not placed_before or epoch - view.since >= PAUSE_WAIT_MAX_S:
            due.append(view)
    return due
