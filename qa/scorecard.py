"""The QA scorecard: what a reviewer checks on a recorded collection call, and its score.

Criteria follow what FDCPA and Reg F make of a call, plus how the call was handled. A fatal
criterion missed (talking about the debt before verifying the right party, no mini-Miranda, a
threat or a false statement) scores the whole call 0: no amount of courtesy makes up for a
violation, and a client reading an average must not see one hidden by good manners. The rest
are weighted. A criterion that did not arise on the call (no dispute raised, a person who
never verified and so must not hear the mini-Miranda) may be marked not applicable: it counts
neither way, where "not met" would fail a call handled exactly right. Verifying the right
party, no abuse and the agent naming themselves apply to every call. Pure: marks in, score out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    weight: int
    fatal: bool = False
    may_not_apply: bool = False


CRITERIA: tuple[Criterion, ...] = (
    Criterion("rpv", "Verified the right party before saying anything about the debt", 0, True),
    Criterion(
        "mini_miranda", "Said this is a debt collector and why the call is made", 0, True, True
    ),
    Criterion("no_abuse", "No threat, harassment, false or misleading statement", 0, True),
    Criterion("identified", "Gave their name and the agency's, as asked", 1),
    Criterion("accurate", "Stated the balance, creditor and terms correctly", 2, False, True),
    Criterion(
        "listened", "Listened, and offered options that fit the debtor's situation", 2, False, True
    ),
    Criterion(
        "disputes",
        "Handled a dispute, hardship or cease request as the script says",
        2,
        False,
        True,
    ),
    Criterion("recap", "Summed up what was agreed and what happens next", 1, False, True),
)
CODES = tuple(c.code for c in CRITERIA)


class ScorecardError(ValueError):
    """Marks that do not fit the scorecard; the message names the criterion."""


@dataclass(frozen=True)
class Score:
    percent: float
    fatal_missed: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.fatal_missed


def score(marks: Mapping[str, bool | None]) -> Score:
    """The call's score from one mark per criterion: met, not met, or None for not applicable
    (every criterion must be marked)."""
    unknown = sorted(set(marks) - set(CODES))
    if unknown:
        raise ScorecardError(f"not on the scorecard: {', '.join(unknown)}")
    missing = [c.label for c in CRITERIA if c.code not in marks]
    if missing:
        raise ScorecardError(f"mark every criterion; not marked: {'; '.join(missing)}")
    always = [c.label for c in CRITERIA if marks[c.code] is None and not c.may_not_apply]
    if always:
        raise ScorecardError(f"applies to every call, so it is met or not: {'; '.join(always)}")
    fatal = tuple(c.code for c in CRITERIA if c.fatal and marks[c.code] is False)
    if fatal:
        return Score(0.0, fatal)
    weighted = [c for c in CRITERIA if c.weight and marks[c.code] is not None]
    got = sum(c.weight for c in weighted if marks[c.code])
    return Score(100.0 * got / sum(c.weight for c in weighted), ())
