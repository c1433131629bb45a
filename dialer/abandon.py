"""Abandon accounting per campaign: abandoned live answers / live answers, rolling 30 days and
per day, and the switch that drops predictive to progressive while the budget is spent.

Pure: tallies are plain counts per calendar day, filled from stored attempts at start-up and
from each settled call afterwards. The rule (FCC 47 CFR 64.1200(a)(7), followed by collection
shops as policy) measures 30 days per campaign; VICIdial measures since midnight only, which
lets a bad morning hide in a good month, so both figures are kept and the 30-day one decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dialer.pacing_contract import PacingEvent

WINDOW_DAYS = 30
# Once spent, predictive resumes only when the rate is back under this share of the target, so
# one live answer more does not flip the floor between modes every few seconds.
RECOVERY_SHARE = 0.9
LIVE_OUTCOMES = frozenset({"conversation", "abandoned"})


@dataclass(frozen=True, slots=True)
class Rate:
    live: int
    abandoned: int

    @property
    def value(self) -> float:
        return self.abandoned / self.live if self.live else 0.0


@dataclass
class AbandonLedger:
    """Live answers and abandons per day for one campaign."""

    live: dict[date, int] = field(default_factory=dict)
    abandoned: dict[date, int] = field(default_factory=dict)

    def record(self, day: date, outcome: str, calls: int = 1) -> None:
        """Count settled calls of one outcome; only live answers (connected or abandoned) count."""
        if outcome not in LIVE_OUTCOMES:
            return
        self.live[day] = self.live.get(day, 0) + calls
        if outcome == "abandoned":
            self.abandoned[day] = self.abandoned.get(day, 0) + calls

    def uncount_live(self, day: date) -> None:
        """Takes back one live answer of `day` that reached no live person after all (the agent
        heard a machine AMD let through); never below zero, nor below the day's abandons."""
        live = self.live.get(day, 0)
        if live > self.abandoned.get(day, 0):
            self.live[day] = live - 1

    def rate_30d(self, today: date) -> Rate:
        """The rate over `today` and the 29 days before it."""
        first = today - timedelta(days=WINDOW_DAYS - 1)
        live = sum(n for day, n in self.live.items() if first <= day <= today)
        abandoned = sum(n for day, n in self.abandoned.items() if first <= day <= today)
        return Rate(live, abandoned)

    def joined(self, later: AbandonLedger) -> AbandonLedger:
        """One ledger of this one's days and `later`'s (which wins on a day both hold)."""
        return AbandonLedger({**self.live, **later.live}, {**self.abandoned, **later.abandoned})

    def rate_day(self, day: date) -> Rate:
        return Rate(self.live.get(day, 0), self.abandoned.get(day, 0))


def pacing_history(ledger: AbandonLedger, zone: ZoneInfo) -> Iterator[PacingEvent]:
    """The ledger's live answers as pacing events, oldest day first, each at its day's noon in
    `zone` (the campaign's, whose days the ledger counts).

    A pacing policy built at dialer start-up hears these so its own ledger (window budget and
    the typical day its day guard projects over) starts where the campaign stands, not empty
    after every restart. The policy counts days from the campaign's standard-time midnight
    (runtime.default_pacing), so a local noon lands on the same day, daylight saving or not.
    """
    for day in sorted(ledger.live):
        at = datetime.combine(day, time(12), zone).timestamp()
        abandoned = ledger.abandoned.get(day, 0)
        for _ in range(abandoned):
            yield PacingEvent("abandoned", at)
        for _ in range(ledger.live[day] - abandoned):
            yield PacingEvent("connected", at)


def effective_mode(dial_mode: str, rate: Rate, target: float, current: str) -> str:
    """The mode the campaign dials in right now.

    Predictive becomes progressive once abandons reach the target share of live answers (the
    budget is spent), and returns when the rate falls under RECOVERY_SHARE of the target.
    Progressive and preview never abandon by design choice of pace, so they stay as they are.
    """
    if dial_mode != "predictive":
        return dial_mode
    spent = rate.live > 0 and rate.abandoned >= target * rate.live
    if spent:
        return "progressive"
    if current == "progressive" and rate.value > target * RECOVERY_SHARE:
        return "progressive"
    return "predictive"
