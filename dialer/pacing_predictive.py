"""Predictive pacing: launch as many placements as the abandon budget allows.

For a new placement the policy looks at the moments a live answer would arrive (three quantiles
of the learned ring-to-answer time). At each it estimates how many agents will be ready (ready
now, plus each agent in talk or wrap weighted by the chance it frees up by then, with the 2 s
grace an answered call may wait) against how many live answers will want them (calls already
waiting, placements in flight that may still answer live, and the other new placements). The
k-th extra placement is launched while the chance that, answered live, it finds no agent stays
under a threshold. That threshold is the lever a feedback loop turns: every connect nudges it up
and every abandon pulls it down, so abandons settle at `aim` of live answers; a new campaign's
loop takes big steps that shrink to `gain` over its first `settle_events` answers, so it finds
its floor's pace within an hour or two instead of a whole first day. Hard guards sit on
top: when the rolling-window budget is spent, or today is projected to end above 90% of the day
cap, the policy dials progressively, as the regulation's safe harbour expects, until the ledger
recovers.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from dialer.pacing_contract import PacingEvent, PacingSnapshot
from dialer.pacing_ledger import AbandonLedger
from dialer.pacing_stats import DecayedHistogram, DialOutcomes, Floats, free_up_tables

_QUANTILES = (1 / 6, 1 / 2, 5 / 6)
# How long an answered call may wait for an agent before it is abandoned: the rule's 2 s, as the
# bench simulates it. The live dialer passes its own, shorter, deadline (dialer.runtime).
_GRACE_SECONDS = 2.0
# The layout of `PredictivePolicy.memory()`; a stored memory of another version is not loaded.
MEMORY_VERSION = 1
# The feedback loop's threshold stays within these (log) bounds, learned or recalled.
_LOG_THRESHOLD_MIN, _LOG_THRESHOLD_MAX = math.log(1e-4), math.log(0.5)
# The most the feedback loop aims at, per unit of the day cap (binds only when the day cap is
# close to the target; at the default 4/3 of the target it stays above the target's aim).
_AIM_PER_DAY_CAP = 0.8
# The threshold a new policy starts from, per unit of abandon target (0.012 at 3%).
_START_PER_TARGET = 0.4


def default_day_cap(abandon_target: float) -> float:
    """The worst single day allowed where only the 30-day window is law: 4% at a 3% target."""
    return abandon_target * 4 / 3


def progressive_calls(snapshot: PacingSnapshot) -> int:
    """One placement per ready agent, less placements already out for them."""
    return max(0, snapshot.agents_ready - len(snapshot.dials_elapsed) - snapshot.live_waiting)


class PredictivePolicy:
    """Online-learning predictive pacing under an abandon target (see the module docstring)."""

    def __init__(
        self,
        abandon_target: float = 0.03,
        *,
        aim_fraction: float = 0.92,
        day_cap: float | None = None,
        day_seconds: float = 86_400.0,
        day_offset: float = 0.0,
        window_days: int = 30,
        gain: float = 0.04,
        start_gain: float = 0.3,
        settle_events: int = 1000,
        initial_threshold: float | None = None,
        warmup_talks: int = 30,
        warmup_dials: int = 300,
        refresh_seconds: float = 30.0,
        day_pseudo_lives: int = 60,
        grace_seconds: float = _GRACE_SECONDS,
    ) -> None:
        if not 0.0 < aim_fraction <= 1.0:
            raise ValueError(f"aim_fraction must be in (0, 1], got {aim_fraction}")
        if not 0.0 < gain <= start_gain:
            raise ValueError(f"gain must be in (0, start_gain], got {gain} and {start_gain}")
        if settle_events < 1:
            raise ValueError(f"settle_events must be at least 1, got {settle_events}")
        if not 0.0 <= grace_seconds <= 10.0:
            raise ValueError(f"grace_seconds must be in [0, 10], got {grace_seconds}")
        if not abs(day_offset) < day_seconds:
            raise ValueError(f"day_offset must be within a day either way, got {day_offset}")
        self._grace = round(grace_seconds)  # the free-up tables count whole seconds
        self.target = abandon_target
        self.day_cap = default_day_cap(abandon_target) if day_cap is None else day_cap
        # The day guard holds the floor to progressive once today is projected past 90% of the
        # day cap; aiming above that (a law capping every day at the 30-day target, as Ofcom's
        # 3% per 24 h does) would end most days on the guard: the 50-agent 10%-live floor at a
        # 3% day cap reaches 0.726 occupancy aiming at 2.76%, 0.790 aiming at 2.4%.
        self.aim = min(abandon_target * aim_fraction, self.day_cap * _AIM_PER_DAY_CAP)
        self.ledger = AbandonLedger(day_seconds, window_days, day_offset)
        # The threshold the feedback loop settles on grows about in step with the target
        # (10 agents at 25% live: 0.030, 0.020, 0.011 for 3%, 2%, 1%), so it starts at a
        # share of the target: a 1% campaign started at the 3% start over-abandons its first
        # hours and then sits on progressive under the day guard.
        if initial_threshold is None:
            initial_threshold = _START_PER_TARGET * abandon_target
        self.log_threshold = math.log(initial_threshold)
        self._gain, self._start_gain, self._settle = gain, start_gain, settle_events
        self.feedback_steps = 0  # answers the loop has stepped on, up to `settle_events`
        self._warmup_talks = warmup_talks
        self._warmup_dials = warmup_dials
        self._refresh = refresh_seconds
        self._day_pseudo = day_pseudo_lives
        self.talk = DecayedHistogram(3600, half_life=2000.0)
        self.wrap = DecayedHistogram(600, half_life=2000.0)
        self.dials = DialOutcomes()
        self._built_at = -math.inf
        self._dialing_predictively = False
        self._warm = False
        self._reach: list[int] = []
        self._talk_free: Floats = np.zeros((0, 0))
        self._wrap_free: Floats = np.zeros((0, 0))
        self._table: Floats = np.zeros((0, 0))
        self._caps = (0, 0, 0)
        self._talk_built_at = -math.inf
        self._fresh_live: list[float] = []

    def observe(self, event: PacingEvent) -> None:
        if event.kind == "resolved":
            self.dials.add(event.seconds, live=event.result == "live")
        elif event.kind == "talk_ended":
            self.talk.add(event.seconds)
        elif event.kind == "wrap_ended":
            self.wrap.add(event.seconds)
        else:
            abandoned = event.kind == "abandoned"
            self.ledger.record(event.at, abandoned)
            if not self._dialing_predictively:
                return  # the threshold did not pace these calls, so they say nothing about it
            # Robbins-Monro step: zero drift exactly when abandons / live answers == aim. The
            # start threshold is a cautious share of the target (10 agents at 25% live settle
            # near the target itself); steps of the settled gain take a whole first day to
            # climb from it, so the first `settle_events` steps are bigger.
            young = 1.0 - self.feedback_steps / self._settle
            gain = self._gain + (self._start_gain - self._gain) * young
            self.feedback_steps = min(self.feedback_steps + 1, self._settle)
            stepped = self.log_threshold + gain * (self.aim - float(abandoned))
            self.log_threshold = min(max(stepped, _LOG_THRESHOLD_MIN), _LOG_THRESHOLD_MAX)

    def memory(self) -> dict[str, Any]:
        """What the policy has learned, as JSON-ready numbers: the talk, wrap-up and placement
        histograms and the threshold the feedback loop has reached, with the abandon target
        it was reached under and how far its steps have settled. A dialer that restarts without
        it dials progressively until 300 placements are seen and then starts from
        `initial_threshold` again: a day or more of feedback lost at every restart. The abandon
        ledger is not in it; the dialer rebuilds that from the stored attempts."""
        return {
            "version": MEMORY_VERSION,
            "abandon_target": self.target,
            "log_threshold": self.log_threshold,
            "feedback_steps": self.feedback_steps,
            "talk": self.talk.memory(),
            "wrap": self.wrap.memory(),
            "dials": self.dials.all.memory(),
        }

    def recall(self, memory: Mapping[str, Any]) -> None:
        """Resumes from `memory()`'s output. Anything malformed raises ValueError naming the
        field, and the policy is left as it was (all fields are checked before any is used).

        A memory learned under another abandon target (a team lead changed it) keeps its
        histograms, and its threshold is scaled by the ratio of the targets, the way the settled
        threshold follows the target; the feedback loop corrects the rest. A memory without a
        target (saved before the target was kept) counts as learned under this policy's, and one
        without `feedback_steps` (saved before steps were counted) as settled."""
        if memory.get("version") != MEMORY_VERSION:
            raise ValueError(
                f"version is {memory.get('version')!r}; this dialer reads version {MEMORY_VERSION}"
            )
        log_threshold = memory.get("log_threshold")
        if not isinstance(log_threshold, (int, float)) or not (
            _LOG_THRESHOLD_MIN <= log_threshold <= _LOG_THRESHOLD_MAX
        ):
            raise ValueError("log_threshold must be a number between log(1e-4) and log(0.5)")
        learned_under = memory.get("abandon_target", self.target)
        if not isinstance(learned_under, (int, float)) or not 0.0 < learned_under < 1.0:
            raise ValueError(f"abandon_target must be a fraction in (0, 1), got {learned_under!r}")
        steps = memory.get("feedback_steps", self._settle)
        if not isinstance(steps, int) or steps < 0:
            raise ValueError(f"feedback_steps must be a whole number >= 0, got {steps!r}")
        parts = {}
        for name, current in (("talk", self.talk), ("wrap", self.wrap), ("dials", self.dials.all)):
            part = memory.get(name)
            if not isinstance(part, Mapping):
                raise ValueError(f"{name} is missing")
            parts[name] = copy.deepcopy(current)  # same bins and half-life, filled from memory
            parts[name].recall(part, name)
        self.talk, self.wrap, self.dials.all = parts["talk"], parts["wrap"], parts["dials"]
        scaled = float(log_threshold) + math.log(self.target / learned_under)
        self.log_threshold = min(max(scaled, _LOG_THRESHOLD_MIN), _LOG_THRESHOLD_MAX)
        self.feedback_steps = min(steps, self._settle)
        self._built_at = self._talk_built_at = -math.inf
        self._reach = []

    def budget_spent(self) -> bool:
        """True when the rolling window is at its limit or today is projected past its cap, so
        only progressive is safe."""
        return self._holding_back() is not None

    def _holding_back(self) -> str | None:
        """Which abandon guard holds the policy to progressive, in a team lead's words."""
        lives, abandoned = self.ledger.window()
        if abandoned > 0 and abandoned >= self.target * lives:
            return "abandon budget of the window spent"
        if self.ledger.abandoned_today >= self._today_allowance():
            return "today's abandons near the day cap"
        return None

    def _learned_enough(self) -> bool:
        return (
            self.talk.samples >= self._warmup_talks
            and self.wrap.samples >= self._warmup_talks
            and self.dials.all.samples >= self._warmup_dials
            and self.dials.live_count() > 0
        )

    def standing(self) -> str:
        """Why the policy dials as it does right now, in a team lead's words: a floor dialing
        one call per ready agent should say whether it is still learning or holding back."""
        if not (self._warm or self._learned_enough()):
            calls = min(self.talk.samples, self.wrap.samples)
            return (
                f"learning the floor ({self.dials.all.samples}/{self._warmup_dials} placements, "
                f"{calls}/{self._warmup_talks} calls seen): one call per ready agent"
            )
        guard = self._holding_back()
        return "dialing ahead" if guard is None else f"{guard}: one call per ready agent"

    def _today_allowance(self) -> float:
        """Abandons today may reach before the day's rate is projected past 90% of the day cap.

        With closed days on record, a day is projected to bring the median day's live answers,
        the rest of them abandoned at `aim`: a burst of early abandons on a few dozen live
        answers then tightens the threshold (the feedback loop) instead of idling the floor on
        progressive for an hour. Before any day has closed, `day_pseudo_lives` stand in. Either
        way today's own rate may not pass twice the day cap, so a floor that abandons every
        answer (no agent can be reached) stops dialing ahead within a handful of calls.
        """
        lives = self.ledger.lives_today
        at_cap = self.day_cap * (lives + self._day_pseudo)  # today's abandons at the cap rate
        typical = self.ledger.typical_day_lives()
        if typical is None or typical <= lives:
            return 0.9 * at_cap
        projected = 0.9 * self.day_cap * typical - self.aim * (typical - lives)
        return max(0.9 * at_cap, min(projected, 2.0 * at_cap))

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        self.ledger.roll_to(snapshot.now)
        floor = progressive_calls(snapshot)
        if not self._warm:
            self._warm = self._learned_enough()  # samples only accumulate: warm stays warm
        if not self._warm or self.budget_spent():
            self._dialing_predictively = False
            return floor
        self._dialing_predictively = True
        if snapshot.now - self._built_at >= self._refresh:
            self._rebuild(snapshot.now)
        return max(floor, self._extra_calls(snapshot))

    def _rebuild(self, now: float) -> None:
        horizons = self.dials.answer_horizons(_QUANTILES)
        dial_live, self._fresh_live = self.dials.tables(horizons)
        reach = [h + self._grace for h in horizons]
        # Talk and wrap move slowly; a one-second shift of the horizons is not worth a rebuild.
        stale = (
            not self._reach or max(abs(a - b) for a, b in zip(reach, self._reach, strict=True)) >= 2
        )
        if stale or now - self._talk_built_at >= 20 * self._refresh:
            self._talk_free, self._wrap_free = free_up_tables(
                self.talk.pmf(), self.wrap.pmf(), reach
            )
            self._reach, self._talk_built_at = reach, now
        # One table: a row per elapsed second of talk, then wrap, then placement; columns are the
        # chance per horizon, then its variance. The decision weighs placements -1 (they take
        # agents), so their chances are stored negated while every variance adds: summing the
        # rows the floor points at gives every horizon's mean and spread at once.
        chances = np.concatenate([self._talk_free, self._wrap_free, dial_live], axis=1)
        variance = chances * (1.0 - chances)
        chances[:, -dial_live.shape[1] :] *= -1.0
        self._table = np.ascontiguousarray(np.concatenate([chances, variance], axis=0).T)
        self._caps = (
            self._talk_free.shape[1] - 1,
            self._wrap_free.shape[1] - 1,
            dial_live.shape[1] - 1,
        )
        self._built_at = now

    def _extra_calls(self, snapshot: PacingSnapshot) -> int:
        """Largest n whose n-th placement, if answered live, finds no agent with P <= threshold."""
        talk_cap, wrap_cap, dial_cap = self._caps
        wrap_base = talk_cap + 1
        dial_base = wrap_base + wrap_cap + 1
        # Table rows are elapsed seconds (talk, then wrap, then placements); summing the rows
        # the floor's calls point at is the whole decision's arithmetic, done once per call.
        index = [t if t < talk_cap else talk_cap for t in map(int, snapshot.talk_elapsed)]
        index += [
            wrap_base + (w if w < wrap_cap else wrap_cap) for w in map(int, snapshot.wrap_elapsed)
        ]
        index += [
            dial_base + (d if d < dial_cap else dial_cap) for d in map(int, snapshot.dials_elapsed)
        ]
        sums = self._table[index].sum(axis=0).tolist()
        horizons = len(self._fresh_live)
        ready = snapshot.agents_ready - snapshot.live_waiting
        # Per horizon P(no agent) = erfc((slack - n p - 0.5) / sqrt(2 (spread + n p q + 0.25))) / 2;
        # the constants are folded once so each trial n costs a few multiplications.
        terms = [
            (ready + mean - 0.5, 2.0 * (spread + 0.25), p, 2.0 * p * (1.0 - p))
            for mean, spread, p in zip(
                sums[:horizons], sums[horizons:], self._fresh_live, strict=True
            )
        ]
        limit = 2.0 * math.exp(self.log_threshold) * horizons
        erfc, sqrt = math.erfc, math.sqrt
        n = 0
        while n < 10_000:
            # The (n+1)-th placement competes with n other new ones for the same agents.
            risk = 0.0
            for slack, spread, p, q in terms:
                risk += erfc((slack - n * p) / sqrt(spread + n * q))
            if risk > limit:
                return n
            n += 1
        return n
