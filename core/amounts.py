"""Amounts as people type them into a form: an agent's promise, a debtor's payment.

Read strictly, because a misread amount is money taken or promised wrongly: Decimal alone takes
"1e3", "NaN" and "Infinity", and stripping every comma reads a decimal comma ("5,00") as a
hundred times the amount.
"""

from __future__ import annotations

import re
from decimal import Decimal

# Digits with an optional point and cents; commas only between groups of three.
_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+")


def parse_money(text: str) -> int:
    """'1,240.50' or '$1240.5' to minor units; ValueError with a message the agent can act on."""
    cleaned = text.strip().removeprefix("$").strip()
    if not _AMOUNT.fullmatch(cleaned):
        if re.fullmatch(r"\d+,\d{1,2}", cleaned):
            raise ValueError("Use a point for cents, like 5.00.")
        raise ValueError("Enter an amount like 125.00.")
    amount = Decimal(cleaned.replace(",", ""))
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("Use at most two decimal places.")
    if amount <= 0:
        raise ValueError("The amount must be more than zero.")
    return int(amount.scaleb(2))
