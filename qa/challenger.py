"""Whether a campaign's challenger script collects better than its champion: the figures per
script and a plain verdict a team lead can act on.

The measure is promises and payment plans per right-party contact: what the script's words can
move once the debtor is on the line (reaching them is the dialer's doing, not the script's). The
verdict is a two-sided two-proportion z-test: a difference is called only when it is unlikely to
be chance (p < 0.05), and not before each script has `MIN_CONTACTS` right-party contacts, so an
early lucky streak does not end a test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.amounts import money

MIN_CONTACTS = 30
ALPHA = 0.05


@dataclass(frozen=True)
class ArmFigures:
    """One script's outcomes in the campaign over the period."""

    script: str
    accounts: int = 0  # accounts with a call whose outcome was recorded under this script
    calls: int = 0
    right_party: int = 0
    promises: int = 0  # promises to pay and payment plans made
    promised_minor: int = 0  # their amounts (a plan's total)
    kept: int = 0  # promises already kept

    @property
    def promise_rate(self) -> float | None:
        return self.promises / self.right_party if self.right_party else None


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def two_sided_p(hits_a: int, n_a: int, hits_b: int, n_b: int) -> float | None:
    """The p-value of "the two rates are the same" (pooled two-proportion z-test); None when
    either side has no trials or the pooled rate is 0 or 1 (nothing can differ)."""
    if n_a == 0 or n_b == 0:
        return None
    pooled = (hits_a + hits_b) / (n_a + n_b)
    if pooled in (0.0, 1.0):
        return None
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = abs(hits_a / n_a - hits_b / n_b) / spread
    return math.erfc(z / math.sqrt(2))


@dataclass(frozen=True)
class Comparison:
    champion: ArmFigures
    challenger: ArmFigures
    currency: str = "USD"

    @property
    def p_value(self) -> float | None:
        c, d = self.challenger, self.champion
        return two_sided_p(c.promises, c.right_party, d.promises, d.right_party)

    @property
    def difference(self) -> float | None:
        """Challenger's promise rate less the champion's, in percentage points."""
        a, b = self.challenger.promise_rate, self.champion.promise_rate
        return None if a is None or b is None else (a - b) * 100

    def describe(self, arm: ArmFigures) -> str:
        rate = arm.promise_rate
        said = (
            "no right-party contact yet"
            if rate is None
            else (f"{rate:.1%} of {arm.right_party} right-party contacts promised or planned")
        )
        return (
            f"{arm.script}: {_count(arm.calls, 'call')} to {_count(arm.accounts, 'account')}, "
            f"{said}, {money(arm.promised_minor, self.currency)} promised, {arm.kept} kept so far"
        )

    def verdict(self) -> str:
        """In a lead's words: which script is ahead, and whether that is more than chance."""
        c, d = self.challenger, self.champion
        short = [a.script for a in (d, c) if a.right_party < MIN_CONTACTS]
        if short:
            return (
                f"Too early to tell: {' and '.join(short)} "
                f"{'has' if len(short) == 1 else 'have'} fewer than {MIN_CONTACTS} right-party "
                "contacts; keep the test running."
            )
        difference, p = self.difference, self.p_value
        if difference is None or p is None:
            if not c.promises and not d.promises:
                return "Nothing to compare yet: neither script has brought a promise or a plan."
            return (
                "Nothing to compare: both scripts brought a promise or a plan on every "
                "right-party contact."
            )
        ahead = c.script if difference > 0 else d.script
        gap = f"{ahead} is ahead by {abs(difference):.1f} points"
        if p < ALPHA:
            return f"{gap}, more than chance (p = {p:.3f}): {ahead} collects better."
        return f"{gap}, which may be chance (p = {p:.2f}); keep the test running."
