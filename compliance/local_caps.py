"""Contact caps that follow where the debtor lives, not the portfolio they were placed in.

A client places Boston and Brooklyn debtors in an ordinary national `us` portfolio, so a state or
city cap tied only to the portfolio's profile (`us-ma`) would not protect them. Like the contact
hours (compliance.zones), these caps are read from every address on file: one address in a
capped place is enough, because the collector then knows the debtor may live there. They come on
top of the profile and the portfolio's tightenings, and the lower cap always wins, so no profile
or portfolio can loosen them.

- Massachusetts, 940 CMR 7.04(1)(f) (creditors) and 209 CMR 18.16(1)(d) (licensed debt
  collectors): at most 2 call communications per debt in each 7-day period. What counts as a
  call communication is what the `us-ma` profile has always counted (compliance.calls).
- New York City, the DCWP debt collection rules (6 RCNY 5-77 as amended; effective for contacts
  decided from 2026-09-01 per the trade notes): at most 3 attempts to communicate per consumer in
  7 days, calls, texts and emails together. The count is per debtor (every account of theirs
  with the client), not per debt: DCWP counts per consumer and creditor.

New York City is recognised by ZIP code, checked against USPS assignments:
  100xx-102xx Manhattan, 103xx Staten Island, 104xx Bronx, 112xx Brooklyn, 111xx, 113xx,
  114xx and 116xx (Far Rockaway) Queens. ZIP3 110 is mostly Nassau County (Elmont, Great Neck,
  Manhasset...), so only its Queens codes count: 11004 Glen Oaks and 11005 Floral Park, plus
  11001 and 11040, which straddle the Queens-Nassau line (kept, erring wide as zones.py does).
  115xx and 117xx-119xx are Nassau and Suffolk, 105xx-109xx Westchester and upstate.
A US address with no state is placed by its ZIP alone (Massachusetts is ZIP3 010-027 and 055).
An address that cannot be ruled out of a capped place brings its cap, erring wide as zones.py
does: a New York address with no readable ZIP, a US address with neither state nor ZIP.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from compliance.contact import Address
from compliance.zones import EASTERN, zone

#: 940 CMR 7.04(1)(f): call communications per debt in each 7-day period.
MASSACHUSETTS_CALL_CAP = 2
#: NYC DCWP rules: attempts to communicate, on every channel, per debtor in 7 days.
NEW_YORK_CITY_ATTEMPT_CAP = 3
#: The NYC rule's start: contacts decided from local midnight in New York on this day, counting
#: only attempts made from then on (an attempt made before the rule was in force breaks no cap).
NEW_YORK_CITY_START = datetime(2026, 9, 1, tzinfo=zone(EASTERN))

_MASSACHUSETTS_ZIP3 = frozenset({f"{p:03d}" for p in range(10, 28)} | {"055"})
_NEW_YORK_CITY_ZIP3 = frozenset({"100", "101", "102", "103", "104", "111", "112", "113", "114",
                                 "116"})  # fmt: skip
_NEW_YORK_CITY_ZIP5 = frozenset({"11001", "11004", "11005", "11040"})


@dataclass(frozen=True)
class LocalCaps:
    """The caps a debtor's addresses bring; None where no address brings that cap."""

    #: Call communications per debt in 7 days (Massachusetts).
    state_call_cap: int | None = None
    #: Attempts on every channel per debtor in 7 days, from NEW_YORK_CITY_START (New York City).
    city_attempt_cap: int | None = None


def _zip(address: Address) -> str:
    """The five-digit ZIP of a US address ('02108-1234' and ' 02108' read as '02108'), or ''."""
    code = (address.postal_code or "").strip()[:5]
    return code if len(code) == 5 and code.isdigit() else ""


def may_be_in_massachusetts(address: Address) -> bool:
    """True for a Massachusetts address, or a US one with no state that its ZIP does not place
    elsewhere."""
    if address.country != "US":
        return False
    if address.state is not None:
        return address.state == "MA"
    code = _zip(address)
    return not code or code[:3] in _MASSACHUSETTS_ZIP3


def may_be_in_new_york_city(address: Address) -> bool:
    """True for an address in the five boroughs by its ZIP, or a New York (or stateless US)
    address with no readable ZIP, which may be there."""
    if address.country != "US" or address.state not in (None, "NY"):
        return False
    code = _zip(address)
    return not code or code[:3] in _NEW_YORK_CITY_ZIP3 or code in _NEW_YORK_CITY_ZIP5


def local_caps(addresses: Iterable[Address]) -> LocalCaps:
    """The caps every address on file brings together."""
    found = tuple(addresses)
    return LocalCaps(
        state_call_cap=(
            MASSACHUSETTS_CALL_CAP if any(may_be_in_massachusetts(a) for a in found) else None
        ),
        city_attempt_cap=(
            NEW_YORK_CITY_ATTEMPT_CAP if any(may_be_in_new_york_city(a) for a in found) else None
        ),
    )


def lower_cap(first: int | None, second: int | None) -> int | None:
    """The stricter of two caps, None meaning no cap."""
    if first is None:
        return second
    return first if second is None else min(first, second)
