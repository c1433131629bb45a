"""The lead's break history: each agent's pauses of the day, by reason, until the next change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from console.services.agent_breaks import day_breaks
from core.events import AgentStateChanged

NINE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def change(agent: int, minutes: float, state: str, reason: str = "") -> AgentStateChanged:
    return AgentStateChanged(
        at=NINE + timedelta(minutes=minutes), agent_id=agent, state=state, reason=reason,  # type: ignore[arg-type]
        campaign_id=1,
    )  # fmt: skip


def test_each_pause_runs_to_the_agents_next_change_and_the_last_to_now() -> None:
    changes = [
        change(7, 0, "paused", "logged_in"),
        change(7, 2, "ready"),
        change(8, 3, "paused", "lunch"),
        change(7, 60, "paused", "break"),
        change(7, 75, "ready"),
        change(7, 120, "paused", "break"),
        change(7, 130, "logged_out"),  # a logout ends the pause and starts none
        change(8, 33, "ready"),
        change(8, 200, "paused", "connection_lost"),
    ]
    found = day_breaks(sorted(changes, key=lambda c: c.at), now=NINE + timedelta(minutes=204))
    assert found[7].by_reason == {"Not yet ready": (1, 120.0), "Break": (2, 1500.0)}
    assert found[7].words() == "Break 0:25 ×2 · Not yet ready 0:02"
    assert found[8].words() == "Lunch 0:30 · Connection lost 0:04"
    assert found[8].seconds == 34 * 60
