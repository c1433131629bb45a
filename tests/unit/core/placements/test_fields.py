from datetime import date
from decimal import Decimal

import pytest
from email_validator import validate_email
from hypothesis import given
from hypothesis import strategies as st

from core.models import to_minor
from core.placements import fields
from core.placements.fields import FieldError

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(212) 555-0142", "+12125550142"),
        ("212.555.0142", "+12125550142"),
        ("+1 303 555 0199", "+13035550199"),
        ("1-602-555-0100", "+16025550100"),
    ],
)
def test_us_phone_numbers_in_any_common_layout_become_e164(raw: str, expected: str) -> None:
    assert fields.phone(raw, "US") == expected


def test_phone_without_prefix_is_read_in_the_debtors_country() -> None:
    assert fields.phone("020 7946 0018", "GB") == "+442079460018"


def test_a_canadian_mobile_on_a_us_debtor_is_still_valid() -> None:
    assert fields.phone("+1 416 555 0199", "US") == "+14165550199"


@pytest.mark.parametrize("raw", ["555-12", "12", "(123) 456-7890", "not a phone"])
def test_short_or_impossible_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(FieldError, match="phone number"):
        fields.phone(raw, "US")


@pytest.mark.parametrize(
    ("raw", "extension"),
    [("(212) 555-0100 x204", "204"), ("212-555-0100 ext. 204", "204"),
     ("+1 212 555 0100;ext=7", "7"), ("(212) 555-0100", "")],
)  # fmt: skip
def test_an_extension_is_kept_apart_from_the_number(raw: str, extension: str) -> None:
    assert fields.phone_parts(raw, "US") == ("+12125550100", extension)


def test_phone_type_synonyms_map_onto_mobile_landline_work() -> None:
    assert [fields.phone_type(t) for t in ("Cell", "home", "OFFICE", "landline")] == [
        "mobile",
        "landline",
        "work",
        "landline",
    ]


def test_unstated_phone_type_is_taken_as_mobile_the_strictest_for_tcpa() -> None:
    assert fields.phone_type("  ") == "mobile"


def test_unknown_phone_type_is_refused() -> None:
    with pytest.raises(FieldError, match="mobile, landline or work"):
        fields.phone_type("pager")


def test_amounts_become_exact_minor_units() -> None:
    assert fields.amount("1234.56", 2) == 123456
    assert fields.amount("0.10", 2) == 10
    assert fields.amount("7", 2) == 700


def test_a_decimal_comma_is_read_as_a_decimal_point() -> None:
    assert fields.amount("120,50", 2) == 12050


@pytest.mark.parametrize("raw", ["12,500", "1,000", "125,000"])
def test_three_digits_after_a_comma_are_refused_not_read_as_cents(raw: str) -> None:
    """Excel writes a US twelve thousand five hundred as "12,500"; read as a decimal comma it
    would be stored as $12.50."""
    with pytest.raises(FieldError, match="thousands separator or a decimal comma"):
        fields.amount(raw, 2)


@pytest.mark.parametrize("raw", ["1,234.56", "1e3", "12.3.4", "$12", "NaN", "abc"])
def test_amounts_that_are_not_plain_decimals_are_refused(raw: str) -> None:
    with pytest.raises(FieldError, match="decimal amount"):
        fields.amount(raw, 2)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(FieldError, match="negative"):
        fields.amount("-5.00", 2)


def test_fractions_of_a_cent_are_refused_and_yen_have_no_minor_unit() -> None:
    with pytest.raises(FieldError, match="2 decimal places"):
        fields.amount("1.005", 2)
    assert fields.amount("1500", 0) == 1500
    with pytest.raises(FieldError, match="0 decimal places"):
        fields.amount("1500.5", 0)


def test_empty_balance_is_refused_but_empty_fees_are_zero() -> None:
    with pytest.raises(FieldError, match="required"):
        fields.amount("", 2, required=True)
    assert fields.amount("", 2) == 0


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_any_two_place_amount_round_trips_exactly(value: Decimal) -> None:
    assert fields.amount(str(value), 2) == to_minor(value)


