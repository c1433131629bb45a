"""Phone numbers as stored and as people read them.

Numbers are stored in E.164 ("+18005550110") so that they compare and dial alike; a person who
reads one aloud, or dials it from a text, needs it the way it is printed in their country.
"""

from __future__ import annotations

import phonenumbers


def _valid(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def e164(number: str, region: str | None = "US") -> str | None:
    """A number as written ("(212) 555-0100", "+44 20 7946 0100") in E.164, or None when it is
    not a valid number; `region` reads numbers without a country code (None: they must have
    one)."""
    parsed = _valid(number, region)
    return (
        None
        if parsed is None
        else phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    )


def printed_number(number: str) -> str:
    """A stored number as people say and write it ("(800) 555-0110", "020 7946 0100"); what
    does not parse as a valid number is given back as it is."""
    parsed = _valid(number, "US")
    return (
        number
        if parsed is None
        else phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    )
