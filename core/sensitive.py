"""Card and Social Security numbers in free text an agent types, found before it is stored.

A debtor reads a card number aloud to pay, an agent jots it in the call's notes, and a full card
number now sits in plain text in every export, report and backup of the contact log (PCI DSS
forbids storing it unprotected; a Social Security number in the clear is an identity-theft
risk). Payments go through the payment link; notes keep the last four digits at most. Pure, so
every screen that takes free text can ask it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 13-19 digits, in groups split by single spaces or dashes, as people type card numbers.
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
# 123-45-6789 or 123 45 6789: the shapes an SSN is written in (area 000, 666, 9xx never issued).
_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)(\d{3})([- ])(?!00)\d{2}\2(?!0000)\d{4}(?![\d-])")


def luhn_ok(digits: str) -> bool:
    """The card-number checksum (ISO/IEC 7812): one mistyped digit fails it."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@dataclass(frozen=True, slots=True)
class Sensitive:
    kind: str  # "card number" or "Social Security number"
    last4: str


def find_sensitive(text: str) -> list[Sensitive]:
    """Every card number (checksum valid, not one digit repeated) and SSN-shaped number."""
    found = []
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_ok(digits):
            found.append(Sensitive("card number", digits[-4:]))
    for match in _SSN.finditer(text):
        found.append(Sensitive("Social Security number", match.group()[-4:]))
    return found
