"""The console's only door to Redis for floor state, dial requests and call commands.

Services receive a `Floor` and never import redis (style point 2). Key names and value shapes
are the dialer's contract (dialer/agents.py, dialer/commands.py): AGENT_STATES holds one JSON
`{"state", "since" (epoch seconds), "campaign_id", "reason"}` per agent, written by both sides;
DIAL_REQUESTS and CALL_COMMANDS are lists the dialer pops, so nothing sent during a dialer
restart is lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Union, cast

import redis
import redis.asyncio as aioredis

from console.live import AgentStatus, LiveCall
from core.events import (
    AGENT_STATE_LOG_KEY,
    CALLS_IN_HOLDING_KEY,
    CAMPAIGN_STATS_KEY,
    FLOOR_CHANNEL,
    LISTEN_REQUESTS_KEY,
    LISTENING_KEY,
    STATE_LOG_LENGTH,
    AgentStateChanged,
    CampaignStats,
    Event,
    ListenState,
    agent_channel,
    parse_envelope,
)

AGENT_STATES = "concord:agent_states"
# The wrap-up deadline the state bar counts down to; the dialer does not need it.
WRAPUP_UNTIL = "concord:agent_wrapup_until"
DIAL_REQUESTS = "concord:dial_requests"
CALL_COMMANDS = "concord:call_commands"
# A login's server-side record, `concord:session:<sid>` = user id: the signed cookie alone
# cannot be taken back, so logging out deletes this and a copied cookie stops working.
SESSION_PREFIX = "concord:session:"
USER_SESSIONS_PREFIX = "concord:user_sessions:"  # a set of each user's session ids
SESSION_ENDED_PREFIX = "concord:session_ended:"  # why a session was ended by another sign-in
SESSION_ENDED_TTL_S = 86_400
# A call whose outcome was saved while it was still up outlives the hang-up by milliseconds;
# the TTL only clears a key whose CallEnded never came (dialer killed mid-call).
AFTER_CALL_TTL_S = 3600

Pipe = Union["redis.client.Pipeline[bytes]", "aioredis.client.Pipeline[bytes]"]


def live_call_key(agent_id: int) -> str:
    return f"concord:agent_call:{agent_id}"


def _claim_key(account_id: int) -> str:
    """Which agent holds an account offered for preview (console.services.preview_queue)."""
    return f"concord:preview_claim:{account_id}"


def after_call_key(agent_id: int) -> str:
    """Where the state an agent goes to when their saved call ends waits for that end."""
    return f"concord:agent_after_call:{agent_id}"


def after_call_value(call_id: str, status: AgentStatus) -> str:
    return json.dumps({"call_id": call_id, "status": status.model_dump(mode="json")})


def parse_after_call(raw: bytes | str | None, call_id: str) -> AgentStatus | None:
    """The waiting state, if it waits for `call_id`'s end."""
    if raw is None:
        return None
    data = json.loads(raw)
    if data.get("call_id") != call_id:
        return None
    return AgentStatus.model_validate(data["status"])


def queue_status(pipe: Pipe, status: AgentStatus) -> None:
    """Queue on `pipe` (sync or async, inside MULTI) what storing a state means: the field the
    dialer reads, the wrap-up deadline the bar counts down to, and the change on both channels."""
    event = AgentStateChanged(
        at=status.since,
        agent_id=status.agent_id,
        state=status.state,
        reason=status.reason,
        campaign_id=status.campaign_id,
    )
    frame = event.envelope()
    pipe.hset(AGENT_STATES, str(status.agent_id), state_value(status))
    if status.wrapup_until is not None:
        pipe.hset(WRAPUP_UNTIL, str(status.agent_id), status.wrapup_until.isoformat())
    else:
        pipe.hdel(WRAPUP_UNTIL, str(status.agent_id))
    pipe.publish(agent_channel(status.agent_id), frame)
    pipe.publish(FLOOR_CHANNEL, frame)
    pipe.xadd(AGENT_STATE_LOG_KEY, {"frame": frame}, maxlen=STATE_LOG_LENGTH, approximate=True)


def state_value(status: AgentStatus) -> str:
    """The dialer's shape for one agent's field in AGENT_STATES."""
    return json.dumps(
        {
            "state": status.state,
            "since": status.since.timestamp(),
            "campaign_id": status.campaign_id,
            "reason": status.reason,
        }
    )


