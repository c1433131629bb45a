"""`concord bench pacing`: pacing policies side by side on a simulated collections floor.

Per scenario and policy it prints talk occupancy (talk time / logged-in time), the abandon rate
(abandoned live answers / live answers, pooled, and the worst single day) and connects per
agent-hour, then checks the predictive policy's targets: abandon <= 3.0% pooled and no day above
4%, and occupancy closing >= 90% of the gap from progressive to the clairvoyant reference.

The predictive policy runs `days` consecutive days per seed with one policy object (cold start
included), pooled over seeds: 3 seeds x 10 days = 30 simulated days per scenario. The reference
policies need no memory, so they run the first `ref_days` days of each seed; the clairvoyant's
aggressiveness is re-tuned per day by bisection, on replays of that day, to land just under 3%
(or under `--target`, a lower abandon target a client may set; its day limit scales with it).
A full run costs about 350 s of CPU (3 minutes on two cores), most of it the predictive's
30 days and the clairvoyant's replays; `--only NAME` runs one floor to iterate on it.
"""

from __future__ import annotations

import math
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from bench import BenchUsageError
from bench._pacing_reference import ClairvoyantPolicy, VicidialAdaptive
from bench.pacing_sim import (
    SHIFT_SECONDS,
    SHIFT_START,
    WRAP_SIGMA,
    DayResult,
    Scenario,
    simulate_day,
)
from dialer.pacing import make_policy
from dialer.pacing_predictive import default_day_cap

TARGET = 0.03
DAY_LIMIT = 0.04  # the worst single day, at TARGET; a lower target scales it in step
GAP_CLOSED = 0.90
BISECTIONS = 9
POLICIES = (
    "progressive",
    "predictive",
    "vicidial HARD_LIMIT",
    "vicidial AVERAGE",
    "vicidial TAPERED",
    "clairvoyant",
)


def scenarios(quick: bool, wrap_sigma: float = WRAP_SIGMA) -> list[Scenario]:
    """The six base floors, then the stress floors the cap must also hold on."""
    base = [
        Scenario(f"{agents} agents, {rate:.0%} live", agents, rate)
        for agents in (10, 25, 50)
        for rate in (0.10, 0.25)
    ]
    stress = [
        Scenario("25 agents, live 8%->22%->8%", 25, 0.08, peak_live_rate=0.22),
        Scenario(
            "25 agents, 10% live, AMD errs", 25, 0.10, amd_false_machine=0.01, amd_false_live=0.05
        ),
        Scenario("25 agents, 10% live, log in/out", 25, 0.10, churn=True),
    ]
    floors = [base[0], base[3], *stress] if quick else base + stress
    return [replace(floor, wrap_sigma=wrap_sigma) for floor in floors]


def _tuned_clairvoyant_day(
    scenario: Scenario, key: int, seed: int, day: int, target: float
) -> DayResult:
    """The clairvoyant's best replay of the day that stays under the abandon target.

    Bisects the threshold on a log scale (BISECTIONS halvings of a bracket 40x wide, so the last
    step moves it by about 1%) and keeps the replay with the highest talk time among those that
    stayed strictly under `target`; on common random numbers the abandon rate is a step function
    of the threshold, so the best replay seen, not the last, is the honest reference.
    """
    policy = ClairvoyantPolicy(scenario, threshold=0.0)
    # 3% sits near a threshold of 0.01-0.02 on every floor tried; it moves about with the target
    scale = target / TARGET
    low, high = math.log(2e-3 * scale), math.log(0.08 * scale)
    best: DayResult | None = None
    for _ in range(BISECTIONS):
        middle = (low + high) / 2
        policy.threshold = math.exp(middle)
        trial = simulate_day(scenario, policy, seed, day, key)
        if trial.abandon_rate < target:
            low = middle
            if best is None or trial.talk_seconds > best.talk_seconds:
                best = trial
        else:
            high = middle
    if best is None:
        policy.threshold = math.exp(low)
        best = simulate_day(scenario, policy, seed, day, key)
    return best


def _run_seed(
    job: tuple[Scenario, int, int, int, int, float, float | None],
) -> tuple[dict[str, DayResult], float]:
    """One seed of one scenario, every policy; also the worker's CPU seconds spent on it."""
    cpu_started = time.process_time()
    scenario, key, seed, days, ref_days, target, day_cap = job
    results = {name: DayResult() for name in POLICIES}
    settings = {} if day_cap is None else {"day_cap": day_cap}
    predictive = make_policy("predictive", target, **settings)
    for day in range(days):
        results["predictive"].add(simulate_day(scenario, predictive, seed, day, key))
    for day in range(ref_days):
        for name in POLICIES:
            if name == "progressive":
                outcome = simulate_day(scenario, make_policy("progressive"), seed, day, key)
            elif name.startswith("vicidial"):
                method = name.split()[1]
                incumbent = VicidialAdaptive(method, target, SHIFT_START, SHIFT_SECONDS)
                outcome = simulate_day(scenario, incumbent, seed, day, key)
            elif name == "clairvoyant":
                outcome = _tuned_clairvoyant_day(scenario, key, seed, day, target)
            else:
                continue
            results[name].add(outcome)
    return results, time.process_time() - cpu_started


def _row(name: str, r: DayResult, agents_hours: float) -> str:
    worst = max(r.day_rates, default=0.0)
    return (
        f"  {name:<20} {r.occupancy:>9.3f} {r.abandon_rate:>8.2%} {worst:>8.2%} "
        f"{r.connects / agents_hours:>10.2f} {len(r.day_rates):>5}"
    )


