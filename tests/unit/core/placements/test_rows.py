from datetime import date

from core.placements.columns import CANONICAL_COLUMNS, resolve_header
from core.placements.rows import Placement, RowError, check_row

TODAY = date(2026, 11, 30)
HEADER = resolve_header(list(CANONICAL_COLUMNS), {})
GOOD = {
    "client_account_number": "A-100",
    "first_name": "Ana",
    "last_name": "López",
    "date_of_birth": "1980-04-02",
    "address_line1": "12 Main St",
    "city": "Denver",
    "state": "co",
    "postal_code": "80202",
    "country": "US",
    "phone": "(303) 555-0142",
    "phone_type": "cell",
    "email": "ana@example.com",
    "original_creditor": "Northwind Bank",
    "principal": "1000.00",
    "interest": "150.25",
    "fees": "25",
    "balance": "1175.25",
    "currency": "USD",
    "delinquency_date": "2025-01-15",
    "charge_off_date": "2025-07-15",
    "last_payment_date": "2024-12-20",
}


def _cells(**changes: str) -> list[str]:
    row = {**GOOD, **changes}
    return [row[name] for name in CANONICAL_COLUMNS]


def test_a_good_row_becomes_a_placement_with_clean_values() -> None:
    placed = check_row(7, _cells(), HEADER, TODAY)
    assert isinstance(placed, Placement)
    assert placed.line == 7
    assert placed.phone == "+13035550142"
    assert placed.phone_type == "mobile"
    assert placed.balance_minor == 117525
    assert placed.fees_minor == 2500
    assert placed.address is not None and placed.address.state == "CO"
    assert placed.date_of_birth == date(1980, 4, 2)


def test_every_bad_field_of_a_row_is_reported_not_only_the_first() -> None:
    errors = check_row(9, _cells(phone="12", state="ZZ", balance="", email="x@"), HEADER, TODAY)
    assert isinstance(errors, list)
    assert {(e.line, e.field) for e in errors} == {
        (9, "phone"),
        (9, "state"),
        (9, "balance"),
        (9, "email"),
    }


def test_the_refused_value_is_kept_for_the_error_file() -> None:
    errors = check_row(3, _cells(postal_code="2134"), HEADER, TODAY)
    assert errors == [
        RowError(3, "postal_code", "2134", errors[0].reason)  # type: ignore[index]
    ]


def test_a_row_with_too_few_fields_is_one_error() -> None:
    assert check_row(4, ["A-1", "Ana"], HEADER, TODAY) == [
        RowError(4, "*", "", f"expected {len(CANONICAL_COLUMNS)} fields, found 2")
    ]


def test_charge_off_before_delinquency_is_refused() -> None:
    errors = check_row(5, _cells(charge_off_date="2024-01-01"), HEADER, TODAY)
    assert isinstance(errors, list)
    assert [(e.field, e.reason) for e in errors] == [
        ("charge_off_date", "before delinquency_date 2025-01-15")
    ]


def test_optional_contact_points_may_be_empty() -> None:
    empty = {"phone": "", "phone_type": "", "email": "", "address_line1": "", "city": "",
             "state": "", "postal_code": ""}  # fmt: skip
    placed = check_row(2, _cells(**empty), HEADER, TODAY)
    assert isinstance(placed, Placement)
    assert (placed.phone, placed.email, placed.address) == (None, None, None)


def test_absent_optional_columns_read_as_empty() -> None:
    header = resolve_header(["client_account_number", "first_name", "last_name", "balance"], {})
    placed = check_row(2, ["A-1", "Ana", "Lee", "10.00"], header, TODAY)
    assert isinstance(placed, Placement)
    assert (placed.currency, placed.balance_minor, placed.address) == ("USD", 1000, None)
