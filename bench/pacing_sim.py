"""A seeded discrete-event simulation of one campaign shift, driving any pacing policy through
the same snapshot-and-events contract the live dialer uses (dialer.pacing_contract).

The phone network: each placement reaches a live person with the scenario's live rate (which may
drift through the shift); otherwise an answering machine (30%), no answer (55%), busy (10%) or a
failed placement (5%). Live and machine answers come after 5-25 s of ringing plus the
answering-machine detection's verdict (1-2.5 s for a person, 2.5-5 s for a machine); no answer
resolves after 24-30 s, busy after 2-4 s, a failure within 1.5 s. A live answer not joined to an
agent within 2 s is abandoned. AMD may err: a person judged a machine is hung up on (an abandon,
which the dialer counts and reports as one); a machine judged a person is handed to an agent for
a few seconds, or dropped, which the dialer counts but the truth does not.

Agents talk and wrap up for lognormal times around 180 s and 30 s. With `churn`, agents log in
late, take breaks and leave early; time away is not logged-in time.

Randomness comes in per-day streams indexed by placement and connect order (common random
numbers), so replays of a day with different policies see the same calls and the same talks.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dialer.pacing_contract import PacingEvent, PacingPolicy, PacingSnapshot

DAY_SECONDS = 86_400.0
SHIFT_START = 9 * 3600.0  # the shift's offset within each simulated day
SHIFT_SECONDS = 8 * 3600.0
GRACE_SECONDS = 2.0
TALK_MEAN, TALK_SIGMA = 180.0, 0.6
WRAP_MEAN, WRAP_SIGMA = 30.0, 0.4
# Non-live outcomes as cumulative shares of the non-live placements.
_NON_LIVE = (("machine", 0.30), ("no_answer", 0.85), ("busy", 0.95), ("failed", 1.0))

_RESOLVE, _TALK_END, _WRAP_END, _DEADLINE, _BACK = range(5)


@dataclass(frozen=True)
class Scenario:
    """One campaign floor: team size, live rate (optionally drifting), AMD errors, agent churn."""

    name: str
    agents: int
    live_rate: float
    peak_live_rate: float | None = None  # drift: rises to this mid-shift, then back
    amd_false_machine: float = 0.0  # share of live people AMD calls a machine
    amd_false_live: float = 0.0  # share of machines AMD calls a person
    churn: bool = False
    # Spread of wrap-up times; near 0 is a what-if: a timer readies every agent at 30 s.
    wrap_sigma: float = WRAP_SIGMA

    def live_rate_at(self, shift_fraction: float) -> float:
        if self.peak_live_rate is None:
            return self.live_rate
        bump = math.sin(math.pi * min(max(shift_fraction, 0.0), 1.0))
        return self.live_rate + (self.peak_live_rate - self.live_rate) * bump


@dataclass
class DayResult:
    """True figures for one or more shifts (truth, not what the dialer believed)."""

    talk_seconds: float = 0.0
    logged_in_seconds: float = 0.0
    lives: int = 0
    abandoned: int = 0
    connects: int = 0
    placements: int = 0
    day_rates: list[float] = field(default_factory=list)

    def add(self, other: DayResult) -> None:
        self.talk_seconds += other.talk_seconds
        self.logged_in_seconds += other.logged_in_seconds
        self.lives += other.lives
        self.abandoned += other.abandoned
        self.connects += other.connects
        self.placements += other.placements
        self.day_rates.extend(other.day_rates)

    @property
    def abandon_rate(self) -> float:
        return self.abandoned / self.lives if self.lives else 0.0

    @property
    def occupancy(self) -> float:
        return self.talk_seconds / self.logged_in_seconds if self.logged_in_seconds else 0.0


class _Draws:
    """Lazily generated blocks of random rows: row i of a stream is fixed by the seed alone."""

    def __init__(self, rng: np.random.Generator, columns: int, normal: bool) -> None:
        self._rng, self._columns, self._normal = rng, columns, normal
        self._rows: list[list[float]] = []

    def next(self) -> list[float]:
        if not self._rows:
            size = (4096, self._columns)
            block = self._rng.standard_normal(size) if self._normal else self._rng.random(size)
            self._rows = block.tolist()
            self._rows.reverse()
        return self._rows.pop()


def _streams(seed: int, scenario_key: int, day: int) -> tuple[_Draws, _Draws, np.random.Generator]:
    def rng(stream: int) -> np.random.Generator:
        return np.random.default_rng([seed, scenario_key, day, stream])

    return _Draws(rng(0), 4, normal=False), _Draws(rng(1), 2, normal=True), rng(2)


def draw_placement(scenario: Scenario, live_rate: float, u: list[float]) -> tuple[str, str, float]:
    """(true outcome, AMD verdict, placed-to-resolved seconds) from four uniforms."""
    u_out, u_ring, u_amd, u_err = u
    ring = 5.0 + 20.0 * u_ring
    if u_out < live_rate:
        verdict = "machine" if u_err < scenario.amd_false_machine else "live"
        return "live", verdict, ring + 1.0 + 1.5 * u_amd
    share = (u_out - live_rate) / (1.0 - live_rate)
    outcome = next(name for name, upto in _NON_LIVE if share < upto)
    if outcome == "machine":
        verdict = "live" if u_err < scenario.amd_false_live else "machine"
        return "machine", verdict, ring + 2.5 + 2.5 * u_amd
    if outcome == "no_answer":
        return outcome, outcome, 24.0 + 6.0 * u_ring
    if outcome == "busy":
        return outcome, outcome, 2.0 + 2.0 * u_ring
    return outcome, outcome, 0.5 + u_ring


def _lognormal(mean: float, sigma: float, z: float) -> float:
    return math.exp(math.log(mean) - sigma * sigma / 2 + sigma * z)


@dataclass
class _Schedule:
    """When each agent logs in, takes breaks (start, minutes) and leaves, in shift seconds."""

    login: list[float]
    logout: list[float]
    breaks: list[list[tuple[float, float]]]


def _schedule(scenario: Scenario, rng: np.random.Generator) -> _Schedule:
    n = scenario.agents
    if not scenario.churn:
        return _Schedule([0.0] * n, [math.inf] * n, [[] for _ in range(n)])
    late = rng.random(n) < 0.3
    early = rng.random(n) < 0.3
    login = np.where(late, rng.uniform(0, 1800, n), 0.0).tolist()
    logout = np.where(early, SHIFT_SECONDS - rng.uniform(0, 3600, n), SHIFT_SECONDS).tolist()
    breaks: list[list[tuple[float, float]]] = []
    for _ in range(n):
        mine = [(float(rng.uniform(3600, 10_800)), 900.0)]
        if rng.random() < 0.5:
            mine.append((float(rng.uniform(12_600, 16_200)), float(rng.uniform(1800, 3600))))
        mine.append((float(rng.uniform(18_000, 25_200)), 900.0))
        breaks.append(mine)
    return _Schedule(login, logout, breaks)


def simulate_day(
    scenario: Scenario,
    policy: PacingPolicy | Any,
    seed: int,
    day: int,
    scenario_key: int = 0,
    shift_seconds: float = SHIFT_SECONDS,
) -> DayResult:
    """Runs one shift of `scenario` on day `day` with `policy`; returns the true figures.

    `shift_seconds` shortens the shift for fast tests (churn schedules assume a full shift).

    A policy with a `calls_to_place_knowing(snapshot, free_in)` method is clairvoyant: it is also
    told, for each busy agent, the true seconds until that agent is ready again.
    """
    dial_draws, talk_draws, sched_rng = _streams(seed, scenario_key, day)
    schedule = _schedule(scenario, sched_rng)
    start = day * DAY_SECONDS + SHIFT_START
    end = start + shift_seconds
    foresight = getattr(policy, "calls_to_place_knowing", None)
    result = DayResult()
    heap: list[tuple[float, int, int, int]] = []
    seq = 0
    ready: list[int] = []
    talk_start: dict[int, float] = {}
    wrap_start: dict[int, float] = {}
    wrap_length: dict[int, float] = {}
    free_at: dict[int, float] = {}
    logged_in_since: dict[int, float] = {}
    inflight: dict[int, float] = {}
    calls: dict[int, tuple[str, str, float]] = {}
    waiting: dict[int, float] = {}
    breaks = [list(b) for b in schedule.breaks]
    dial_seq = 0

    def push(at: float, kind: int, ident: int) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(heap, (at, seq, kind, ident))

    def observe(kind: str, at: float, seconds: float = 0.0, outcome: str | None = None) -> None:
        policy.observe(PacingEvent(kind, at, seconds, outcome))

    def leave(agent: int, at: float) -> None:
        result.logged_in_seconds += min(at, end) - logged_in_since.pop(agent)

    def agent_free(agent: int, at: float) -> None:
        offset = at - start
        if offset >= schedule.logout[agent]:
            leave(agent, at)
            return
        due = breaks[agent]
        if due and due[0][0] <= offset:
            _, length = due.pop(0)
            leave(agent, at)
            push(at + length, _BACK, agent)
            return
        if waiting:
            call = next(iter(waiting))
            connect(agent, call, at, at - waiting.pop(call))
        else:
            ready.append(agent)
            decide(at)

    def connect(agent: int, call: int, at: float, waited: float) -> None:
        truth = calls.pop(call)[0]
        observe("connected", at, waited)
        z_talk, z_wrap = talk_draws.next()
        if truth == "live":
            result.lives += 1
            result.connects += 1
            talk = _lognormal(TALK_MEAN, TALK_SIGMA, z_talk)
            result.talk_seconds += max(0.0, min(at + talk, end) - at)
        else:  # a machine AMD took for a person: the agent hears it and moves on
            talk = 4.0 + abs(z_talk)
        wrap = _lognormal(WRAP_MEAN, scenario.wrap_sigma, z_wrap)
        talk_start[agent] = at
        ready_again = at + talk + wrap
        offset = ready_again - start
        if offset >= schedule.logout[agent]:
            free_at[agent] = math.inf
        elif breaks[agent] and breaks[agent][0][0] <= offset:
            free_at[agent] = ready_again + breaks[agent][0][1]
        else:
            free_at[agent] = ready_again
        wrap_length[agent] = wrap
        push(at + talk, _TALK_END, agent)

    def decide(at: float) -> None:
        nonlocal dial_seq
        if at >= end:
            return
        snapshot = PacingSnapshot(
            at,
            len(ready),
            [at - s for s in talk_start.values()],
            [at - s for s in wrap_start.values()],
            [at - s for s in inflight.values()],
            len(waiting),
        )
        if foresight is not None:
            busy = [s - at for s in free_at.values()]
            n = foresight(snapshot, busy)
        else:
            n = policy.calls_to_place(snapshot)
        live_rate = scenario.live_rate_at((at - start) / shift_seconds)
        for _ in range(n):
            dial_seq += 1
            placement = draw_placement(scenario, live_rate, dial_draws.next())
            inflight[dial_seq] = at
            calls[dial_seq] = placement
            push(at + placement[2], _RESOLVE, dial_seq)
        result.placements += n

    for agent in range(scenario.agents):
        push(start + schedule.login[agent], _BACK, agent)
    tick = start
    while heap or tick < end:
        if heap and (heap[0][0] <= tick or tick >= end):
            at, _, kind, ident = heapq.heappop(heap)
            if kind == _RESOLVE:
                del inflight[ident]
                truth, verdict, seconds = calls[ident]
                observe("resolved", at, seconds, verdict)
                if verdict == "live":
                    if ready:
                        connect(ready.pop(), ident, at, 0.0)
                    else:
                        waiting[ident] = at
                        push(at + GRACE_SECONDS, _DEADLINE, ident)
                else:
                    del calls[ident]
                    if truth == "live":  # AMD hung up on a person: an abandon the dialer counts
                        result.lives += 1
                        result.abandoned += 1
                        observe("abandoned", at)
            elif kind == _DEADLINE:
                if ident in waiting:
                    del waiting[ident]
                    if calls.pop(ident)[0] == "live":
                        result.lives += 1
                        result.abandoned += 1
                    observe("abandoned", at)
            elif kind == _TALK_END:
                observe("talk_ended", at, at - talk_start.pop(ident))
                wrap_start[ident] = at
                push(at + wrap_length.pop(ident), _WRAP_END, ident)
            elif kind == _WRAP_END:
                observe("wrap_ended", at, at - wrap_start.pop(ident))
                del free_at[ident]
                agent_free(ident, at)
            else:  # _BACK: logged in, or back from a break
                if at < end and at - start < schedule.logout[ident]:
                    logged_in_since[ident] = at
                    agent_free(ident, at)
            continue
        decide(tick)
        tick += 1.0
    for agent in list(logged_in_since):
        leave(agent, end)
    result.day_rates.append(result.abandon_rate)
    return result
