"""One parser per kind of placement field: raw text in, a clean value out, or a `FieldError`.

Pure functions (today is passed in) so each rule is tested on its own. The messages are read by
the client's data team, so they say what was expected, not only that something was wrong.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import lru_cache

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from iso4217 import Currency

from core.models import to_minor
from core.placements.regions import (
    GENERIC_POSTAL,
    POSTAL_PATTERNS,
    SUBDIVISION_BY_NAME,
    SUBDIVISIONS,
    normalize_postal,
)

OLDEST_BIRTH = date(1900, 1, 1)
MAX_MINOR = 2**63 - 1  # BIGINT
PLAIN_AMOUNT = re.compile(r"^\d+(\.\d+)?$")
# "1234,56": a decimal comma, as semicolon-separated European exports write amounts. Three
# digits after the comma ("12,500") are refused: Excel writes a US thousand so, and reading it
# as 12.50 would quote a debt a thousand times too small.
COMMA_AMOUNT = re.compile(r"^\d+,\d{1,2}$")
THOUSANDS_OR_DECIMAL = re.compile(r"^\d+,\d{3}$")
ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
DOT_ATOM = re.compile(rf"^{ATEXT}(\.{ATEXT})*$")
PHONE_TYPES: dict[str, str] = {
    "mobile": "mobile", "cell": "mobile", "cellular": "mobile", "wireless": "mobile",
    "landline": "landline", "home": "landline", "land": "landline", "fixed": "landline",
    "residential": "landline",
    "work": "work", "office": "work", "business": "work", "employer": "work",
}  # fmt: skip


class FieldError(ValueError):
    """Why one field of one row was refused."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def text(raw: str, max_length: int, *, required: bool = False) -> str:
    """Trimmed text within the column's width; required fields must not be blank. Composed
    (NFC), as people type it: a Mac export's decomposed "Núñez" would otherwise match no search
    and no other file's "Núñez"."""
    value = unicodedata.normalize("NFC", raw.strip())
    if required and not value:
        raise FieldError("required, but empty")
    if len(value) > max_length:
        raise FieldError(f"longer than {max_length} characters ({len(value)})")
    return value


def iso_date(raw: str, today: date, *, earliest: date | None = None) -> date | None:
    """An ISO 8601 date (2024-03-31), never in the future; empty means unknown."""
    value = raw.strip()
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise FieldError("not an ISO 8601 date (expected YYYY-MM-DD)") from None
    if parsed > today:
        raise FieldError(f"in the future (after {today.isoformat()})")
    if earliest is not None and parsed < earliest:
        raise FieldError(f"before {earliest.isoformat()}")
    return parsed


def currency(raw: str) -> tuple[str, int]:
    """ISO 4217 code and its minor-unit exponent (USD 2, JPY 0); empty means USD."""
    code = raw.strip().upper() or "USD"
    try:
        found = Currency(code)
    except ValueError:
        raise FieldError("not an ISO 4217 currency code (e.g. USD, EUR)") from None
    if found.exponent is None:
        raise FieldError(f"{code} is not a currency with minor units (a metal or fund code)")
    return code, found.exponent


def amount(raw: str, exponent: int, *, required: bool = False) -> int:
    """A non-negative decimal amount in minor units; floats never touch money.

    Thousands separators are refused rather than guessed: "1,234" is a thousand in one country
    and one point two in another.
    """
    value = raw.strip().replace(" ", "")
    if not value:
        if required:
            raise FieldError("required, but empty")
        return 0
    if value.startswith("-"):
        raise FieldError("negative amounts are not accepted on a placement")
    if THOUSANDS_OR_DECIMAL.match(value):
        raise FieldError(
            f"{value} could be a thousands separator or a decimal comma; write the amount "
            f"without separators ({value.replace(',', '')} or {value.replace(',', '.')})"
        )
    if COMMA_AMOUNT.match(value):
        value = value.replace(",", ".")
    if not PLAIN_AMOUNT.match(value):
        raise FieldError("not a decimal amount (digits with an optional . and cents)")
    try:
        minor = to_minor(Decimal(value), exponent)
    except ValueError:
        raise FieldError(f"more than {exponent} decimal places for this currency") from None
    if minor > MAX_MINOR:
        raise FieldError("amount too large")
    return minor


