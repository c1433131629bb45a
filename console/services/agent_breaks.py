"""Each agent's pauses today, by reason, for the team lead: a break history, not only the
state right now. Read from the state-change log every writer appends to (console and dialer,
core.events.AGENT_STATE_LOG_KEY); a pause runs from its change to the agent's next change, or
to now. Pure: the caller reads the changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from console.services.agent_state import (
    CONNECTION_LOST,
    LOGGED_IN,
    PAUSE_REASONS,
    SCREEN_CLOSED,
)
from core.events import AgentStateChanged

# Pauses no agent chose, named for the lead.
_OTHER_PAUSES = {
    LOGGED_IN: "Not yet ready",
    CONNECTION_LOST: "Connection lost",
    SCREEN_CLOSED: "Screen closed",
}


@dataclass
class Breaks:
    """One agent's pauses of the day: count and seconds per reason, in the lead's words."""

    by_reason: dict[str, tuple[int, float]] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.by_reason.values())

    def add(self, reason: str, seconds: float) -> None:
        count, total = self.by_reason.get(reason, (0, 0.0))
        self.by_reason[reason] = (count + 1, total + seconds)

    def words(self) -> str:
        """'Break 0:15 ×2 · Lunch 0:31', longest first."""
        ranked = sorted(self.by_reason.items(), key=lambda item: -item[1][1])
        return " · ".join(
            f"{reason} {clock(seconds)}" + (f" ×{count}" if count > 1 else "")
            for reason, (count, seconds) in ranked
        )


def clock(seconds: float) -> str:
    """h:mm, as a lead reads time away from the phones."""
    minutes = int(seconds // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def reason_words(reason: str) -> str:
    return PAUSE_REASONS.get(reason) or _OTHER_PAUSES.get(reason) or reason or "Paused"


def day_breaks(changes: Iterable[AgentStateChanged], now: datetime) -> dict[int, Breaks]:
    """Every agent's pauses among `changes` (oldest first), each until that agent's next
    change or `now`; a logout ends a pause and starts none."""
    open_pause: dict[int, tuple[str, datetime]] = {}
    found: dict[int, Breaks] = {}
    for change in changes:
        began = open_pause.pop(change.agent_id, None)
        if began is not None:
            reason, since = began
            found.setdefault(change.agent_id, Breaks()).add(
                reason, max(0.0, (change.at - since).total_seconds())
            )
        if change.state == "paused":
            open_pause[change.agent_id] = (reason_words(change.reason), change.at)
    for agent_id, (reason, since) in open_pause.items():
        found.setdefault(agent_id, Breaks()).add(reason, max(0.0, (now - since).total_seconds()))
    return found
