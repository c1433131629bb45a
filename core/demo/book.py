"""Demo debtors and their accounts: people, places, phones and debts with realistic spreads.

Balances are lognormal (many small debts, a long tail of large ones), ages of debt follow the
portfolio, and each debtor's phone area codes match their address, spread over the US time
zones (Eastern to Hawaii) so calling-hour rules have something to decide.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from core.demo.catalog import DemoPortfolio
from core.demo.names import (
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    SPANISH_FIRST_NAMES,
    SPANISH_LAST_NAMES,
)
from core.demo.places import PLACES, STREETS, Place
from core.models import ACCOUNT_FLAGS

SPANISH_SHARE = 0.12
FLAGGED_SHARE = 0.02
DNC_SHARE = 0.01
SECOND_PHONE_SHARE = 0.22
INCONVENIENT: tuple[list[dict[str, object]], ...] = (
    [{"days": ["sat", "sun"], "start": "00:00", "end": "24:00"}],
    [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}],
)


class PhonePool:
    """Fictional numbers (NXX 555-0100 to 0199, reserved for fiction) handed out once each.

    Not 0199: the simulated network's person whom AMD takes for a machine. The dialer counts
    each as an abandon, and one number in a hundred is about five in a hundred live answers,
    more than the whole 3% budget of a demo campaign.
    """

    def __init__(self, rng: random.Random) -> None:
        self.free: dict[str, list[str]] = {}
        for place in PLACES:
            for area in place.area_codes:
                numbers = [f"+1{area}555{line:04d}" for line in range(100, 200)]
                rng.shuffle(numbers)
                numbers.remove(f"+1{area}5550199")  # after the shuffle: the same draws as before
                self.free[area] = numbers

    def take(self, rng: random.Random, place: Place) -> str:
        """A number in one of the place's area codes, or any left (a debtor who moved)."""
        areas = [a for a in place.area_codes if self.free[a]]
        if not areas:
            areas = [a for a, numbers in self.free.items() if numbers]
        if not areas:
            raise RuntimeError("the fictional phone pool is exhausted; seed fewer debtors")
        return self.free[rng.choice(areas)].pop()


@dataclass(frozen=True, slots=True)
class DemoPhone:
    number: str
    type: str
    consent: bool


@dataclass(frozen=True, slots=True)
class DemoDebtor:
    """One person and one account of theirs, before any payment history."""

    first_name: str
    last_name: str
    date_of_birth: date
    language: str
    place: Place
    line1: str
    postal_code: str
    phones: tuple[DemoPhone, ...]
    email: str | None
    dnc: bool
    inconvenient_times: list[dict[str, object]]
    account_number: str
    principal_minor: int
    interest_minor: int
    fees_minor: int
    delinquency_date: date
    charge_off_date: date | None
    flags: list[str]


def _phones(rng: random.Random, pool: PhonePool, place: Place) -> tuple[DemoPhone, ...]:
    kind = rng.choices(("mobile", "landline", "work"), (65, 30, 5))[0]
    phones = [DemoPhone(pool.take(rng, place), kind, kind == "mobile" and rng.random() < 0.4)]
    if rng.random() < SECOND_PHONE_SHARE:
        other = "work" if kind != "work" else "mobile"
        phones.append(DemoPhone(pool.take(rng, place), other, False))
    return tuple(phones)


def make_debtor(
    rng: random.Random, pool: PhonePool, portfolio: DemoPortfolio, number: int, today: date
) -> DemoDebtor:
    """A debtor with a home, phones matching it, and a debt shaped like the portfolio's."""
    spanish = rng.random() < SPANISH_SHARE
    first = rng.choice(SPANISH_FIRST_NAMES if spanish else FIRST_NAMES)
    last = rng.choice(SPANISH_LAST_NAMES if spanish else LAST_NAMES)
    place = rng.choices(PLACES, [p.weight for p in PLACES])[0]
    principal = int(rng.lognormvariate(0, portfolio.sigma) * portfolio.median_principal * 100)
    principal = min(max(principal, 25_00), 60_000_00)
    age = rng.randint(*portfolio.age_days)
    delinquent = today - timedelta(days=age)
    local = f"{first}.{last}".lower().replace("'", "")
    return DemoDebtor(
        first_name=first,
        last_name=last,
        date_of_birth=today - timedelta(days=rng.randint(21 * 365, 80 * 365)),
        language="es" if spanish else "en",
        place=place,
        line1=f"{rng.randint(1, 9_899)} {rng.choice(STREETS)}",
        postal_code=f"{rng.randint(place.zip_low, place.zip_high):05d}",
        phones=_phones(rng, pool, place),
        email=f"{local}{number}@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.6 else None,
        dnc=rng.random() < DNC_SHARE,
        inconvenient_times=rng.choice(INCONVENIENT) if rng.random() < 0.03 else [],
        account_number=f"{portfolio.client_code[5:]}-{number:07d}",
        principal_minor=principal,
        interest_minor=int(principal * rng.uniform(*portfolio.interest_rate)),
        fees_minor=rng.choice((0, 0, 0, 25_00, 35_00)),
        delinquency_date=delinquent,
        charge_off_date=delinquent + timedelta(days=180) if age > 180 else None,
        flags=[rng.choice(ACCOUNT_FLAGS)] if rng.random() < FLAGGED_SHARE else [],
    )
