"""Every time zone a debtor could be in, from their addresses and the number being contacted.

Reg F counts a time as inconvenient if it is before 08:00 or after 21:00 at *any* place the
collector knows the consumer may be, so this module errs wide: a state that spans zones maps to
all of them unless the ZIP3 prefix of the postal code settles it, and a number contributes the
zones `phonenumbers` knows for it. Zone names are canonical tz database names; equivalent zones
(Indianapolis and New York, Boise and Denver) are folded into one representative so batches stay
small.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import timezone as phone_timezone
from phonenumbers.tzdata import TIMEZONE_DATA

EASTERN = "America/New_York"
CENTRAL = "America/Chicago"
MOUNTAIN = "America/Denver"
ARIZONA = "America/Phoenix"
PACIFIC = "America/Los_Angeles"
ALASKA = "America/Anchorage"
ALEUTIAN = "America/Adak"
HAWAII = "Pacific/Honolulu"

Zones = tuple[str, ...]

_E: Zones = (EASTERN,)
_C: Zones = (CENTRAL,)
_M: Zones = (MOUNTAIN,)
_P: Zones = (PACIFIC,)
_EC: Zones = (EASTERN, CENTRAL)
_CE: Zones = (CENTRAL, EASTERN)
_CM: Zones = (CENTRAL, MOUNTAIN)
_PM: Zones = (PACIFIC, MOUNTAIN)
_MP: Zones = (MOUNTAIN, PACIFIC)
_ARIZONA: Zones = (ARIZONA,)
_ALASKA: Zones = (ALASKA,)

#: Every zone of each state or territory, the zone most of its people live in first.
STATE_ZONES: dict[str, tuple[str, ...]] = {
    "AL": _C, "AK": (ALASKA, ALEUTIAN), "AZ": (ARIZONA, MOUNTAIN), "AR": _C, "CA": _P,
    "CO": _M, "CT": _E, "DE": _E, "DC": _E, "FL": _EC, "GA": _E, "HI": (HAWAII,), "ID": _MP,
    "IL": _C, "IN": _EC, "IA": _C, "KS": _CM, "KY": _EC, "LA": _C, "ME": _E, "MD": _E,
    "MA": _E, "MI": _EC, "MN": _C, "MS": _C, "MO": _C, "MT": _M, "NE": _CM, "NV": _PM,
    "NH": _E, "NJ": _E, "NM": _M, "NY": _E, "NC": _E, "ND": _CM, "OH": _E, "OK": _C,
    "OR": _PM, "PA": _E, "RI": _E, "SC": _E, "SD": _CM, "TN": _CE, "TX": _CM, "UT": _M,
    "VT": _E, "VA": _E, "WA": _P, "WV": _E, "WI": _C, "WY": _M,
    "PR": ("America/Puerto_Rico",), "VI": ("America/St_Thomas",), "GU": ("Pacific/Guam",),
    "AS": ("Pacific/Pago_Pago",), "MP": ("Pacific/Saipan",),
}  # fmt: skip

#: ZIP3 prefixes that settle the zone inside a state spanning zones. A prefix absent here (or one
#: whose area is itself split, listed with two zones) keeps every zone of the state.
SPLIT_STATE_ZIP3: dict[str, dict[str, tuple[str, ...]]] = {
    "AK": {"996": _ALASKA, "997": _ALASKA, "998": _ALASKA, "999": _ALASKA},
    # The Navajo Nation (ZIP3 860 and 865) keeps DST; the rest of Arizona does not.
    "AZ": {p: _ARIZONA for p in ("850", "851", "852", "853", "855", "856", "857", "859",
                                   "863", "864")},
    # The panhandle west of the Apalachicola river is Central; 324 holds both sides.
    "FL": {"325": _C, "324": _CE} | {str(p): _E for p in range(320, 324)}
    | {str(p): _E for p in range(326, 350)},
    "ID": {"838": _P, "835": _PM, "832": _M, "833": _M, "834": _M, "836": _M, "837": _M},
    "IN": {"463": _C, "464": _C}
    | {p: _E for p in ("460", "461", "462", "466", "467", "468", "469", "470", "471", "472",
                       "473", "474", "478")},
    "KS": {p: _C for p in ("660", "661", "662", "664", "665", "666", "667", "668", "669", "670",
                           "671", "672", "673", "674", "675", "676", "679")},
    "KY": {"420": _C, "423": _C, "424": _C}
    | {p: _E for p in ("400", "401", "402", "403", "404", "405", "406", "407", "408", "409",
                       "410", "411", "412", "413", "414", "415", "416", "417", "418")},
    # Only the four Upper Peninsula counties on the Wisconsin line (ZIP3 498-499) keep Central.
    "MI": {str(p): _E for p in range(480, 498)},
    "NE": {"693": _M} | {str(p): _C for p in range(680, 690)},
    "NV": {str(p): _P for p in range(889, 898)},
    "ND": {p: _C for p in ("580", "581", "582", "583", "584", "587")},
    "OR": {str(p): _P for p in range(970, 979)},
    "SD": {"577": _M} | {p: _C for p in ("570", "571", "572", "573", "574")},
    "TN": {p: _E for p in ("374", "376", "377", "378", "379")}
    | {p: _C for p in ("370", "371", "372", "380", "381", "382", "383", "384", "385")},
    "TX": {"799": _M, "885": _M}
    | {str(p): _C for p in range(750, 798) if p not in (759, 769)}
    | {"733": _C},
}  # fmt: skip

#: Every zone of the United States, for a US address without a state.
US_ZONES: tuple[str, ...] = tuple(dict.fromkeys(z for zs in STATE_ZONES.values() for z in zs))

_UNKNOWN = "Etc/Unknown"


def state_zones(state: str, postal_code: str | None) -> tuple[str, ...]:
    """Zones for a US state, narrowed by the ZIP3 prefix where we know the state is split there."""
    every = STATE_ZONES[state]
    if len(every) == 1 or not postal_code:
        return every
    return SPLIT_STATE_ZIP3.get(state, {}).get(postal_code.strip()[:3], every)


@cache
def country_zones(country: str) -> tuple[str, ...]:
    """Zones for a country with no finer address: every zone `phonenumbers` lists under its
    calling code (for shared codes such as +1 that is wider than the country, erring safe)."""
    if country == "US":
        return US_ZONES
    code = phonenumbers.country_code_for_region(country)
    if code == 0:
        return ()
    prefix = str(code)
    found = dict.fromkeys(
        zone
        for key, zones in TIMEZONE_DATA.items()
        if key.startswith(prefix)
        for zone in zones
        if zone != _UNKNOWN
    )
    return tuple(found)


def address_zones(country: str, state: str | None, postal_code: str | None) -> tuple[str, ...]:
    """Zones one address puts the debtor in."""
    if country == "US" and state:
        return state_zones(state, postal_code)
    return country_zones(country)


# Bounded: a dialer runs for weeks through hundreds of thousands of distinct numbers.
@lru_cache(maxsize=1 << 16)
def number_zones(number: str) -> tuple[str, ...]:
    """Zones of a dialable number. A non-geographic number (mobile outside NANP, toll-free) only
    tells us its country, which places the debtor only when the country has a single zone;
    otherwise it adds nothing, because the whole +1 plan would leave no legal hour at all."""
    parsed = phonenumbers.parse(number)
    zones = tuple(z for z in phone_timezone.time_zones_for_number(parsed) if z != _UNKNOWN)
    if phonenumbers.is_number_geographical(parsed):
        return zones
    region = phonenumbers.region_code_for_number(parsed)
    by_country = country_zones(region) if region else ()
    return by_country if len(by_country) == 1 else ()


@cache
def zone(name: str) -> ZoneInfo:
    """A cached ZoneInfo, so a batch or a next-allowed search loads each zone once."""
    return ZoneInfo(name)


def local_date(zones: tuple[str, ...], now: datetime) -> date:
    """The debtor's date now: a promise "for today" made in a Hawaii evening is already
    tomorrow in UTC. Where the zones straddle midnight, the earliest date, so the debtor's today
    is never refused as past; with no zone known, the date in UTC."""
    if not zones:
        return now.date()
    return min(now.astimezone(zone(name)).date() for name in zones)
