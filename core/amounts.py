"""Amounts as people read and type them: on screens, in messages, in an agent's promise and a
debtor's payment.

Stored amounts are integers in the currency's minor units, and currencies differ in how many
there are (USD 2, JPY 0, BHD 3): reading every currency as cents showed a yen balance a hundred
times too small. Typed amounts are read strictly, because a misread amount is money taken or
promised wrongly: Decimal alone takes "1e3", "NaN" and "Infinity", and stripping every comma
reads a decimal comma ("5,00") as a hundred times the amount.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from iso4217 import Currency


@lru_cache(maxsize=64)
def minor_digits(currency: str) -> int:
    """How many minor-unit digits the currency has (2 when it is not an ISO 4217 currency)."""
    try:
        exponent = Currency(currency.upper()).exponent
    except ValueError:
        return 2
    return 2 if exponent is None else int(exponent)


def money(minor: int, currency: str = "USD") -> str:
    """$1,234.56 for dollars; other currencies with their own places and code: 1,235 JPY."""
    digits = minor_digits(currency)
    text = f"{Decimal(minor).scaleb(-digits):,.{digits}f}"
    return f"${text}" if currency == "USD" else f"{text} {currency}"


def form_amount(minor: int, currency: str = "USD") -> str:
    """The amount as a form field holds it, for `parse_money` to read back: 1240.50, 1000."""
    digits = minor_digits(currency)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"


# Digits with an optional point and cents; commas only between groups of three.
_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+")


def parse_money(text: str, currency: str = "USD") -> int:
    """'1,240.50' or '$1240.5' to minor units; ValueError with a message the typist can act on."""
    digits = minor_digits(currency)
    cleaned = text.strip().removeprefix("$").strip()
    if not _AMOUNT.fullmatch(cleaned):
        if re.fullmatch(r"\d+,\d{1,2}", cleaned):
            raise ValueError("Use a point for cents, like 5.00.")
        raise ValueError("Enter an amount like 125.00.")
    amount = Decimal(cleaned.replace(",", ""))
    if amount.as_tuple().exponent < -digits:  # type: ignore[operator]
        if digits == 0:
            raise ValueError(f"{currency} amounts have no decimal places.")
        words = {1: "one decimal place", 2: "two decimal places", 3: "three decimal places"}
        places = words.get(digits, f"{digits} decimal places")
        raise ValueError(f"Use at most {places}.")
    if amount <= 0:
        raise ValueError("The amount must be more than zero.")
    return int(amount.scaleb(digits))
