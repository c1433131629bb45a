"""What the predictive policy learns online: how long talk, wrap-up and ringing last, and how
often a placement reaches a live person.

Everything is a one-second histogram whose newer samples weigh more (a half-life counted in
samples), so the policy follows a live rate that drifts through the day without keeping any
per-call history. From the histograms it precomputes lookup tables, so a pacing decision is a
handful of array reads rather than a distribution fit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

# Below this survival probability a duration's tail is too thin to condition on; agents (or
# placements) older than that reuse the last reliable row instead of a noisy ratio.
_THIN_TAIL = 0.002


class DecayedHistogram:
    """Counts in one-second bins where each new sample weighs 2**(1/half_life) times the last."""

    def __init__(self, max_seconds: int, half_life: float) -> None:
        self.counts: Floats = np.zeros(max_seconds + 1)
        # A subset of the samples (live answers) kept on the same weight clock.
        self.marked: Floats = np.zeros(max_seconds + 1)
        self.samples = 0
        self._weight = 1.0
        self._growth = 2.0 ** (1.0 / half_life)

    def add(self, seconds: float, marked: bool = False) -> None:
        index = min(int(seconds), self.counts.size - 1)
        self.counts[index] += self._weight
        if marked:
            self.marked[index] += self._weight
        self._weight *= self._growth
        self.samples += 1
        if self._weight > 1e9:  # rescale before the weights lose float precision
            self.counts /= self._weight
            self.marked /= self._weight
            self._weight = 1.0

    def pmf(self) -> Floats:
        total = float(self.counts.sum())
        return self.counts / total if total > 0 else self.counts.copy()

    def memory(self) -> dict[str, Any]:
        """Plain numbers a restarted dialer reloads: bins, sample count and the next weight
        (kept as is, not rescaled, so the reloaded histogram is bit for bit the same)."""
        return {
            "counts": self.counts.tolist(),
            "marked": self.marked.tolist(),
            "samples": self.samples,
            "weight": self._weight,
        }

    def recall(self, memory: Mapping[str, Any], name: str) -> None:
        """Loads `memory()`'s output; a field of the wrong shape raises ValueError naming
        `name`.field, and leaves this histogram as it was."""
        bins = self.counts.size
        arrays = []
        for key in ("counts", "marked"):
            values = memory.get(key)
            if not isinstance(values, list) or len(values) != bins:
                raise ValueError(f"{name}.{key} must be a list of {bins} numbers")
            array = np.asarray(values, dtype=np.float64)
            if not np.all(np.isfinite(array)) or np.any(array < 0):
                raise ValueError(f"{name}.{key} holds a negative or non-finite count")
            arrays.append(array)
        samples, weight = memory.get("samples"), memory.get("weight")
        if not isinstance(samples, int) or samples < 0:
            raise ValueError(f"{name}.samples must be a whole number >= 0")
        if not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight <= 0:
            raise ValueError(f"{name}.weight must be a positive number")
        self.counts, self.marked = arrays
        self.samples, self._weight = samples, float(weight)


def _clamp_thin_tail(table: Floats, survival: Floats) -> None:
    """Rows past the last reliable survival point copy that point (in place)."""
    reliable = np.nonzero(survival >= _THIN_TAIL)[0]
    last = int(reliable[-1]) if reliable.size else 0
    table[:, last + 1 :] = table[:, last : last + 1]


def free_up_tables(talk_pmf: Floats, wrap_pmf: Floats, reach: list[int]) -> tuple[Floats, Floats]:
    """P(agent is ready again within `reach[k]` seconds), by seconds already spent in talk or wrap.

    An agent in talk frees up only after the rest of the talk and a whole wrap-up, so the talk
    table convolves the remaining talk with the wrap distribution; rows are elapsed seconds.
    """
    wrap_cdf = np.cumsum(wrap_pmf)
    talk_survival = 1.0 - np.cumsum(talk_pmf)  # P(talk > t) for elapsed t in bin t
    talk = np.zeros((len(reach), talk_pmf.size))
    wrap = np.zeros((len(reach), wrap_pmf.size))
    for k, seconds in enumerate(reach):
        done = np.zeros(talk_pmf.size)
        for j in range(1, seconds + 1):  # talk ends j seconds from now, wrap within the rest
            done[:-j] += talk_pmf[j:] * wrap_cdf[min(seconds - j, wrap_cdf.size - 1)]
        talk[k] = np.divide(done, talk_survival, out=np.zeros_like(done), where=talk_survival > 0)
        later = np.append(wrap_cdf[seconds:], np.ones(min(seconds, wrap_cdf.size)))
        later = later[: wrap_cdf.size]
        wrap_survival = 1.0 - wrap_cdf
        wrap[k] = np.divide(
            later - wrap_cdf, wrap_survival, out=np.ones(wrap_cdf.size), where=wrap_survival > 0
        )
    np.clip(talk, 0.0, 1.0, out=talk)
    np.clip(wrap, 0.0, 1.0, out=wrap)
    _clamp_thin_tail(talk, talk_survival)
    _clamp_thin_tail(wrap, 1.0 - wrap_cdf)
    return talk, wrap


class DialOutcomes:
    """Placed-to-resolved times of all placements and of those that reached a live person."""

    def __init__(self, max_seconds: int = 120, half_life: float = 400.0) -> None:
        self.all = DecayedHistogram(max_seconds, half_life)

    @property
    def live(self) -> Floats:
        return self.all.marked

    def add(self, seconds: float, live: bool) -> None:
        self.all.add(seconds, marked=live)

    def live_count(self) -> float:
        """Decayed number of live answers; the weights make it comparable only to `all`."""
        return float(self.live.sum())

    def answer_horizons(self, quantiles: tuple[float, ...]) -> list[int]:
        """Seconds from placement to live answer at the given quantiles of live answers."""
        cdf = np.cumsum(self.live) / max(self.live_count(), 1e-12)
        return [max(1, int(np.searchsorted(cdf, q)) + 1) for q in quantiles]

    def tables(self, horizons: list[int]) -> tuple[Floats, list[float]]:
        """For a placement `e` seconds old and each horizon h: P(live answer within h more
        seconds | still unresolved); plus, for a fresh placement, P(live answer within h)."""
        total = float(self.all.counts.sum())
        if total <= 0:
            return np.zeros((len(horizons), self.live.size)), [0.0] * len(horizons)
        all_pmf = self.all.counts / total
        live_pmf = self.live / total
        live_cdf = np.cumsum(live_pmf)
        unresolved = 1.0 - np.cumsum(all_pmf)  # P(resolves after bin e)
        rows = np.zeros((len(horizons), self.live.size))
        for k, h in enumerate(horizons):
            ahead = np.append(live_cdf[h:], np.full(h, live_cdf[-1]))
            rows[k] = np.divide(
                ahead - live_cdf, unresolved, out=np.zeros_like(ahead), where=unresolved > 1e-9
            )
        np.clip(rows, 0.0, 1.0, out=rows)
        _clamp_thin_tail(rows, unresolved)
        fresh = [float(live_cdf[min(h, live_cdf.size - 1)]) for h in horizons]
        return rows, fresh
