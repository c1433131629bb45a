"""Amounts typed into forms: read to the cent, or refused in words the typist can act on."""

from __future__ import annotations

import re

import pytest

from core.amounts import money, parse_money


@pytest.mark.parametrize(
    ("typed", "minor"),
    [("1,240.50", 124050), ("$1240.5", 124050), ("$ 12", 1200), ("0.99", 99), (".5", 50)],
)
def test_amounts_as_agents_type_them_are_read_to_the_cent(typed: str, minor: int) -> None:
    assert parse_money(typed) == minor


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e3", "Enter an amount like 125.00."),
        ("NaN", "Enter an amount like 125.00."),
        ("Infinity", "Enter an amount like 125.00."),
        ("12,34,567", "Enter an amount like 125.00."),
        ("5,00", "Use a point for cents, like 5.00."),
        ("1.005", "Use at most two decimal places."),
        ("0.00", "The amount must be more than zero."),
    ],
)
def test_amounts_that_are_not_plain_money_are_refused_in_words(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_money(typed)


@pytest.mark.parametrize(
    ("minor", "currency", "shown"),
    [(123456, "USD", "$1,234.56"), (123456, "EUR", "1,234.56 EUR"),
     (123456, "JPY", "123,456 JPY"), (123456, "BHD", "123.456 BHD"), (5, "USD", "$0.05")],
)  # fmt: skip
def test_amounts_are_shown_in_the_currencys_own_places(
    minor: int, currency: str, shown: str
) -> None:
    assert money(minor, currency) == shown


def test_typed_amounts_are_read_in_the_currencys_own_places() -> None:
    assert (parse_money("1,000", "JPY"), parse_money("1.005", "BHD")) == (1000, 1005)
    with pytest.raises(ValueError, match="JPY amounts have no decimal places"):
        parse_money("1000.50", "JPY")
