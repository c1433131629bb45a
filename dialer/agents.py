"""Agent states as the console keeps them in Redis, and what the dialer writes back.

The console owns ready/paused/logged_out; the dialer owns on_call and wrap_up (it knows when a
call connects and ends). Both write the same hash, `concord:agent_states`, one field per agent
whose value is JSON `{"state", "since", "campaign_id", "reason"}` (`since` in epoch seconds),
and both publish `AgentStateChanged` on the agent's channel and the floor channel. The hash is
the snapshot a restarted process reloads; pub/sub only wakes the dialer up sooner.

An agent is dialable only when the console says ready AND the agent's softphone is in its
bridge on Asterisk (the dialer sees that over AMI): a ready flag alone would send a debtor
into an empty conference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from core.events import (
    AGENT_STATE_LOG_KEY,
    FLOOR_CHANNEL,
    SCREENS_AWAY_KEY,
    STATE_LOG_LENGTH,
    AgentState,
    AgentStateChanged,
    agent_channel,
)

AGENT_STATES_KEY = "concord:agent_states"


@dataclass(frozen=True, slots=True)
class AgentView:
    agent_id: int
    state: AgentState
    since: float  # epoch seconds
    campaign_id: int | None = None
    reason: str = ""


def parse_states(raw: dict[Any, Any]) -> dict[int, AgentView]:
    """The hash's fields as views; a malformed field is skipped (and named in the error list)."""
    views: dict[int, AgentView] = {}
    for key, value in raw.items():
        try:
            agent_id = int(key)
            data = json.loads(value)
            campaign = data.get("campaign_id")
            views[agent_id] = AgentView(
                agent_id=agent_id,
                state=data["state"],
                since=float(data.get("since", 0.0)),
                campaign_id=int(campaign) if campaign is not None else None,
                reason=str(data.get("reason", "")),
            )
        except (ValueError, KeyError, TypeError):
            continue
    return views


async def read_states(redis: Redis[bytes]) -> dict[int, AgentView]:
    return parse_states(await redis.hgetall(AGENT_STATES_KEY))


async def read_away(redis: Redis[bytes], now_epoch: float) -> set[int]:
    """Agents whose screen closed a moment ago (the console's mark, not yet lapsed)."""
    marked = await redis.zrangebyscore(SCREENS_AWAY_KEY, now_epoch, "+inf")
    return {int(agent) for agent in marked if agent.isdigit()}


async def write_state(
    redis: Redis[bytes],
    agent_id: int,
    state: AgentState,
    at: datetime,
    campaign_id: int | None = None,
    reason: str = "",
) -> AgentStateChanged:
    """Store an agent's state and publish the change (the console uses this too)."""
    value = json.dumps(
        {"state": state, "since": at.timestamp(), "campaign_id": campaign_id, "reason": reason}
    )
    event = AgentStateChanged(
        at=at.astimezone(UTC),
        agent_id=agent_id,
        state=state,
        reason=reason,
        campaign_id=campaign_id,
    )
    frame = event.envelope()
    async with redis.pipeline(transaction=True) as pipe:
        pipe.hset(AGENT_STATES_KEY, str(agent_id), value)
        pipe.publish(agent_channel(agent_id), frame)
        pipe.publish(FLOOR_CHANNEL, frame)
        pipe.xadd(AGENT_STATE_LOG_KEY, {"frame": frame}, maxlen=STATE_LOG_LENGTH, approximate=True)
        await pipe.execute()
    return event
