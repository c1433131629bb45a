"""USPS state codes and Canadian provinces, and postal code shapes per country.

USPS codes are kept here rather than taken from ISO 3166-2 because USPS also accepts the military
codes (AA, AE, AP) and the territories that ISO files as countries; a debtor at an APO address is
still a US address for calling-hour rules.
"""

from __future__ import annotations

import re

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands", "UM": "U.S. Minor Outlying Islands",
    "AA": "Armed Forces Americas", "AE": "Armed Forces Europe", "AP": "Armed Forces Pacific",
}  # fmt: skip

CA_PROVINCES: dict[str, str] = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip

SUBDIVISIONS: dict[str, dict[str, str]] = {"US": US_STATES, "CA": CA_PROVINCES}
SUBDIVISION_BY_NAME: dict[str, dict[str, str]] = {
    country: {name.upper(): code for code, name in table.items()}
    for country, table in SUBDIVISIONS.items()
}

# Shapes only (a ZIP that exists is the post office's business); simple where the country is.
POSTAL_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "US": (re.compile(r"^\d{5}(-\d{4})?$"), "a 5-digit ZIP or ZIP+4 (12345 or 12345-6789)"),
    "CA": (re.compile(r"^[A-Z]\d[A-Z] \d[A-Z]\d$"), "like K1A 0B1"),
    "GB": (re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$"), "like SW1A 1AA"),
    "DE": (re.compile(r"^\d{5}$"), "5 digits"),
    "FR": (re.compile(r"^\d{5}$"), "5 digits"),
    "ES": (re.compile(r"^\d{5}$"), "5 digits"),
    "IT": (re.compile(r"^\d{5}$"), "5 digits"),
    "MX": (re.compile(r"^\d{5}$"), "5 digits"),
    "NL": (re.compile(r"^\d{4} [A-Z]{2}$"), "like 1011 AB"),
    "AU": (re.compile(r"^\d{4}$"), "4 digits"),
    "IN": (re.compile(r"^\d{6}$"), "6 digits"),
}
GENERIC_POSTAL = re.compile(r"^[A-Z0-9][A-Z0-9 \-]{1,9}$")


def normalize_postal(raw: str, country: str) -> str:
    """Upper case, single spaces, and the usual space put back where a country's format has one."""
    code = " ".join(raw.upper().split())
    if country == "US" and re.fullmatch(r"\d{9}", code):
        return f"{code[:5]}-{code[5:]}"
    if country in {"CA", "GB"} and " " not in code and len(code) >= 5:
        return f"{code[:-3]} {code[-3:]}"
    if country == "NL" and re.fullmatch(r"\d{4}[A-Z]{2}", code):
        return f"{code[:4]} {code[4:]}"
    return code
