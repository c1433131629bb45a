"""Which calls QA reviews: a fixed number per agent per week, drawn at random but reproducibly.

Reviewing whatever is on top of the list means reviewing the last hour of the busiest agent;
a sample per agent gives every agent the same scrutiny, and a seeded draw means two reviewers
(or the same one after a reload) see the same sample, while an agent cannot predict which of
their calls will be heard. Only conversations with a recording can be scored. Pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    attempt_id: int
    agent_id: int


def _draw(seed: str, attempt_id: int) -> bytes:
    return hashlib.blake2b(f"{seed}:{attempt_id}".encode(), digest_size=8).digest()


def sample(
    candidates: Iterable[Candidate],
    per_agent: int,
    seed: str,
    reviewed: Collection[int] = (),
) -> list[int]:
    """Up to `per_agent` attempt ids per agent, in draw order; the same inputs, the same ids.

    Calls already `reviewed` stay in the sample and count toward it: new calls arriving through
    the week change the draw, and a scored call dropping off the list left a reviewer unable to
    finish the week."""
    pool = list(candidates)
    drawn = sorted(pool, key=lambda c: (c.attempt_id not in reviewed, _draw(seed, c.attempt_id)))
    taken: dict[int, int] = {}
    chosen = []
    for candidate in drawn:
        if candidate.attempt_id in reviewed or taken.get(candidate.agent_id, 0) < per_agent:
            taken[candidate.agent_id] = taken.get(candidate.agent_id, 0) + 1
            chosen.append(candidate.attempt_id)
    return chosen
