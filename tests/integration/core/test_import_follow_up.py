"""What a later placement file does to the accounts already there, said in the summary: a
person's second account joins their debtor, accounts moved between portfolios, paid off, or
left out of the file; and a portfolio name that differs only in case is refused."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from test_import_placements import Importer, _accounts, _rows, _said, _write, run_import

from core.models import Account, Debtor, Phone, Portfolio
from core.placements.bulk import table_of

pytestmark = [pytest.mark.db, pytest.mark.integration]
__all__ = ["run_import"]  # the CLI fixture, shared with the import tests


def _debtors(db_engine: Engine) -> dict[str, int]:
    account = table_of(Account)
    with db_engine.connect() as conn:
        rows = conn.execute(select(account.c.client_account_number, account.c.debtor_id))
        return {number: debtor_id for number, debtor_id in rows}


def test_a_persons_accounts_share_one_debtor_across_files_and_within_one(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    """Same name (case aside), birth date and one shared phone, email or address: one person.
    Name and birth date alone are not enough, nor is anything without a birth date."""
    first = _rows(1)  # Ana López, 1980-04-02, (303) 555-0101, 11 Main St
    assert run_import(_write(tmp_path / "may.csv", first)).exit_code == 0
    card, loan, namesake, undated = _rows(4)
    card.update(
        client_account_number="B-1",
        last_name="LÓPEZ",
        phone="(303) 555-0999",
        email="ana.other@example.com",
    )  # same address as A-1
    loan.update(
        client_account_number="B-2",
        phone="(303) 555-0999",
        email="x@example.com",
        address_line1="9 Elm St",
    )  # B-1's new phone: B-1's person, within the file
    namesake.update(
        client_account_number="B-3",
        phone="(720) 555-0111",
        email="n@example.com",
        address_line1="5 Oak Ave",
    )  # same name and birth date, nothing shared
    undated.update(client_account_number="B-4", date_of_birth="", address_line1="11 Main St")

    result = run_import(_write(tmp_path / "june.csv", [card, loan, namesake, undated]))

    assert result.exit_code == 0, result.output
    debtors = _debtors(db_engine)
    assert debtors["B-1"] == debtors["B-2"] == debtors["A-1"]
    assert len({debtors["A-1"], debtors["B-3"], debtors["B-4"]}) == 3
    assert "2 new accounts join the person of another account" in _said(result)


def test_moved_paid_off_and_absent_accounts_are_said(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    assert run_import(_write(tmp_path / "q3.csv", _rows(4)), portfolio="Q3").exit_code == 0
    later = _rows(2)
    later[1]["balance"] = "0.00"  # A-2 paid at the client

    result = run_import(_write(tmp_path / "q4.csv", later), portfolio="Q4")

    assert result.exit_code == 0, result.output
    said = _said(result)
    assert "2 accounts moved here from portfolio 'Q3'" in said
    assert "1 account paid off" in said
    assert _accounts(db_engine)["A-2"] == (0, "paid")
    recalled = run_import(_write(tmp_path / "q3b.csv", _rows(3)[2:]), portfolio="Q3")
    assert "1 open account of portfolio 'Q3' not in this file" in _said(recalled)


def test_a_balance_above_its_parts_is_stored_and_said_one_below_them_is_not(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    rows = _rows(4)
    rows[1]["balance"] = "1275.25"  # 100.00 more than principal + interest + fees
    rows[2]["balance"] = "900.00"  # paid down at the client: explained
    rows[3].update(principal="", interest="", fees="", balance="5000.00")  # no parts given

    result = run_import(_write(tmp_path / "uneven.csv", rows))

    assert result.exit_code == 0, result.output
    said = _said(result)
    assert "1 balance is above principal + interest + fees" in said
    assert "(first: line 3, $1,275.25 against $1,175.25)" in said
    assert _accounts(db_engine)["A-2"] == (127_525, "open")


def test_a_phone_extension_is_kept_and_said_and_a_later_file_may_drop_it(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    rows = _rows(2)
    rows[0].update(phone="(212) 555-0100 x204", phone_type="work")

    first = run_import(_write(tmp_path / "ext.csv", rows))

    assert first.exit_code == 0, first.output
    assert "1 phone number carries an extension" in _said(first)
    assert "client ACME has no business name and callback number yet" in _said(first)
    phone = table_of(Phone)
    query = select(phone.c.number, phone.c.extension).where(phone.c.number == "+12125550100")
    with db_engine.connect() as conn:
        assert conn.execute(query).one() == ("+12125550100", "204")
    rows[0]["phone"] = "(212) 555-0100"  # the client's next file has the direct line
    assert run_import(_write(tmp_path / "ext2.csv", rows)).exit_code == 0
    with db_engine.connect() as conn:
        assert conn.execute(query).one() == ("+12125550100", "")


def test_a_portfolio_named_like_another_but_for_case_is_refused(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    path = _write(tmp_path / "p.csv", _rows(2))
    assert run_import(path, portfolio="Auto Loans 2026-05").exit_code == 0

    typo = run_import(path, portfolio="Auto loans  2026-05")

    assert typo.exit_code == 2
    assert "the client has 'Auto Loans 2026-05'" in _said(typo)
    with db_engine.connect() as conn:
        assert conn.execute(select(table_of(Portfolio).c.name)).scalars().all() == [
            "Auto Loans 2026-05"
        ]


def test_a_decomposed_name_is_stored_composed(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    (row,) = _rows(1)
    row["last_name"] = unicodedata.normalize("NFD", "Núñez")

    assert run_import(_write(tmp_path / "mac.csv", [row])).exit_code == 0

    with db_engine.connect() as conn:
        stored = conn.execute(select(table_of(Debtor).c.last_name)).scalar_one()
    assert stored == "Núñez" and unicodedata.is_normalized("NFC", stored)


def test_a_number_two_people_share_is_said_with_its_first_line_and_a_zero_row_as_paid(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    ana, spouse, settled = _rows(3)
    spouse.update(first_name="Luis", phone=ana["phone"])  # one household landline
    settled.update(balance="0.00", principal="0.00", interest="0.00", fees="0.00")

    first = run_import(_write(tmp_path / "may.csv", [ana, spouse, settled]))
    lodger = {**_rows(4)[3], "first_name": "Eva", "client_account_number": "C-1"}
    lodger["phone"] = settled["phone"]  # a number already on file for someone else
    later = run_import(_write(tmp_path / "june.csv", [lodger]))

    assert first.exit_code == 0, first.output
    said = _said(first)
    assert "3 accounts created (1 of them owing nothing, stored paid)" in said
    assert "1 phone number is also another person's on file (first: line 2, +13035550101)" in said
    assert _debtors(db_engine)["A-1"] != _debtors(db_engine)["A-2"]
    assert "(first: line 2, +13035550103)" in _said(later)
    assert "owing nothing" not in _said(later)


def test_a_thinner_update_file_keeps_what_it_leaves_out_or_blank(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    """The client's usual balance update (number, name, balance) must not erase the birth date
    the identity check uses, the original creditor and itemization, or the debt's dates."""
    full = _rows(2)
    assert run_import(_write(tmp_path / "placed.csv", full)).exit_code == 0
    thin = [
        {k: row[k] for k in ("client_account_number", "first_name", "last_name", "currency")}
        | {"balance": "95.00"}
        for row in full[:1]
    ]
    blanked = {**full[1], "date_of_birth": "", "original_creditor": "", "principal": "",
               "delinquency_date": "", "balance": "90.00"}  # fmt: skip

    assert run_import(_write(tmp_path / "thin.csv", thin)).exit_code == 0
    assert run_import(_write(tmp_path / "blank.csv", [blanked])).exit_code == 0

    account, debtor = table_of(Account), table_of(Debtor)
    query = (
        select(account.c.balance_minor, account.c.original_creditor, account.c.principal_minor,
               account.c.delinquency_date, debtor.c.date_of_birth)
        .join(debtor, debtor.c.id == account.c.debtor_id)
        .order_by(account.c.client_account_number)
    )  # fmt: skip
    with db_engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(query)]
    placed_on = (
        "Northwind Bank", 100_000, date.fromisoformat(full[0]["delinquency_date"]),
        date.fromisoformat(full[0]["date_of_birth"]),
    )  # fmt: skip
    assert rows == [(9_500, *placed_on), (9_000, *placed_on)]