def parse_state(
    agent_id: int, raw: bytes | str | None, until: bytes | str | None, now: datetime
) -> AgentStatus:
    if raw is None:
        return AgentStatus(agent_id=agent_id, since=now)
    data = json.loads(raw)
    status = AgentStatus(
        agent_id=agent_id,
        state=data.get("state", "logged_out"),
        reason=str(data.get("reason") or ""),
        campaign_id=data.get("campaign_id"),
        since=datetime.fromtimestamp(float(data.get("since") or now.timestamp()), UTC),
    )
    if status.state == "wrap_up" and until is not None:
        status.wrapup_until = datetime.fromisoformat(
            until.decode() if isinstance(until, bytes) else until
        )
    return status


def presence_key(agent_id: int) -> str:
    """Set while an agent screen of theirs is open and its link alive (console.screen_watch)."""
    return f"concord:agent:{agent_id}:screen"


class Floor:
    """Synchronous Redis gateway used by request handlers (they run in the threadpool)."""

    def __init__(self, client: redis.Redis[bytes]) -> None:
        self._redis = client

    def open_session(self, sid: str, user_id: int, seconds: int) -> None:
        mine = USER_SESSIONS_PREFIX + str(user_id)
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(SESSION_PREFIX + sid, str(user_id), ex=seconds)
            pipe.sadd(mine, sid)
            pipe.expire(mine, seconds)
            pipe.execute()

    def end_other_sessions(self, user_id: int, keep: str, why: str) -> int:
        """End the user's sessions but `keep`, each remembering `why` for its screen (see
        `why_ended`); returns how many were still live."""
        mine = USER_SESSIONS_PREFIX + str(user_id)
        others = [s.decode() for s in self._redis.smembers(mine) if s.decode() != keep]
        if not others:
            return 0
        with self._redis.pipeline(transaction=True) as pipe:
            for sid in others:
                pipe.delete(SESSION_PREFIX + sid)
                pipe.set(SESSION_ENDED_PREFIX + sid, why, ex=SESSION_ENDED_TTL_S)
            pipe.srem(mine, *others)
            ended = pipe.execute()
        return sum(1 for deleted in ended[0 : 2 * len(others) : 2] if deleted)

    def why_ended(self, sid: str) -> str:
        """Why a session was ended by another sign-in, or "" (logged out, expired)."""
        raw = self._redis.get(SESSION_ENDED_PREFIX + sid)
        return "" if raw is None else raw.decode()

    def session_of(self, sid: str) -> int | None:
        """The user a live session id belongs to; None once logged out or expired."""
        raw = self._redis.get(SESSION_PREFIX + sid)
        return None if raw is None else int(raw)

    def close_session(self, sid: str) -> None:
        self._redis.delete(SESSION_PREFIX + sid)

    def publish(self, event: Event, *channels: str) -> None:
        frame = event.envelope()
        for channel in channels:
            self._redis.publish(channel, frame)

    def status(self, agent_id: int, now: datetime) -> AgentStatus:
        raw = self._redis.hget(AGENT_STATES, str(agent_id))
        until = self._redis.hget(WRAPUP_UNTIL, str(agent_id))
        return parse_state(agent_id, raw, until, now)

    def desk(self, agent_id: int, now: datetime) -> tuple[AgentStatus, LiveCall | None]:
        """The agent's state and live call read at one instant: the hub writes both at a screen
        pop, and two separate reads could pair the new call with the state before it."""
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.hget(AGENT_STATES, str(agent_id))
            pipe.hget(WRAPUP_UNTIL, str(agent_id))
            pipe.get(live_call_key(agent_id))
            raw, until, call = pipe.execute()
        live = None if call is None else LiveCall.model_validate_json(call)
        return parse_state(agent_id, raw, until, now), live

    def set_status(self, status: AgentStatus) -> None:
        """Store the state where the dialer reads it, then tell the dialer and the screens."""
        with self._redis.pipeline(transaction=True) as pipe:
            queue_status(pipe, status)
            pipe.execute()

    def finish_call(self, agent_id: int, call_id: str, after: AgentStatus) -> bool:
        """Take a call whose outcome is saved off the screen and put the agent in `after`.

        While the agent is on the call, `after` waits for the call's CallEnded (the hub applies
        it, see AgentHub): the dialer writes wrap_up when a connected call ends, and storing
        `after` first would let that wrap_up overwrite it, leaving the agent to press Ready by
        hand. Returns True then, and the caller sends the hang-up. Once the call has ended, or
        the dialer has moved the agent off it (wrap_up after a transfer to the team lead: the
        debtor is still talking, to someone else), `after` is stored now and nothing is hung
        up. Watching the live call makes this and the hub's CallEnded exclusive, whichever
        comes first.
        """
        key = live_call_key(agent_id)
        with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = cast("bytes | None", pipe.get(key))  # immediate while watching
                    call = None if raw is None else LiveCall.model_validate_json(raw)
                    field = cast("bytes | None", pipe.hget(AGENT_STATES, str(agent_id)))
                    on_call = field is not None and json.loads(field).get("state") == "on_call"
                    up = (
                        on_call
                        and bool(call_id)
                        and call is not None
                        and call.call_id == call_id
                        and not call.ended
                    )
                    pipe.multi()
                    pipe.delete(key)
                    if up:
                        pipe.set(
                            after_call_key(agent_id),
                            after_call_value(call_id, after),
                            ex=AFTER_CALL_TTL_S,
                        )
                    else:
                        queue_status(pipe, after)
                    pipe.execute()
                    return up
                except redis.WatchError:
                    continue

    def campaign_stats(self) -> dict[int, CampaignStats]:
        """The dialer's latest figures per campaign (absent: no dialer has run it yet). A frame
        this console cannot read (another envelope version mid-upgrade) counts as absent."""
        stats = {}
        for raw in self._redis.hvals(CAMPAIGN_STATS_KEY):
            try:
                event = parse_envelope(raw)
            except ValueError:
                continue
            if isinstance(event, CampaignStats):
                stats[event.campaign_id] = event
        return stats

    def state_changes_since(self, since: datetime) -> list[AgentStateChanged]:
        """Every agent state change logged since `since`, oldest first."""
        first = f"{int(since.timestamp() * 1000)}-0"
        changes = []
        for _, fields in self._redis.xrange(AGENT_STATE_LOG_KEY, min=first, max="+"):
            try:
                event = parse_envelope(fields[b"frame"])
            except (KeyError, ValueError):
                continue
            if isinstance(event, AgentStateChanged):
                changes.append(event)
        return changes

    def calls_in_holding(self, client_id: int | None = None) -> list[datetime]:
        """When each caller now holding for an agent came in, longest first: all of them, or
        (`client_id`) those of that client and those on file for nobody."""
        held = []
        for raw in self._redis.hvals(CALLS_IN_HOLDING_KEY):
            try:
                entry = json.loads(raw)
                since = datetime.fromisoformat(entry["since"])
            except (ValueError, KeyError, TypeError):
                continue
            if client_id is None or entry.get("client_id") in (None, client_id):
                held.append(since)
        return sorted(held)

    def all_statuses(self, now: datetime) -> list[AgentStatus]:
        until = self._redis.hgetall(WRAPUP_UNTIL)
        return [
            parse_state(int(k), v, until.get(k), now)
            for k, v in self._redis.hgetall(AGENT_STATES).items()
        ]

    def screens_open(self, agent_ids: list[int]) -> set[int]:
        """The agents with a screen open and its link alive: a lead tells an agent whose network
        dropped mid-call ('On call', no screen) from one working the call."""
        with self._redis.pipeline(transaction=False) as pipe:
            for agent_id in agent_ids:
                pipe.exists(presence_key(agent_id))
            found = pipe.execute()
        return {agent_id for agent_id, alive in zip(agent_ids, found, strict=True) if alive}

    def claim_preview(self, account_id: int, agent_id: int, seconds: int) -> bool:
        """Hold an account for one agent's preview, so agents on one preview campaign are not
        offered the same account; False when another agent holds it."""
        return bool(self._redis.set(_claim_key(account_id), str(agent_id), nx=True, ex=seconds))

    def _change_live_call(
        self,
        agent_id: int,
        accept: Callable[[LiveCall], bool],
        change: Callable[[LiveCall], LiveCall | None],
    ) -> bool:
        """Replace the agent's live call with `change(call)` (None deletes it) if `accept`s the
        call there now; False, with nothing changed, otherwise. The key is watched, so a screen
        pop landing meanwhile is never overwritten."""
        key = live_call_key(agent_id)
        with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = cast("bytes | None", pipe.get(key))  # immediate while watching
                    call = None if raw is None else LiveCall.model_validate_json(raw)
                    if call is None or not accept(call):
                        pipe.reset()
                        return False
                    changed = change(call)
                    pipe.multi()
                    if changed is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, changed.model_dump_json())
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue

    def end_call(self, agent_id: int, call_id: str, outcome: str) -> bool:
        """Mark the agent's call `call_id` ended with `outcome`, as the hub does on CallEnded;
        False when the screen holds another call by now."""
        return self._change_live_call(
            agent_id,
            lambda call: call.call_id == call_id and not call.ended,
            lambda call: call.model_copy(update={"ended": True, "outcome": outcome}),
        )

    def skip_preview(self, agent_id: int) -> bool:
        """Take an account the agent previewed but did not dial off their screen; False when
        the screen holds anything else (a screen pop that landed a moment ago included)."""
        return self._change_live_call(
            agent_id,
            lambda call: call.source == "preview" and not call.number and not call.call_id,
            lambda call: None,
        )

    def release_preview(self, agent_id: int) -> int | None:
        """At logout: take an account previewed and not dialled off the agent's screen and give
        up its claim, so the next agent is offered it now rather than in 15 minutes; the
        account released, or None when the screen held no such account."""
        call = self.live_call(agent_id)
        if call is None or not self.skip_preview(agent_id):
            return None
        # Delete the claim only while it is this agent's (it may have run out and been taken).
        key = _claim_key(call.account_id)
        with self._redis.pipeline(transaction=True) as pipe:
            try:
                pipe.watch(key)
                held = cast("bytes | None", pipe.get(key))  # immediate while watching
                if held == str(agent_id).encode():
                    pipe.multi()
                    pipe.delete(key)
                    pipe.execute()
            except redis.WatchError:
                pass  # taken meanwhile: the claim is another agent's now
        return call.account_id

    def live_call(self, agent_id: int) -> LiveCall | None:
        raw = self._redis.get(live_call_key(agent_id))
        return None if raw is None else LiveCall.model_validate_json(raw)

    def set_live_call(self, agent_id: int, call: LiveCall) -> None:
        self._redis.set(live_call_key(agent_id), call.model_dump_json())

    def request_dial(
        self, *, agent_id: int, account_id: int, number: str, campaign_id: int | None
    ) -> None:
        """Queue a human-initiated dial for the dialer (which checks compliance again)."""
        request = {
            "agent_id": agent_id,
            "account_id": account_id,
            "number": number,
            "campaign_id": campaign_id,
        }
        self._redis.rpush(DIAL_REQUESTS, json.dumps(request))

    def call_command(
        self,
        *,
        call_id: str,
        action: str,
        agent_id: int,
        target_agent_id: int | None = None,
        account_id: int | None = None,
    ) -> None:
        """Hang up, hold, take off hold or transfer (to `target_agent_id`, else the team lead),
        or identify a call in's account (`account_id`)."""
        command: dict[str, Any] = {"call_id": call_id, "action": action, "agent_id": agent_id}
        if target_agent_id is not None:
            command["target_agent_id"] = target_agent_id
        if account_id is not None:
            command["account_id"] = account_id
        self._redis.rpush(CALL_COMMANDS, json.dumps(command))

    def listen(self, lead_id: int, agent_id: int | None) -> None:
        """Asks the dialer to put the lead's phone on the agent's calls (dialer.listening),
        or, with no agent, to take it off; the answer comes back in `listening`."""
        request: dict[str, Any] = {"lead_id": lead_id, "action": "stop"}
        if agent_id is not None:
            request |= {"action": "listen", "agent_id": agent_id}
        self._redis.rpush(LISTEN_REQUESTS_KEY, json.dumps(request))

    def listening(self, lead_id: int) -> ListenState | None:
        """Whom the lead listens to, or why the dialer could not put them on; None: nobody."""
        raw = self._redis.hget(LISTENING_KEY, str(lead_id))
        return None if raw is None else ListenState.model_validate_json(raw)

    def ping(self) -> bool:
        return bool(self._redis.ping())