def test_currency_codes_carry_their_exponent() -> None:
    assert fields.currency("usd") == ("USD", 2)
    assert fields.currency("JPY") == ("JPY", 0)
    assert fields.currency("") == ("USD", 2)


def test_unknown_currency_and_gold_are_refused() -> None:
    with pytest.raises(FieldError, match="ISO 4217"):
        fields.currency("XYZ")
    with pytest.raises(FieldError, match="minor units"):
        fields.currency("XAU")


def test_iso_dates_parse_and_the_future_is_refused() -> None:
    assert fields.iso_date("2024-03-31", TODAY) == date(2024, 3, 31)
    assert fields.iso_date("", TODAY) is None
    with pytest.raises(FieldError, match="in the future"):
        fields.iso_date("2026-12-01", TODAY)


@pytest.mark.parametrize("raw", ["31/12/1980", "12/31/1980", "1980-13-01", "yesterday"])
def test_dates_that_are_not_iso_8601_are_refused(raw: str) -> None:
    with pytest.raises(FieldError, match="ISO 8601"):
        fields.iso_date(raw, TODAY)


def test_a_birth_date_before_1900_is_refused() -> None:
    with pytest.raises(FieldError, match="before 1900"):
        fields.iso_date("1899-12-31", TODAY, earliest=fields.OLDEST_BIRTH)


def test_states_accept_usps_codes_and_full_names() -> None:
    assert fields.state("ny", "US") == "NY"
    assert fields.state("New Mexico", "US") == "NM"
    assert fields.state("AE", "US") == "AE"
    assert fields.state("Ontario", "CA") == "ON"


def test_unknown_state_code_is_refused_but_other_countries_take_free_text() -> None:
    with pytest.raises(FieldError, match="USPS"):
        fields.state("ZZ", "US")
    assert fields.state("Bavaria", "DE") == "Bavaria"


def test_zip_codes_five_digit_and_zip_plus_four() -> None:
    assert fields.postal_code("02134", "US") == "02134"
    assert fields.postal_code("021341234", "US") == "02134-1234"
    assert fields.postal_code("02134-1234", "US") == "02134-1234"


def test_a_zip_that_lost_its_leading_zero_says_so() -> None:
    with pytest.raises(FieldError, match="leading zeros"):
        fields.postal_code("2134", "US")


def test_postal_codes_of_other_countries_are_normalized() -> None:
    assert fields.postal_code("k1a0b1", "CA") == "K1A 0B1"
    assert fields.postal_code("sw1a1aa", "GB") == "SW1A 1AA"
    with pytest.raises(FieldError, match="like K1A 0B1"):
        fields.postal_code("12345", "CA")


def test_countries_are_iso_alpha_2_and_alpha_3_is_shortened() -> None:
    assert fields.country("usa") == "US"
    assert fields.country("") == "US"
    with pytest.raises(FieldError, match="ISO 3166"):
        fields.country("XX")


def test_emails_are_checked_and_their_domain_normalized() -> None:
    assert fields.email(" Ana.Lopez@Example.COM ") == "Ana.Lopez@example.com"


@pytest.mark.parametrize("raw", ["ana@", "ana.example.com", "a..b@example.com", "a@localhost"])
def test_invalid_emails_are_refused_with_the_reason(raw: str) -> None:
    with pytest.raises(FieldError, match=r"not a valid email address: .+"):
        fields.email(raw)


@given(
    st.from_regex(
        r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,20}(\.[A-Za-z0-9_-]{1,10}){0,2}", fullmatch=True
    ),
    st.sampled_from(["example.com", "Example.ORG", "mail.example.net"]),
)
def test_the_fast_email_path_agrees_with_email_validator(local: str, domain: str) -> None:
    address = f"{local}@{domain}"
    assert fields.email(address) == validate_email(address, check_deliverability=False).normalized


def test_text_fields_are_trimmed_and_limited() -> None:
    assert fields.text("  Ana ", 120, required=True) == "Ana"
    with pytest.raises(FieldError, match="required"):
        fields.text("   ", 120, required=True)
    with pytest.raises(FieldError, match="longer than 3"):
        fields.text("abcd", 3)
