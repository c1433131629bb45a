"""Pacing policies: how many placements to launch now, as pure objects.

No I/O and no clock reads: a policy sees only snapshots and events, so the live dialer and the
benchmark simulator (`concord bench pacing`) drive the very same object.

    make_policy(mode, abandon_target=0.03, **settings) -> PacingPolicy

Modes: "preview" (the agent dials; the policy never does), "progressive" (at most one
placement per ready agent) and "predictive" (see dialer.pacing_predictive).
"""

from __future__ import annotations

import inspect
from typing import Any

from dialer.pacing_contract import (
    DIAL_RESULTS,
    EVENT_KINDS,
    PacingEvent,
    PacingPolicy,
    PacingSnapshot,
)
from dialer.pacing_predictive import PredictivePolicy, progressive_calls

__all__ = [
    "DIAL_RESULTS",
    "EVENT_KINDS",
    "PacingEvent",
    "PacingPolicy",
    "PacingSnapshot",
    "PredictivePolicy",
    "PreviewPolicy",
    "ProgressivePolicy",
    "make_policy",
]


class PreviewPolicy:
    """Preview dialing is agent-initiated: the account is shown and the agent clicks to dial."""

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        return 0

    def observe(self, event: PacingEvent) -> None:
        return None


class ProgressivePolicy:
    """One placement per ready agent, never more, so no answered call can lack an agent
    (an agent logging out mid-ring is the only way it still happens)."""

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        return progressive_calls(snapshot)

    def observe(self, event: PacingEvent) -> None:
        return None


def make_policy(mode: str, abandon_target: float = 0.03, **settings: Any) -> PacingPolicy:
    """Builds the policy for a campaign's dial mode; bad modes or settings name themselves."""
    if not 0.0 < abandon_target < 1.0:
        raise ValueError(f"abandon_target must be a fraction in (0, 1), got {abandon_target!r}")
    if mode == "predictive":
        accepted = set(inspect.signature(PredictivePolicy).parameters) - {"abandon_target"}
        unknown = sorted(set(settings) - accepted)
        if unknown:
            raise ValueError(
                f"unknown predictive pacing setting(s): {', '.join(unknown)}; "
                f"known: {', '.join(sorted(accepted))}"
            )
        return PredictivePolicy(abandon_target, **settings)
    if mode in ("progressive", "preview"):
        if settings:
            raise ValueError(f"{mode} pacing takes no settings, got: {', '.join(sorted(settings))}")
        return ProgressivePolicy() if mode == "progressive" else PreviewPolicy()
    raise ValueError(f"unknown dial mode {mode!r}; choose preview, progressive or predictive")
