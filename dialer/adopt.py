"""Calls a previous dialer run placed that are still up on Asterisk, taken over at start.

A dialer restarted mid-shift (deploy, crash) finds its debtors still talking to agents, on
hold, or waiting in the dialplan. Leaving them unowned means the agent's hang-up button does
nothing and the attempt stays open until some later start guesses its outcome. Instead the
stored attempt and the live channel (`CoreShowChannel`, with the manager `channelvars`) are
enough to rebuild the call's state, and its later events then arrive as for any other call.
Pure: the service supplies the rows, channels and clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dialer.ami import Message
from dialer.calls import Call, CallState


@dataclass(frozen=True, slots=True)
class OpenAttempt:
    """What the stored attempt row knows about a call placed by an earlier run."""

    call_id: str
    campaign_id: int | None
    account_id: int
    debtor_id: int
    number: str
    started_at: datetime
    agent_id: int | None
    decision: dict[str, Any]


def state_of(channel: Message) -> tuple[CallState, str]:
    """Where the live channel is in the dialplan, and the agent extension if it is with one."""
    context = channel.get("Context") or ""
    exten = channel.get("Exten") or ""
    if context in ("concord-connect", "concord-hold"):
        return CallState.CONNECTED, exten
    if channel.get("ChannelStateDesc") != "Up":
        return CallState.DIALING, ""
    if context == "concord-dialer" and exten == "abandon":
        return CallState.ABANDONED, ""
    if context == "concord-dialer" and exten == "machine":
        return CallState.MACHINE, ""
    if channel.get("Application") == "Wait":  # past AMD: a person waiting for an agent
        return CallState.LIVE, ""
    return CallState.ANSWERED, ""


def adopt(
    attempt: OpenAttempt,
    channel: Message,
    mode: str,
    agent_id: int | None,
    *,
    now: datetime,
    monotonic: float,
) -> Call:
    """The Call an earlier run would hold now. `agent_id` is the agent whose bridge number the
    channel names (None when it is not with an agent).

    A person found waiting is not connected: the 2-second window's start is unknown, so the
    dialplan's own wait decides (the abandon event follows). Pacing hears nothing of adopted
    calls that already resolved: their placement-to-answer time is unknown.
    """
    state, _ = state_of(channel)
    started = (
        attempt.started_at if attempt.started_at.tzinfo else attempt.started_at.replace(tzinfo=UTC)
    )
    age = max(0.0, (now - started).total_seconds())
    call = Call(
        call_id=attempt.call_id,
        campaign_id=attempt.campaign_id,
        account_id=attempt.account_id,
        debtor_id=attempt.debtor_id,
        number=attempt.number,
        mode=mode,
        placed_at=monotonic - age,
        agent_hint=attempt.agent_id,
        decision=attempt.decision,
        state=state,
        started_at=started,
        recording=channel.channel_variables().get("CONCORD_RECORDING", ""),
        pacing_told=state is not CallState.DIALING,
    )
    if state is not CallState.DIALING:
        call.answered_at = started
    if state is CallState.CONNECTED:
        if agent_id is None:
            call.state = CallState.LIVE  # a bridge of no known agent: treat it as waiting
        else:
            call.agent_id = agent_id
            call.connected_at = now
    return call
