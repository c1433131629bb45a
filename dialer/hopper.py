"""The hopper: the short queue of accounts a campaign dials next, in priority order.

Pure: the service fills it with candidates the compliance engine allowed at fill time and asks
the engine again just before each dial (a debtor can move into a blocked hour, or another
channel can use up the week's calls, between the two). Priority, highest first: a callback
that is due, then the segment score, then whether now is a time this debtor has answered
before. A callback owned by an agent goes to that agent while they are ready; after a grace
period anyone may take it, so a callback is never lost because its agent went home.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

CALLBACK_GRACE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An account the campaign could dial, with what ranks it."""

    account_id: int
    debtor_id: int
    number: str
    segment_score: float = 0.0
    best_time: bool = False  # the debtor has answered at this hour of day before
    callback_id: int | None = None
    callback_due: datetime | None = None
    callback_agent: int | None = None

    def priority(self) -> tuple[int, float, float, int, int]:
        """Sort key: smaller is dialled first."""
        due = 0 if self.callback_id is not None else 1
        due_ts = self.callback_due.timestamp() if self.callback_due else 0.0
        return (due, due_ts, -self.segment_score, 0 if self.best_time else 1, self.account_id)


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates in dialling order, one per account (a due callback beats a plain entry)."""
    best: dict[int, Candidate] = {}
    for cand in candidates:
        held = best.get(cand.account_id)
        if held is None or cand.priority() < held.priority():
            best[cand.account_id] = cand
    return sorted(best.values(), key=Candidate.priority)


@dataclass
class Hopper:
    """One campaign's queue; `size` is how many entries a refill aims for."""

    campaign_id: int
    size: int = 20
    entries: list[Candidate] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def wants_refill(self, ready_agents: int) -> bool:
        """Refill below a third of the target, or when fewer entries than ready agents wait."""
        return len(self.entries) < max(self.size // 3, ready_agents, 1)

    def refill(self, candidates: Iterable[Candidate], busy_accounts: set[int]) -> None:
        """Replace the queue with ranked candidates, leaving out accounts already on a call."""
        self.entries = [c for c in rank(candidates) if c.account_id not in busy_accounts][
            : self.size
        ]

    def take(self, ready_agents: set[int], now: datetime) -> Candidate | None:
        """The next entry some ready agent may get, or None.

        A callback whose owner is not ready is skipped (it stays queued) until the grace
        period after its due time has passed; then anyone may take it.
        """
        for index, cand in enumerate(self.entries):
            owner = cand.callback_agent
            if owner is None or owner in ready_agents:
                return self.entries.pop(index)
            if cand.callback_due is not None and now - cand.callback_due >= CALLBACK_GRACE:
                return self.entries.pop(index)
        return None

    def drop(self, account_id: int) -> None:
        """Remove an account (compliance said no at dial time, or it was dialled elsewhere)."""
        self.entries = [c for c in self.entries if c.account_id != account_id]
