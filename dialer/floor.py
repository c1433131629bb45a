"""Who on the floor can take a call right now: console states + softphones in their bridges +
the dialer's own reservations. Pure; the service feeds it from Redis and AMI.

An agent is *available* when the console says ready, the softphone sits in the agent's bridge,
and the dialer has not already promised them to a call (a live call being redirected, a
preview dial they started, a callback placed for them).

Wrap-up, for pacing, runs from the call's end to the agent's next ready: the console restarts an
agent's `since` when the outcome is saved (timed after-call work follows), so the floor keeps
when each agent's wrap-up began instead of trusting the latest `since`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.events import pause_pending
from dialer.agents import AgentView


@dataclass
class Floor:
    views: dict[int, AgentView] = field(default_factory=dict)
    extensions: dict[int, str] = field(default_factory=dict)  # agent id -> bridge number
    in_bridge: set[str] = field(default_factory=set)  # extensions whose softphone is in
    reserved: dict[int, str] = field(default_factory=dict)  # agent id -> call id
    # Agents whose screen closed a moment ago (core.events.SCREENS_AWAY_KEY): no new calls.
    away: set[int] = field(default_factory=set)
    wrap_began: dict[int, float] = field(default_factory=dict)  # agent id -> epoch seconds

    def refresh(self, views: dict[int, AgentView]) -> list[tuple[AgentView, float]]:
        """Takes the console's latest states; returns (last wrap-up view, when that wrap-up
        began) for each agent whose wrap-up has just ended.

        An agent first seen in wrap-up (a restarted dialer) is taken to have begun at its
        `since`; that under-counts only the wrap-ups already running at start-up.
        """
        ended = [self._wrap_end(old, views.get(agent_id)) for agent_id, old in self.views.items()]
        for view in views.values():
            self._wrap_start(view)
        self.views = views
        return [wrap for wrap in ended if wrap is not None]

    def update(self, view: AgentView) -> tuple[AgentView, float] | None:
        """One agent's new state (one the dialer wrote); as `refresh`, for that agent."""
        ended = self._wrap_end(self.views.get(view.agent_id), view)
        self._wrap_start(view)
        self.views[view.agent_id] = view
        return ended

    def _wrap_end(
        self, old: AgentView | None, new: AgentView | None
    ) -> tuple[AgentView, float] | None:
        if old is None or old.state != "wrap_up" or (new is not None and new.state == "wrap_up"):
            return None
        return old, self.wrap_began.pop(old.agent_id, old.since)

    def _wrap_start(self, view: AgentView) -> None:
        if view.state == "wrap_up":
            self.wrap_began.setdefault(view.agent_id, view.since)
        else:
            self.wrap_began.pop(view.agent_id, None)

    def agent_for_extension(self, extension: str) -> int | None:
        for agent_id, ext in self.extensions.items():
            if ext == extension:
                return agent_id
        return None

    def extension(self, agent_id: int) -> str:
        return self.extensions.get(agent_id, str(agent_id))

    def present(self, agent_id: int) -> bool:
        """The agent's softphone is in their bridge (a call can be joined to them)."""
        return self.extension(agent_id) in self.in_bridge

    def available(self, campaign_id: int | None = None) -> list[int]:
        """Ready, present, unreserved agents (of the campaign when given), longest idle first."""
        found = [
            view
            for view in self.views.values()
            if view.state == "ready"
            and (campaign_id is None or view.campaign_id == campaign_id)
            and view.agent_id not in self.reserved
            and self.present(view.agent_id)
        ]
        return [v.agent_id for v in sorted(found, key=lambda v: (v.since, v.agent_id))]

    def pausing(self, campaign_id: int) -> list[AgentView]:
        """The campaign's ready agents whose pause waits for the calls already out for them."""
        return [
            view
            for view in self.views.values()
            if view.state == "ready"
            and view.campaign_id == campaign_id
            and pause_pending(view.reason) is not None
        ]

    def dialable(self, campaign_id: int) -> list[int]:
        """Available agents the dialer may place calls for (pacing, a callback for its owner):
        a pausing agent, or one whose screen just closed (`away`), takes a call already out but
        is not dialled for again."""
        pausing = {view.agent_id for view in self.pausing(campaign_id)}
        return [
            agent_id
            for agent_id in self.available(campaign_id)
            if agent_id not in pausing and agent_id not in self.away
        ]

    def can_take(self, agent_id: int, call_id: str) -> bool:
        """A specific agent (preview or callback owner) may be joined to `call_id` now: already
        promised to that very call, or ready and free."""
        if self.reserved.get(agent_id) == call_id:
            return self.present(agent_id)
        view = self.views.get(agent_id)
        return (
            view is not None
            and view.state == "ready"
            and agent_id not in self.reserved
            and self.present(agent_id)
        )

    def reserve(self, agent_id: int, call_id: str) -> None:
        self.reserved[agent_id] = call_id

    def release(self, agent_id: int | None, call_id: str) -> None:
        if agent_id is not None and self.reserved.get(agent_id) == call_id:
            del self.reserved[agent_id]

    def release_call(self, call_id: str) -> None:
        for agent_id in [a for a, c in self.reserved.items() if c == call_id]:
            del self.reserved[agent_id]

    def wrap_elapsed(self, campaign_id: int, now: float) -> list[float]:
        """Seconds each of the campaign's agents in wrap-up has spent in it, from the call's end."""
        return [
            max(0.0, now - self.wrap_began.get(v.agent_id, v.since))
            for v in self.views.values()
            if v.state == "wrap_up" and v.campaign_id == campaign_id
        ]
