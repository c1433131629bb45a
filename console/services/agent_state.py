"""The agent's state machine: logged in, ready, paused with a reason, on a call, wrap-up.

Pure over AgentStatus values (the caller stores the result and tells the dialer). `on_call` is
entered only by the dialer's CallConnected; the agent cannot pick it, nor leave a live call by
clicking "ready".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from console.live import AgentStatus
from core.events import PAUSING, pause_pending
from core.models import Campaign

LOGGED_IN = "logged_in"  # paused, not yet ready: the first state after login
AFTER_CALL_WORK = "after_call_work"
SCREEN_CLOSED = "screen_closed"  # paused by the console: no agent screen was open
CONNECTION_LOST = "connection_lost"  # paused by the console: the screen's link went silent
PAUSE_REASONS: dict[str, str] = {
    "break": "Break",
    "lunch": "Lunch",
    "training": "Training",
    "meeting": "Team meeting",
    "coaching": "Coaching",
    "technical": "Technical problem",
}


class StateRefused(ValueError):
    """The change is not allowed now; the message says what to do instead."""


def label(status: AgentStatus) -> str:
    if status.state == "paused":
        if status.reason == LOGGED_IN:
            return "Logged in"
        if status.reason == SCREEN_CLOSED:
            return "Paused: screen closed"
        if status.reason == CONNECTION_LOST:
            return "Paused: connection lost"
        return f"Paused: {PAUSE_REASONS.get(status.reason, status.reason)}"
    now = {
        "ready": "Ready",
        "on_call": "On call",
        "wrap_up": "Wrap-up",
        "logged_out": "Logged out",
    }[status.state]
    pending = pause_pending(status.reason)
    if pending is None:
        return now
    then = PAUSE_REASONS.get(pending, pending)
    if status.state == "ready":
        return f"Pausing ({then}) once the calls already ringing end"
    return f"{now}, then paused: {then}"


def _guard_call(status: AgentStatus, action: str, open_call: bool) -> None:
    """`open_call`: a dialer call is on screen without a saved outcome."""
    if status.state == "on_call":
        raise StateRefused(f"Finish the call before you {action}.")
    if open_call:
        raise StateRefused(f"Save the call's outcome before you {action}.")


def logged_in(agent_id: int, campaign_id: int | None, now: datetime) -> AgentStatus:
    return AgentStatus(
        agent_id=agent_id, state="paused", reason=LOGGED_IN, campaign_id=campaign_id, since=now
    )


def ready(
    status: AgentStatus, campaign_id: int | None, now: datetime, *, open_call: bool = False
) -> AgentStatus:
    _guard_call(status, "go ready", open_call)
    if campaign_id is None:
        raise StateRefused("You are not assigned to a campaign; ask your team lead.")
    return AgentStatus(agent_id=status.agent_id, state="ready", campaign_id=campaign_id, since=now)


def pause(
    status: AgentStatus,
    reason: str,
    now: datetime,
    *,
    open_call: bool = False,
    calls_out: bool = False,
) -> AgentStatus:
    """Paused now; or once the calls that count on the agent are done with:
    - on a call, or with its outcome not yet saved: after the outcome is saved;
    - Ready while the campaign's dialer may have calls out (`calls_out`): once the dialer has
      settled them. They were placed counting on this agent, and pausing at once would leave
      a debtor who answers one with nobody, an abandoned call. Pressing Pause again changes
      only the reason: the dialer settles within a minute, and with the dialer silent
      (`calls_out` False) the pause is immediate."""
    if reason not in PAUSE_REASONS:
        raise StateRefused("Choose a pause reason.")
    pending = f"{PAUSING}{reason}"
    if status.state == "on_call" or open_call:
        return status.model_copy(update={"reason": pending})
    if status.state == "ready" and calls_out:
        waiting = pause_pending(status.reason) is not None
        return AgentStatus(
            agent_id=status.agent_id,
            state="ready",
            reason=pending,
            campaign_id=status.campaign_id,
            since=status.since if waiting else now,  # the calls out before the first press
        )
    return _paused(status, reason, now)


def _paused(status: AgentStatus, reason: str, now: datetime) -> AgentStatus:
    return AgentStatus(
        agent_id=status.agent_id,
        state="paused",
        reason=reason,
        campaign_id=status.campaign_id,
        since=now,
    )


def screen_closed(
    status: AgentStatus, now: datetime, reason: str = SCREEN_CLOSED
) -> AgentStatus | None:
    """Paused when Ready (or in wrap-up, which would turn Ready) with no screen open: the
    dialer would connect debtors to an empty seat. None when nothing should change: an agent
    on a call keeps it, a paused one stays as they are. Not logged out (VICIdial's LAGGED):
    the agent opens the screen again and presses Ready."""
    if status.state not in ("ready", "wrap_up"):
        return None
    return _paused(status, reason, now)


def logged_out(
    status: AgentStatus, now: datetime, *, open_call: bool = False, calls_out: bool = False
) -> AgentStatus:
    """Logged out; refused on a call, and while Ready with calls the dialer placed counting on
    the agent (`calls_out`): a debtor answering one would find nobody, an abandoned call. Pause
    waits for those calls; logging out did not."""
    _guard_call(status, "log out", open_call)
    if status.state == "ready" and calls_out:
        raise StateRefused(
            "Calls are ringing for you: press Pause first, and log out once they have ended "
            "(a debtor who answers one would find nobody)."
        )
    return AgentStatus(agent_id=status.agent_id, state="logged_out", since=now)


def after_disposition(status: AgentStatus, campaign: Campaign | None, now: datetime) -> AgentStatus:
    """Back to ready, or to timed wrap-up when the campaign gives after-call work time.

    From a pause (a preview account worked while paused) the agent stays paused; a pause
    asked for while the call rang starts now.
    """
    if status.state == "paused":
        return status
    pending = pause_pending(status.reason)
    if pending is not None:
        return _paused(status, pending, now)
    seconds = campaign.wrapup_seconds if campaign else 0
    campaign_id = campaign.id if campaign else status.campaign_id
    if seconds > 0:
        return AgentStatus(
            agent_id=status.agent_id,
            state="wrap_up",
            reason=AFTER_CALL_WORK,
            campaign_id=campaign_id,
            since=now,
            wrapup_until=now + timedelta(seconds=seconds),
        )
    return AgentStatus(agent_id=status.agent_id, state="ready", campaign_id=campaign_id, since=now)
