"""The policies `concord bench pacing` measures ours against: the incumbent (VICIdial's adaptive
dial level, re-implemented from AST_VDadapt's arithmetic) and a clairvoyant reference that knows
when every agent will be ready again.
"""

from __future__ import annotations

import bisect
import functools
import math

import numpy as np

from bench.pacing_sim import DAY_SECONDS, Scenario, draw_placement
from dialer.pacing_contract import PacingEvent, PacingSnapshot
from dialer.pacing_predictive import progressive_calls
from dialer.pacing_stats import DialOutcomes, Floats

_SQRT2 = math.sqrt(2.0)


class VicidialAdaptive:
    """AST_VDadapt: every 15 s the dial level (lines per active agent) is multiplied by
    1 + (idle agents - waiting calls) / agents, kept within [1.0, 3.0]; once today's drop
    percentage passes the target, HARD_LIMIT resets the level to 1, AVERAGE halves it and
    TAPERED scales it by the share of the shift still to run. VICIdial counts agents in wrap-up
    (disposition) as paused, so active agents are those ready or talking, and active lines
    include the calls those agents are talking on.
    """

    def __init__(
        self, drop_method: str, target: float, shift_start: float, shift_seconds: float
    ) -> None:
        self.drop_method = drop_method
        self.target = target
        self.shift_start, self.shift_seconds = shift_start, shift_seconds
        self.level = 1.0
        self._next_adapt = -math.inf
        self._day = -1
        self._answers = self._drops = 0

    def observe(self, event: PacingEvent) -> None:
        if event.kind in ("connected", "abandoned"):
            self._roll(event.at)
            self._answers += 1
            self._drops += event.kind == "abandoned"

    def _roll(self, at: float) -> None:
        if int(at // DAY_SECONDS) != self._day:  # drop percentage counts since midnight
            self._day, self._answers, self._drops = int(at // DAY_SECONDS), 0, 0

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        self._roll(snapshot.now)
        active = snapshot.agents_ready + len(snapshot.talk_elapsed)
        if snapshot.now >= self._next_adapt:
            self._next_adapt = snapshot.now + 15.0
            if active:
                self.level *= 1.0 + (snapshot.agents_ready - snapshot.live_waiting) / active
            self.level = min(max(self.level, 1.0), 3.0)
            if self._answers and self._drops / self._answers > self.target:
                if self.drop_method == "HARD_LIMIT":
                    self.level = 1.0
                elif self.drop_method == "AVERAGE":
                    self.level = max(1.0, self.level / 2)
                else:  # TAPERED
                    into = (snapshot.now % DAY_SECONDS - self.shift_start) / self.shift_seconds
                    self.level = max(1.0, self.level * (1.0 - min(max(into, 0.0), 1.0)))
        lines = len(snapshot.dials_elapsed) + snapshot.live_waiting + len(snapshot.talk_elapsed)
        return max(0, round(self.level * active) - lines)


@functools.lru_cache(maxsize=64)
def true_dial_outcomes(scenario: Scenario, live_rate: float, samples: int = 50_000) -> DialOutcomes:
    """The exact placement-outcome statistics (what a perfect learner would converge to)."""
    rng = np.random.default_rng(12345)
    outcomes = DialOutcomes()
    size = outcomes.live.size
    times, lives = [], []
    for row in rng.random((samples, 4)).tolist():
        _, verdict, seconds = draw_placement(scenario, live_rate, row)
        times.append(min(int(seconds), size - 1))
        lives.append(verdict == "live")
    index = np.asarray(times)
    outcomes.all.counts = np.bincount(index, minlength=size).astype(np.float64)
    outcomes.all.marked = np.bincount(index[np.asarray(lives)], minlength=size).astype(np.float64)
    outcomes.all.samples = samples
    return outcomes


class ClairvoyantPolicy:
    """The same marginal-risk rule as the predictive policy, but supply is known exactly: the
    simulator tells it each busy agent's true time to ready, and it knows the true placement
    outcome distribution. `threshold` (its aggressiveness) is tuned per day in hindsight."""

    _QUANTILES = (1 / 6, 1 / 2, 5 / 6)

    def __init__(self, scenario: Scenario, threshold: float) -> None:
        self.scenario, self.threshold = scenario, threshold
        self._tables: dict[float, tuple[list[int], Floats, list[float]]] = {}

    def observe(self, event: PacingEvent) -> None:
        return None

    def _table(self, now: float) -> tuple[list[int], Floats, list[float]]:
        """(horizons, per-elapsed-second rows of [chance per horizon, variance per horizon],
        fresh chances) for the live rate at `now`, built once per distinct rate."""
        from bench.pacing_sim import SHIFT_SECONDS, SHIFT_START

        into = (now % DAY_SECONDS - SHIFT_START) / SHIFT_SECONDS
        rate = round(self.scenario.live_rate_at(into), 3)
        if rate not in self._tables:
            outcomes = true_dial_outcomes(self.scenario, rate)
            horizons = outcomes.answer_horizons(self._QUANTILES)
            rows, fresh = outcomes.tables(horizons)
            table = np.ascontiguousarray(np.concatenate([rows, rows * (1.0 - rows)], axis=0).T)
            self._tables[rate] = (horizons, table, fresh)
        return self._tables[rate]

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        return progressive_calls(snapshot)  # without foresight it knows no more than progressive

    def calls_to_place_knowing(self, snapshot: PacingSnapshot, free_in: list[float]) -> int:
        horizons, table, fresh = self._table(snapshot.now)
        cap = table.shape[0] - 1
        index = [e if e < cap else cap for e in map(int, snapshot.dials_elapsed)]
        sums = table[index].sum(axis=0).tolist()
        ready = snapshot.agents_ready - snapshot.live_waiting
        free_in = sorted(free_in)
        count = len(horizons)
        slack = [
            ready + bisect.bisect_right(free_in, h + 2.0) - sums[k] for k, h in enumerate(horizons)
        ]
        spread = sums[count:]
        limit = self.threshold * count
        n = 0
        while n < 10_000:
            risk = 0.0
            for k, p in enumerate(fresh):
                sd = math.sqrt(spread[k] + n * p * (1.0 - p) + 0.25)
                risk += 0.5 * math.erfc((slack[k] - n * p - 0.5) / (sd * _SQRT2))
            if risk > limit:
                break
            n += 1
        return max(n, progressive_calls(snapshot))
