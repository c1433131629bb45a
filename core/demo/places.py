"""US places for demo debtors: city, state, ZIP range, area codes and IANA time zone together.

Phones and addresses come from the same row so the calling-hours engine sees a consistent
debtor; a few rows sit on a time-zone edge on purpose (El Paso is Mountain time in Texas,
Arizona keeps no daylight saving time, Alaska and Hawaii are far west).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    city: str
    state: str
    zip_low: int
    zip_high: int
    area_codes: tuple[str, ...]
    time_zone: str
    weight: int  # rough share of the demo debtors


PLACES: tuple[Place, ...] = (
    Place("New York", "NY", 10001, 10292, ("212", "646", "917", "332"), "America/New_York", 9),
    Place("Brooklyn", "NY", 11201, 11256, ("718", "347", "929"), "America/New_York", 7),
    Place("Buffalo", "NY", 14201, 14228, ("716",), "America/New_York", 2),
    Place("Boston", "MA", 2108, 2137, ("617", "857"), "America/New_York", 3),
    Place("Philadelphia", "PA", 19102, 19154, ("215", "267"), "America/New_York", 4),
    Place("Newark", "NJ", 7102, 7114, ("973", "862"), "America/New_York", 2),
    Place("Atlanta", "GA", 30303, 30350, ("404", "470", "678"), "America/New_York", 4),
    Place("Charlotte", "NC", 28202, 28280, ("704", "980"), "America/New_York", 2),
    Place("Detroit", "MI", 48201, 48239, ("313",), "America/Detroit", 3),
    Place("Miami", "FL", 33125, 33199, ("305", "786"), "America/New_York", 5),
    Place("Orlando", "FL", 32801, 32839, ("407", "689"), "America/New_York", 3),
    Place("Tampa", "FL", 33602, 33647, ("813",), "America/New_York", 3),
    Place("Chicago", "IL", 60601, 60661, ("312", "773", "872"), "America/Chicago", 7),
    Place("Naperville", "IL", 60540, 60565, ("630", "331"), "America/Chicago", 2),
    Place("Minneapolis", "MN", 55401, 55488, ("612",), "America/Chicago", 2),
    Place("New Orleans", "LA", 70112, 70131, ("504",), "America/Chicago", 2),
    Place("Houston", "TX", 77002, 77099, ("713", "281", "832"), "America/Chicago", 6),
    Place("Dallas", "TX", 75201, 75254, ("214", "469", "972"), "America/Chicago", 5),
    Place("Austin", "TX", 78701, 78759, ("512", "737"), "America/Chicago", 3),
    Place("San Antonio", "TX", 78201, 78266, ("210", "726"), "America/Chicago", 3),
    Place("El Paso", "TX", 79901, 79938, ("915",), "America/Denver", 2),
    Place("Denver", "CO", 80202, 80249, ("303", "720"), "America/Denver", 4),
    Place("Colorado Springs", "CO", 80903, 80951, ("719",), "America/Denver", 2),
    Place("Fort Collins", "CO", 80521, 80528, ("970",), "America/Denver", 1),
    Place("Salt Lake City", "UT", 84101, 84128, ("801", "385"), "America/Denver", 2),
    Place("Albuquerque", "NM", 87101, 87123, ("505",), "America/Denver", 1),
    Place("Phoenix", "AZ", 85003, 85054, ("602", "480", "623"), "America/Phoenix", 5),
    Place("Tucson", "AZ", 85701, 85756, ("520",), "America/Phoenix", 2),
    Place(
        "Los Angeles", "CA", 90001, 90089, ("213", "310", "323", "424"), "America/Los_Angeles", 8
    ),
    Place("San Francisco", "CA", 94102, 94134, ("415", "628"), "America/Los_Angeles", 3),
    Place("San Diego", "CA", 92101, 92154, ("619", "858"), "America/Los_Angeles", 3),
    Place("Sacramento", "CA", 95811, 95838, ("916", "279"), "America/Los_Angeles", 2),
    Place("Seattle", "WA", 98101, 98199, ("206",), "America/Los_Angeles", 3),
    Place("Portland", "OR", 97201, 97236, ("503", "971"), "America/Los_Angeles", 2),
    Place("Las Vegas", "NV", 89101, 89183, ("702", "725"), "America/Los_Angeles", 2),
    Place("Anchorage", "AK", 99501, 99524, ("907",), "America/Anchorage", 1),
    Place("Honolulu", "HI", 96813, 96826, ("808",), "Pacific/Honolulu", 1),
)

STREETS: tuple[str, ...] = (
    "Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Park Ave", "Washington St", "Lake Rd",
    "Hillcrest Dr", "Elm St", "Sunset Blvd", "Pine St", "River Rd", "Church St", "Highland Ave",
    "Franklin St", "Jefferson Ave", "Lincoln Way", "Madison Ave", "Willow Ct", "Ridge Rd",
    "Spring St", "Center St", "Valley View Dr", "Mesa Dr", "Broadway", "Grand Ave",
    "College Ave", "Mill Rd", "Forest Ave", "Prospect St",
)  # fmt: skip