def main(
    seeds: int = 3,
    days: int = 10,
    quick: bool = False,
    ref_days: int = 1,
    only: list[str] | None = None,
    wrap_sigma: float = WRAP_SIGMA,
    target: float = TARGET,
    day_limit: float | None = None,
) -> None:
    """Simulates every scenario and prints the table and the target checks.

    --seeds: independent seeds per scenario; --days: consecutive days per seed for the
    predictive policy (pooled over seeds); --ref-days: days per seed for the reference policies;
    --quick: one seed, three days, two base floors plus the stress floors; --only NAME (may
    repeat): just the scenarios whose name contains NAME, to iterate on one floor;
    --wrap-sigma: the spread of wrap-up times (lognormal sigma, 0.4 as the issue sets it); a
    what-if, not the target: 0.01 is a floor where a timer readies every agent 30 s after the
    call, which tells the dialer when each agent will be free; --target: the campaign's abandon
    target (at most the 3% cap), to see what a client's lower target costs; the worst-day
    limit scales with it (4% at 3%); --day-limit: a law that caps every day, as Ofcom's 3%
    per 24 h does for UK portfolios: the predictive policy's day cap (as the live dialer sets
    it for such a campaign) and the worst-day check.
    """
    if quick:
        seeds, days, ref_days = 1, 3, 1
    if seeds < 1 or days < 1 or ref_days < 1:
        raise BenchUsageError("--seeds, --days and --ref-days must each be at least 1")
    if not 0.0 < wrap_sigma <= 2.0:
        raise BenchUsageError(f"--wrap-sigma must be in (0, 2], got {wrap_sigma}")
    if not 0.0 < target <= TARGET:
        raise BenchUsageError(f"--target must be above 0 and at most {TARGET}, got {target}")
    day_cap = None
    if day_limit is not None:
        if not 0.0 < day_limit <= DAY_LIMIT:
            raise BenchUsageError(f"--day-limit must be above 0 and at most {DAY_LIMIT}")
        day_cap = min(day_limit, default_day_cap(target))
    worst_allowed = DAY_LIMIT * target / TARGET if day_cap is None else day_cap
    ref_days = min(ref_days, days)
    started = time.perf_counter()
    # A scenario's key seeds its random streams, so it stays its place in the full list.
    floors = list(enumerate(scenarios(quick, wrap_sigma)))
    if only:
        floors = [(key, s) for key, s in floors if any(part in s.name for part in only)]
        if not floors:
            names = "; ".join(s.name for s in scenarios(quick))
            raise BenchUsageError(f"--only {only!r} matches no scenario; scenarios: {names}")
    jobs = [
        (s, key, seed, days, ref_days, target, day_cap)
        for key, s in floors
        for seed in range(seeds)
    ]
    with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
        finished = list(pool.map(_run_seed, jobs))
    outcomes = [result for result, _ in finished]
    cpu_seconds = sum(cpu for _, cpu in finished)
    print(
        f"pacing bench: {seeds} seed(s) x {days} day(s) predictive, {ref_days} day(s) per seed "
        f"for reference policies; 8-hour shift; abandon target {target:.2%}"
        + ("" if wrap_sigma == WRAP_SIGMA else f"; WHAT-IF wrap-up sigma {wrap_sigma}")
        + ("" if day_cap is None else f"; every day capped at {day_cap:.2%}")
    )
    all_met = True
    for key, scenario in floors:
        merged = {name: DayResult() for name in POLICIES}
        for (_, job_key, *_), result in zip(jobs, outcomes, strict=True):
            if job_key == key:
                for name in POLICIES:
                    merged[name].add(result[name])
        print(f"\n{scenario.name}")
        print(
            f"  {'policy':<20} {'occupancy':>9} {'abandon':>8} {'worst day':>8} "
            f"{'conn/ag-hr':>10} {'days':>5}"
        )
        for name in POLICIES:
            hours = merged[name].logged_in_seconds / 3600
            print(_row(name, merged[name], hours))
        pred, prog, ref = merged["predictive"], merged["progressive"], merged["clairvoyant"]
        gap = ref.occupancy - prog.occupancy
        closed = (pred.occupancy - prog.occupancy) / gap if gap > 0 else 1.0
        worst = max(pred.day_rates, default=0.0)
        met = pred.abandon_rate <= target and worst <= worst_allowed and closed >= GAP_CLOSED
        all_met &= met
        print(
            f"  targets: pooled {pred.abandon_rate:.2%} <= {target:.2%} "
            f"{'ok' if pred.abandon_rate <= target else 'MISSED'}; worst day {worst:.2%} <= "
            f"{worst_allowed:.2%} {'ok' if worst <= worst_allowed else 'MISSED'}; "
            f"gap closed {closed:.0%} >= 90% "
            f"{'ok' if closed >= GAP_CLOSED else 'MISSED'}"
        )
    elapsed = time.perf_counter() - started
    what_if = ""
    if wrap_sigma != WRAP_SIGMA or target != TARGET or day_cap is not None:
        what_if = " (WHAT-IF floors, not the issue's)"
    print(
        f"\nall targets met{what_if}: {'yes' if all_met else 'NO'} "
        f"({elapsed:.0f} s wall, {cpu_seconds:.0f} s CPU in the simulation workers)"
    )
