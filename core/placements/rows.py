"""One CSV record to one checked `Placement`, or the list of everything wrong with it.

Every field of a row is checked even after the first error, so the client's data team can fix a
row in one pass instead of one error per re-upload.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TypeVar

from core.placements import fields
from core.placements.columns import Header
from core.placements.fields import FieldError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RowError:
    """A refused field: the line it starts on, the column, what it held and why it was refused."""

    line: int
    field: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class PlacedAddress:
    line1: str
    city: str
    state: str
    postal_code: str
    country: str


@dataclass(frozen=True, slots=True)
class Placement:
    """A row that passed every check, amounts in minor units of `currency`."""

    line: int
    client_account_number: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    address: PlacedAddress | None
    phone: str | None
    phone_type: str
    email: str | None
    original_creditor: str
    principal_minor: int
    interest_minor: int
    fees_minor: int
    balance_minor: int
    currency: str
    delinquency_date: date | None
    charge_off_date: date | None
    last_payment_date: date | None
    phone_extension: str = ""
    # Fields whose cell is blank or whose column the file lacks (of KEPT_WHEN_BLANK): for an
    # account already stored, the stored value stands (core.placements.store).
    blank: frozenset[str] = frozenset()


# What a client's thinner update file (account number, name, balance) leaves out, and must not
# erase: the birth date the identity check and the person match use, the original creditor and
# itemization the validation notice needs, and the dates the debt's age comes from.
KEPT_WHEN_BLANK = (
    "date_of_birth", "original_creditor", "principal", "interest", "fees",
    "delinquency_date", "charge_off_date",
)  # fmt: skip


class _Row:
    """Cells of one record by canonical name, collecting errors instead of raising them."""

    def __init__(self, line: int, cells: Sequence[str], header: Header) -> None:
        self.line = line
        self.cells = cells
        self.header = header
        self.errors: list[RowError] = []

    def raw(self, name: str) -> str:
        index = self.header.positions.get(name)
        return self.cells[index] if index is not None else ""

    def check(self, name: str, parse: Callable[[str], T], fallback: T) -> T:
        raw = self.raw(name)
        try:
            return parse(raw)
        except FieldError as exc:
            self.errors.append(RowError(self.line, name, raw, exc.reason))
            return fallback


def check_row(
    line: int, cells: Sequence[str], header: Header, today: date
) -> Placement | list[RowError]:
    """Check one record; a `Placement` when every field is good, else all its errors."""
    if len(cells) != header.width:
        reason = f"expected {header.width} fields, found {len(cells)}"
        return [RowError(line, "*", "", reason)]
    row = _Row(line, cells, header)
    account_number = row.check(
        "client_account_number", lambda r: fields.text(r, 64, required=True), ""
    )
    first_name = row.check("first_name", lambda r: fields.text(r, 120, required=True), "")
    last_name = row.check("last_name", lambda r: fields.text(r, 120, required=True), "")
    birth = row.check(
        "date_of_birth", lambda r: fields.iso_date(r, today, earliest=fields.OLDEST_BIRTH), None
    )
    country = row.check("country", fields.country, "US")
    address = _address(row, country)
    no_phone: tuple[str | None, str] = (None, "")
    phone, extension = row.check(
        "phone", lambda r: fields.phone_parts(r, country) if r.strip() else no_phone, no_phone
    )
    phone_type = row.check("phone_type", fields.phone_type, "mobile")
    email = row.check("email", lambda r: fields.email(r) if r.strip() else None, None)
    creditor = row.check("original_creditor", lambda r: fields.text(r, 200), "")
    code, exponent = row.check("currency", fields.currency, ("USD", 2))
    money = {
        name: row.check(name, partial(fields.amount, exponent=exponent, required=required), 0)
        for name, required in (("principal", False), ("interest", False), ("fees", False),
                               ("balance", True))
    }  # fmt: skip
    dates = {
        name: row.check(name, partial(fields.iso_date, today=today), None)
        for name in ("delinquency_date", "charge_off_date", "last_payment_date")
    }
    delinquent, charged_off = dates["delinquency_date"], dates["charge_off_date"]
    if delinquent and charged_off and charged_off < delinquent:
        reason = f"before delinquency_date {delinquent.isoformat()}"
        row.errors.append(RowError(line, "charge_off_date", row.raw("charge_off_date"), reason))
    if row.errors:
        return row.errors
    return Placement(
        line=line,
        client_account_number=account_number,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=birth,
        address=address,
        phone=phone,
        phone_type=phone_type,
        email=email,
        original_creditor=creditor,
        principal_minor=money["principal"],
        interest_minor=money["interest"],
        fees_minor=money["fees"],
        balance_minor=money["balance"],
        currency=code,
        delinquency_date=delinquent,
        charge_off_date=charged_off,
        last_payment_date=dates["last_payment_date"],
        phone_extension=extension,
        blank=frozenset(name for name in KEPT_WHEN_BLANK if not row.raw(name).strip()),
    )


def _address(row: _Row, country: str) -> PlacedAddress | None:
    """The postal address, or None when the row carries none (country alone is not an address)."""
    line1 = row.check("address_line1", lambda r: fields.text(r, 200), "")
    city = row.check("city", lambda r: fields.text(r, 120), "")
    state = row.check("state", lambda r: fields.state(r, country), "")
    postal = row.check("postal_code", lambda r: fields.postal_code(r, country), "")
    if not (line1 or city or state or postal):
        return None
    return PlacedAddress(line1=line1, city=city, state=state, postal_code=postal, country=country)
