"""The pacing contract: the plain data a dialer (live or simulated) hands to a pacing policy.

It lives apart from the policies so the live dialer, the benchmark simulator and every policy
import the same two records and one protocol, and none of them imports another's machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

EVENT_KINDS = frozenset({"resolved", "connected", "abandoned", "talk_ended", "wrap_ended"})
DIAL_RESULTS = frozenset({"live", "machine", "busy", "no_answer", "failed"})


@dataclass(frozen=True, slots=True)
class PacingSnapshot:
    """What the floor looks like at `now`; elapsed times rather than start times so no clock is
    needed to read it."""

    now: float
    agents_ready: int
    talk_elapsed: list[float]
    wrap_elapsed: list[float]
    dials_elapsed: list[float]
    live_waiting: int

    def __post_init__(self) -> None:
        if self.agents_ready < 0:
            raise ValueError(f"PacingSnapshot.agents_ready must be >= 0, got {self.agents_ready}")
        if self.live_waiting < 0:
            raise ValueError(f"PacingSnapshot.live_waiting must be >= 0, got {self.live_waiting}")


@dataclass(frozen=True, slots=True)
class PacingEvent:
    """One thing that happened to a placement or an agent, timed in the snapshot's clock.

    kind "resolved" carries `result` and seconds from placement to resolution; "connected" the
    seconds from live answer to agent; "talk_ended" and "wrap_ended" their durations.
    """

    kind: str
    at: float
    seconds: float = 0.0
    result: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(
                f"PacingEvent.kind {self.kind!r} is not one of {', '.join(sorted(EVENT_KINDS))}"
            )
        if self.kind == "resolved" and self.result not in DIAL_RESULTS:
            raise ValueError(
                f"PacingEvent.result {self.result!r} for a resolved dial is not one of "
                f"{', '.join(sorted(DIAL_RESULTS))}"
            )
        if self.seconds < 0:
            raise ValueError(f"PacingEvent.seconds must be >= 0, got {self.seconds}")


class PacingPolicy(Protocol):
    """Decides how many placements to launch; called every second and when an agent frees up."""

    def calls_to_place(self, snapshot: PacingSnapshot) -> int: ...

    def observe(self, event: PacingEvent) -> None: ...