@lru_cache(maxsize=512)
def country(raw: str) -> str:
    """ISO 3166 alpha-2 code (alpha-3 accepted and shortened); empty means US."""
    value = raw.strip().upper() or "US"
    found = (
        pycountry.countries.get(alpha_2=value)
        if len(value) == 2
        else pycountry.countries.get(alpha_3=value)
        if len(value) == 3
        else None
    )
    if found is None:
        raise FieldError("not an ISO 3166 country code (e.g. US, CA, GB)")
    return str(found.alpha_2)


def state(raw: str, country_code: str) -> str:
    """USPS state or Canadian province code (full names accepted); free text elsewhere."""
    value = raw.strip().upper()
    table = SUBDIVISIONS.get(country_code)
    if not value or table is None:
        return text(raw, 40)
    if value in table:
        return value
    by_name = SUBDIVISION_BY_NAME[country_code].get(value)
    if by_name is None:
        what = "a USPS state code (e.g. NY, TX)" if country_code == "US" else "a province code"
        raise FieldError(f"not {what}")
    return by_name


def postal_code(raw: str, country_code: str) -> str:
    """A postal code shaped as the country writes it; a ZIP missing leading zeros is named."""
    if not raw.strip():
        return ""
    value = normalize_postal(raw, country_code)
    pattern, expected = POSTAL_PATTERNS.get(country_code, (GENERIC_POSTAL, "a postal code"))
    if pattern.match(value):
        return value
    if country_code == "US" and re.fullmatch(r"\d{3,4}(-\d{4})?", value):
        raise FieldError(f"expected {expected}; a spreadsheet may have dropped leading zeros")
    raise FieldError(f"expected {expected}")


def phone(raw: str, region: str) -> str:
    """The number in E.164, read in the debtor's country when it has no + prefix."""
    return phone_parts(raw, region)[0]


def phone_parts(raw: str, region: str) -> tuple[str, str]:
    """The number in E.164 and its extension ("x204", "ext. 204"; "" when none), read in the
    debtor's country when it has no + prefix."""
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise FieldError("not a phone number") from None
    # Checking the debtor's own region first skips the search over the ~25 regions sharing +1.
    if not (
        phonenumbers.is_valid_number_for_region(parsed, region)
        or phonenumbers.is_valid_number(parsed)
    ):
        raise FieldError(f"not a valid phone number for {region}")
    extension = parsed.extension or ""
    if len(extension) > 10:
        raise FieldError(f"extension {extension} is longer than 10 digits")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), extension


def phone_type(raw: str) -> str:
    """mobile, landline or work (common synonyms accepted).

    An unstated type is taken as mobile: TCPA treats mobiles most strictly, so guessing
    "landline" could let an autodialer call a cell phone without consent.
    """
    value = raw.strip().lower()
    if not value:
        return "mobile"
    try:
        return PHONE_TYPES[value]
    except KeyError:
        raise FieldError("expected mobile, landline or work") from None


@lru_cache(maxsize=4096)
def _known_domain(domain: str) -> str | None:
    """The normalized domain when email-validator accepts it, else None (full check reports)."""
    try:
        checked: str = validate_email(f"a@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return None
    return checked


def email(raw: str) -> str:
    """A syntactically valid address, domain normalized; no DNS look-up during an import.

    email-validator costs ~80 µs an address, mostly checking the domain, and a placement has a
    handful of domains for 100,000 addresses. So a plain ASCII local part (RFC 5322 dot-atom)
    at a domain email-validator already accepted is taken as it would be; anything else gets the
    full check and its precise message.
    """
    value = raw.strip()
    local, at, domain = value.rpartition("@")
    if at and len(local) <= 64 and len(value) <= 254 and DOT_ATOM.match(local):
        known = _known_domain(domain)
        if known is not None:
            return f"{local}@{known}"
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise FieldError(f"not a valid email address: {exc}") from None
    address: str = checked.normalized
    if len(address) > 254:
        raise FieldError("longer than 254 characters")
    return address
