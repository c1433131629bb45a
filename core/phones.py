"""Phone numbers as people read them.

Numbers are stored in E.164 ("+18005550110") so that they compare and dial alike; a person who
reads one aloud, or dials it from a text, needs it the way it is printed in their country.
"""

from __future__ import annotations

import phonenumbers


def printed_number(number: str) -> str:
    """A stored number as people say and write it ("(800) 555-0110", "020 7946 0100"); what
    does not parse as a valid number is given back as it is."""
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_valid_number(parsed):
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
