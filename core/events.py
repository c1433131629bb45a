"""The event contract every Concord process shares: one pydantic model per event.

The dialer turns raw AMI into these; the console, QA and team-lead views consume them. Events go
over Redis pub/sub for live screens only; anything that must not be lost (attempts, dispositions,
follow-ups) is written to the database or RQ first, and screens reload a snapshot on (re)connect.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

ENVELOPE_VERSION = 1
FLOOR_CHANNEL = "concord:floor"
# The latest CampaignStats envelope per campaign (a hash keyed by campaign id): pages that poll
# read what the dialer is doing without subscribing, and a stale entry means the dialer is silent.
CAMPAIGN_STATS_KEY = "concord:campaign_stats"
# Callers holding for an agent (calls in): a hash of call id -> {"since", "client_id"}, written by
# the dialer as they come and go, read by the lead page (a live queue a lead must see).
CALLS_IN_HOLDING_KEY = "concord:calls_in_holding"
# Agents whose screen closed (or whose link dropped) a moment ago, a sorted set scored by when
# the mark lapses (epoch seconds): the dialer places no new call for them meanwhile, though a
# call already out may still reach them (a reload reconnects within the console's grace).
SCREENS_AWAY_KEY = "concord:screens_away"
# Every agent state change as its AgentStateChanged envelope, in a Redis stream (ids are the
# write's milliseconds): the lead's view of the day's pauses reads it. Trimmed to about the
# last STATE_LOG_LENGTH changes, days of a large floor.
AGENT_STATE_LOG_KEY = "concord:agent_state_log"
STATE_LOG_LENGTH = 200_000
# A team lead listening in (dialer.listening): requests on a list, {"lead_id", "action": "listen"
# | "stop", "agent_id"}, and the dialer's answer per lead in a hash (lead id -> ListenState).
LISTEN_REQUESTS_KEY = "concord:listen_requests"
LISTENING_KEY = "concord:listening"

AgentState = Literal["logged_out", "ready", "paused", "on_call", "wrap_up"]
# A pause that waits for the calls already ringing for the agent keeps the agent ready with the
# reason "pausing:<pause reason>": the dialer places nothing more for them, still joins them to
# a call answered meanwhile, carries the reason through that call and settles the pause.
PAUSING = "pausing:"


def pause_pending(reason: str) -> str | None:
    """The pause reason an agent waits to take, or None."""
    return reason.removeprefix(PAUSING) if reason.startswith(PAUSING) else None


def agent_channel(agent_id: int) -> str:
    """Pub/sub channel with everything one agent's screen must hear."""
    return f"concord:agent:{agent_id}"


def campaign_channel(campaign_id: int) -> str:
    """Pub/sub channel with a campaign's live figures (team-lead wallboard)."""
    return f"concord:campaign:{campaign_id}"


class Event(BaseModel):
    """Base of every domain event: a stable name and the time it happened."""

    model_config = ConfigDict(frozen=True)
    name: ClassVar[str] = "event"
    at: datetime

    def envelope(self) -> str:
        """The versioned wire frame: {"op": name, "v": 1, "data": {...}}."""
        return json.dumps(
            {"op": self.name, "v": ENVELOPE_VERSION, "data": self.model_dump(mode="json")}
        )


class AgentStateChanged(Event):
    """An agent went ready, paused (with a reason code), on a call, to wrap-up or logged out."""

    name: ClassVar[str] = "agent_state_changed"
    agent_id: int
    state: AgentState
    reason: str = ""
    campaign_id: int | None = None


class CallPlaced(Event):
    """The dialer sent an Originate; `call_id` is the ChannelId we passed in."""

    name: ClassVar[str] = "call_placed"
    call_id: str
    campaign_id: int | None
    account_id: int
    number: str
    agent_id: int | None = None


class CallConnected(Event):
    """A live answer was joined to an agent: the screen pop."""

    name: ClassVar[str] = "call_connected"
    call_id: str
    agent_id: int
    account_id: int
    debtor_id: int
    campaign_id: int | None
    number: str
    answer_to_agent_ms: int
    # The debtor called us (a call in): no dial decision stands behind it, and the screen says so.
    inbound: bool = False


class CallEnded(Event):
    """A call finished with a compliance outcome (no_answer, busy, voicemail, ...)."""

    name: ClassVar[str] = "call_ended"
    call_id: str
    account_id: int
    outcome: str
    agent_id: int | None = None
    attempt_id: int | None = None
    recording_ref: str = ""


class CallAbandoned(Event):
    """A live person answered and no agent was connected within 2 seconds."""

    name: ClassVar[str] = "call_abandoned"
    call_id: str
    campaign_id: int | None
    account_id: int


class HopperEmpty(Event):
    """A campaign has nothing it may dial now: an alert, never a silent floor."""

    name: ClassVar[str] = "hopper_empty"
    campaign_id: int
    reason: str


# How CampaignStats.pacing begins when the campaign places no calls at all right now.
NOTHING_TO_DIAL = "nothing to dial: "
OUTSIDE_SCHEDULE = "outside the campaign's calling schedule"


class CampaignStats(Event):
    """Live figures for a campaign's wallboard."""

    name: ClassVar[str] = "campaign_stats"
    campaign_id: int
    dial_mode: str
    effective_mode: str
    abandon_rate_30d: float
    abandon_rate_today: float
    agents_ready: int
    calls_in_flight: int
    hopper_size: int
    # why it dials as it does right now, in a team lead's words ("dialing ahead", "learning ...")
    pacing: str = ""

    @property
    def places_no_calls(self) -> bool:
        """Whether `pacing` says the campaign places no calls now whatever its agents do, so the
        agent screen can tell agents sitting Ready why none comes."""
        return self.pacing == OUTSIDE_SCHEDULE or self.pacing.startswith(NOTHING_TO_DIAL)


class DispositionSaved(Event):
    """An agent saved an outcome; follow-ups are already queued when this is published."""

    name: ClassVar[str] = "disposition_saved"
    attempt_id: int
    account_id: int
    agent_id: int
    code: str
    category: str


EVENT_TYPES: dict[str, type[Event]] = {
    cls.name: cls
    for cls in (
        AgentStateChanged,
        CallPlaced,
        CallConnected,
        CallEnded,
        CallAbandoned,
        HopperEmpty,
        CampaignStats,
        DispositionSaved,
    )
}


def parse_envelope(frame: str | bytes) -> Event:
    """Turn a wire frame back into its event; raises ValueError on an unknown op or version."""
    payload: dict[str, Any] = json.loads(frame)
    if payload.get("v") != ENVELOPE_VERSION:
        raise ValueError(f"unsupported envelope version {payload.get('v')!r}")
    event_type = EVENT_TYPES.get(str(payload.get("op")))
    if event_type is None:
        raise ValueError(f"unknown event {payload.get('op')!r}")
    return event_type.model_validate(payload["data"])


class ListenState(BaseModel):
    """What the lead page says: listening to `agent_id` since `since`, or why it could not."""

    agent_id: int | None
    listening: bool
    message: str = ""
    since: datetime
    channel: str = ""  # the listen pair's channel id, for a restarted dialer to hang it up
