"""`concord import placements` end to end on the test database (SQLite, or PostgreSQL)."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import Engine
from typer.testing import CliRunner, Result

from core import import_cli
from core.db import load_all_models
from core.dispositions import STANDARD_CODES
from core.models import (
    Account,
    Address,
    Client,
    Debtor,
    DispositionCode,
    Email,
    Phone,
    Portfolio,
)
from core.placements import service, store
from core.placements.bulk import table_of
from core.placements.columns import CANONICAL_COLUMNS, resolve_header
from core.placements.parallel import check_records
from core.settings import get_settings

pytestmark = [pytest.mark.db, pytest.mark.integration]

ROW = {
    "client_account_number": "A-1",
    "first_name": "Ana",
    "last_name": "López",
    "date_of_birth": "1980-04-02",
    "address_line1": "12 Main St",
    "city": "Denver",
    "state": "CO",
    "postal_code": "80202",
    "country": "US",
    "phone": "(303) 555-0142",
    "phone_type": "mobile",
    "email": "ana@example.com",
    "original_creditor": "Northwind Bank",
    "principal": "1000.00",
    "interest": "150.25",
    "fees": "25.00",
    "balance": "1175.25",
    "currency": "USD",
    "delinquency_date": "2025-01-15",
    "charge_off_date": "",
    "last_payment_date": "",
}
Importer = Callable[..., Result]


def _rows(count: int, **changes: str) -> list[dict[str, str]]:
    """Accounts of `count` people: one name and birth date, but no phone, email or address in
    common, so each is a person of their own (core.placements.persons)."""
    return [
        {**ROW, "client_account_number": f"A-{n}", "phone": f"(303) 555-{100 + n:04d}",
         "email": f"debtor{n}@example.com", "address_line1": f"{10 + n} Main St", **changes}
        for n in range(1, count + 1)
    ]  # fmt: skip


def _write(path: Path, rows: list[dict[str, str]], delimiter: str = ",", bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def run_import(db_engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Importer:
    """The real CLI command against the test database."""
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_url)
    get_settings.cache_clear()

    def run(path: Path, *extra: str, client: str = "ACME", portfolio: str = "2026-Q4") -> Result:
        args = ["placements", str(path), "--client", client, "--portfolio", portfolio, *extra]
        return CliRunner().invoke(import_cli.app, args)

    yield run
    get_settings.cache_clear()


def _snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to prove a refused file changed nothing."""
    with engine.connect() as conn:
        return {
            t.name: sorted(map(tuple, conn.execute(select(t))), key=repr)
            for t in load_all_models().metadata.sorted_tables
        }


def _said(result: Result) -> str:
    """The terminal output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table_of(model))).scalar_one())


def test_a_clean_file_imports_every_row_and_exits_0(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    result = run_import(_write(tmp_path / "p.csv", _rows(3)))
    assert result.exit_code == 0, result.output
    assert "3 accounts created" in _said(result)
    with db_engine.connect() as conn:
        account = conn.execute(
            select(table_of(Account)).where(table_of(Account).c.client_account_number == "A-1")
        ).one()
        phones = (
            conn.execute(
                select(table_of(Phone).c.number).where(
                    table_of(Phone).c.debtor_id == account.debtor_id
                )
            )
            .scalars()
            .all()
        )
        client = conn.execute(select(table_of(Client))).one()
        portfolio = conn.execute(select(table_of(Portfolio))).one()
    assert (account.balance_minor, account.interest_minor, account.currency) == (
        117525,
        15025,
        "USD",
    )
    assert account.delinquency_date == date(2025, 1, 15)
    assert account.segment and account.segment_score > 0
    assert phones == ["+13035550101"]
    assert (client.code, portfolio.name, account.portfolio_id) == ("ACME", "2026-Q4", portfolio.id)
    assert not (tmp_path / "p.errors.csv").exists()


def test_reimporting_the_same_file_updates_and_never_duplicates(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    path = _write(tmp_path / "p.csv", _rows(3))
    assert run_import(path).exit_code == 0
    again = run_import(path)
    assert again.exit_code == 0, again.output
    assert "0 accounts created, 0 updated, 3 unchanged" in _said(again)
    counts = [_count(db_engine, m) for m in (Account, Debtor, Phone, Email, Client, Portfolio)]
    assert counts == [3, 3, 3, 3, 1, 1]


def test_a_new_client_starts_with_the_standard_disposition_codes_once(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    path = _write(tmp_path / "p.csv", _rows(2))
    assert run_import(path).exit_code == 0
    assert run_import(path, portfolio="2027-Q1").exit_code == 0  # same client, new portfolio

    with db_engine.connect() as conn:
        codes = conn.execute(select(table_of(DispositionCode))).all()
    assert sorted(c.code for c in codes) == sorted(code for code, *_ in STANDARD_CODES)
    promise = next(c for c in codes if c.code == "PTP")
    assert (promise.category, promise.requires) == ("promise", ["promise"])


def test_a_later_file_updates_the_account_and_merges_contact_points(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    assert run_import(_write(tmp_path / "p.csv", _rows(2))).exit_code == 0
    phone = table_of(Phone)
    with db_engine.begin() as conn:  # an agent recorded consent on the first number
        conn.execute(update(phone).values(consent=True))
    later = _rows(2, balance="900.00", last_name="López-Ruiz", phone_type="landline")
    later[0]["phone"] = "(720) 555-0199"  # a new number for debtor 1
    later[1]["email"] = "Debtor2@EXAMPLE.com"  # same address, other case
    result = run_import(_write(tmp_path / "later.csv", later))
    assert result.exit_code == 0, result.output
    assert "0 accounts created, 2 updated" in _said(result)
    with db_engine.connect() as conn:
        balances = conn.execute(select(table_of(Account).c.balance_minor)).scalars().all()
        names = conn.execute(select(table_of(Debtor).c.last_name)).scalars().all()
        numbers = conn.execute(
            select(phone.c.number, phone.c.type, phone.c.consent).order_by(phone.c.number)
        ).all()
    assert balances == [90000, 90000]
    assert names == ["López-Ruiz", "López-Ruiz"]
    assert [tuple(n) for n in numbers] == [
        ("+13035550101", "mobile", True),  # kept, consent kept, its type untouched (not in file)
        ("+13035550102", "landline", True),  # same number: type updated, consent kept
        ("+17205550199", "landline", False),  # new number added
    ]
    assert _count(db_engine, Email) == 2


def test_bad_rows_are_reported_and_the_good_ones_imported_with_exit_1(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    rows = _rows(4)
    rows[1]["postal_code"] = "8020"
    rows[2]["phone"] = "555-12"
    rows[2]["balance"] = "12.345"
    result = run_import(_write(tmp_path / "p.csv", rows))
    assert result.exit_code == 1, result.output
    assert "2 accounts created" in _said(result) and "2 rows rejected" in _said(result)
    assert "postal_code" in _said(result) and "leading zeros" in _said(result)
    with (tmp_path / "p.errors.csv").open(encoding="utf-8-sig", newline="") as handle:
        errors = list(csv.DictReader(handle))
    assert [(e["line"], e["field"], e["value"]) for e in errors] == [
        ("3", "postal_code", "8020"),
        ("4", "phone", "555-12"),
        ("4", "balance", "12.345"),
    ]
    assert _count(db_engine, Account) == 2


def test_a_refused_value_shows_as_sent_and_the_error_file_guards_spreadsheets(
    run_import: Importer, tmp_path: Path
) -> None:
    rows = _rows(2)
    rows[1]["balance"] = "-50.00"
    result = run_import(_write(tmp_path / "p.csv", rows))
    assert result.exit_code == 1, result.output
    assert "│ -50.00" in result.output and "'-50.00" not in result.output
    with (tmp_path / "p.errors.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [e["value"] for e in csv.DictReader(handle)] == ["'-50.00"]


def test_a_quote_left_open_names_every_line_it_swallowed(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    path = _write(tmp_path / "p.csv", _rows(6))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("Northwind Bank", '"Northwind Bank', 1)  # line 3, never closed
    lines[5] = lines[5].replace("Northwind Bank", 'Northwind" Bank', 1)  # a stray quote on 6
    path.write_text("".join(lines), encoding="utf-8")

    result = run_import(path)

    assert result.exit_code == 1, result.output
    assert "2 accounts created" in _said(result)  # lines 2 and 7
    with (tmp_path / "p.errors.csv").open(encoding="utf-8-sig", newline="") as handle:
        errors = list(csv.DictReader(handle))
    assert [(e["line"], e["field"]) for e in errors] == [("3", "original_creditor")]
    assert errors[0]["reason"].startswith(
        "lines 3-6 were read as one row, as a quote opened on line 3 is not closed before line 6"
    )


def test_a_line_break_in_a_quoted_address_cell_is_read_as_a_comma(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    """Excel writes an address typed on two lines as one quoted cell over two file lines."""
    rows = _rows(2)
    rows[0]["address_line1"] = "PO Box 12\r\nSuite 5, Floor 2"

    result = run_import(_write(tmp_path / "p.csv", rows))

    assert result.exit_code == 0, result.output
    assert "2 accounts created" in _said(result)
    with db_engine.connect() as conn:
        lines = conn.execute(select(table_of(Address).c.line1)).scalars().all()
    assert sorted(lines) == ["12 Main St", "PO Box 12, Suite 5, Floor 2"]


def test_a_repeated_account_number_is_rejected_naming_the_first_line(
    run_import: Importer, tmp_path: Path
) -> None:
    rows = _rows(2)
    rows[1]["client_account_number"] = "A-1"
    result = run_import(_write(tmp_path / "p.csv", rows), "--errors", str(tmp_path / "e.csv"))
    assert result.exit_code == 1
    errors = (tmp_path / "e.csv").read_text(encoding="utf-8-sig")
    assert "3,client_account_number,A-1,repeats the account of line 2" in errors


def _huge_field(path: Path) -> None:
    path.write_text(
        "client_account_number,first_name,last_name,balance\nA-1,Ana,"
        + "x" * 10_000_000
        + ",1.00\n"
    )


REFUSALS: dict[str, tuple[Callable[[Path], object], str]] = {
    "zero_bytes": (lambda p: p.write_bytes(b""), "empty"),
    "wrong_header": (
        lambda p: p.write_text("Acct No,first_name,Surname,balance\n1,Ana,Lee,1.00\n"),
        "missing required columns: client_account_number, last_name; "
        "unknown columns: 'Acct No', 'Surname'",
    ),
    "binary": (lambda p: p.write_bytes(bytes(range(256)) * 40), "binary file"),
    "huge_field": (_huge_field, "line 2: a field is larger than the limit"),
    "latin1": (
        lambda p: p.write_bytes(
            "client_account_number,first_name,last_name,balance\nA-9,José,Núñez,1.00\n".encode(
                "latin-1"
            )
        ),
        "line 2: the file is not UTF-8",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refused_file_exits_2_and_changes_nothing(
    case: str, run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    assert run_import(_write(tmp_path / "first.csv", _rows(2))).exit_code == 0
    before = _snapshot(db_engine)
    make, message = REFUSALS[case]
    bad = tmp_path / "bad.csv"
    make(bad)
    result = run_import(bad, client="NEWCLIENT", portfolio="new")
    assert result.exit_code == 2, result.output
    assert message in _said(result)
    assert "nothing was imported" in _said(result)
    assert _snapshot(db_engine) == before


def _agent_saves(db_url: str) -> str:
    """An agent's save on the SQLite database that may not wait for the lock: "saved", or
    SQLite's refusal."""
    floor = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=0)
    try:
        floor.execute("BEGIN IMMEDIATE")
        floor.execute("UPDATE client SET updated_at = updated_at")
        floor.commit()
        return "saved"
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        floor.close()


def test_the_floor_can_save_while_a_new_clients_file_is_checked(
    run_import: Importer, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite one writer locks the whole database: checking a large file (most of an
    import's time) must not hold that lock, or every agent's save waits on the import."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL locks rows, not the database")
    saves: list[str] = []
    checking = service.check_placements

    def check_while_the_floor_saves(*args: Any, **kwargs: Any) -> Any:
        saves.append(_agent_saves(db_url))
        return checking(*args, **kwargs)

    monkeypatch.setattr(service, "check_placements", check_while_the_floor_saves)
    result = run_import(_write(tmp_path / "p.csv", _rows(3)), client="NEWCLIENT")

    assert result.exit_code == 0, result.output
    assert saves == ["saved"]


def _between_chunks(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    """Rows are written two per chunk, and `action` runs once, after the first chunk."""
    monkeypatch.setattr(store, "CHUNK", 2)
    upsert = service.upsert_placements

    def upsert_with_action(*args: Any) -> Any:
        *head, after_chunk = args
        pending = [action]

        def then_act() -> None:
            after_chunk()
            while pending:
                pending.pop()()

        return upsert(*head, then_act)

    monkeypatch.setattr(service, "upsert_placements", upsert_with_action)


def test_the_floor_can_save_between_the_chunks_an_import_writes(
    run_import: Importer, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL locks rows, not the database")
    saves: list[str] = []
    _between_chunks(monkeypatch, lambda: saves.append(_agent_saves(db_url)))
    result = run_import(_write(tmp_path / "p.csv", _rows(5)))

    assert result.exit_code == 0, result.output
    assert saves == ["saved"]
    assert "5 accounts created" in _said(result)


def test_a_payment_booked_while_an_import_runs_stays_off_the_balance(
    run_import: Importer, db_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each chunk reads its accounts just before writing them: a payment the debtor made
    while the first chunk was written is not overwritten by the file's balance."""
    path = _write(tmp_path / "p.csv", _rows(4))  # each balance 1,175.25
    assert run_import(path).exit_code == 0
    _between_chunks(monkeypatch, lambda: _book_payment(db_engine, "A-3", 17_525, "mid-import"))

    again = run_import(path)

    assert again.exit_code == 0, again.output
    assert "1 account keeps a balance below the file's" in _said(again)
    assert _accounts(db_engine)["A-3"] == (100_000, "open")


def test_an_error_file_that_cannot_be_written_refuses_the_whole_import(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    rows = _rows(2)
    rows[0]["state"] = "ZZ"
    before = _snapshot(db_engine)
    result = run_import(
        _write(tmp_path / "p.csv", rows), "--errors", str(tmp_path / "missing" / "e.csv")
    )
    assert result.exit_code == 2, result.output
    assert "cannot write" in _said(result)
    assert _snapshot(db_engine) == before


def test_a_mapping_file_is_used_and_kept_for_the_clients_next_file(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    mapping = tmp_path / "acme.yaml"
    mapping.write_text(
        "Acct No: client_account_number\nGiven Name: first_name\n"
        "Surname: last_name\nAmount Due: balance\n"
    )
    own = [{"Acct No": "X-1", "Given Name": "Ana", "Surname": "Lee", "Amount Due": "10.00"}]
    assert run_import(_write(tmp_path / "own.csv", own), "--mapping", str(mapping)).exit_code == 0
    own.append({"Acct No": "X-2", "Given Name": "Bo", "Surname": "Kim", "Amount Due": "20.00"})
    result = run_import(_write(tmp_path / "own2.csv", own))
    assert result.exit_code == 0, result.output
    assert "1 accounts created, 0 updated, 1 unchanged" in _said(result)
    with db_engine.connect() as conn:
        settings = conn.execute(select(table_of(Client).c.settings)).scalar_one()
    assert settings["column_mapping"]["acct_no"] == "client_account_number"


def test_a_semicolon_file_with_bom_and_decimal_commas_imports(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    rows = _rows(2, balance="1175,25", principal="1000,00", interest="150,25", fees="25")
    result = run_import(_write(tmp_path / "p.csv", rows, delimiter=";", bom=True))
    assert result.exit_code == 0, result.output
    with db_engine.connect() as conn:
        assert (
            conn.execute(select(func.sum(table_of(Account).c.balance_minor))).scalar_one() == 235050
        )


def test_files_longer_than_one_write_chunk_import_completely(
    run_import: Importer, db_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "CHUNK", 3)
    path = _write(tmp_path / "p.csv", _rows(10))
    assert run_import(path).exit_code == 0
    assert run_import(path).exit_code == 0
    assert [_count(db_engine, m) for m in (Account, Debtor, Phone)] == [10, 10, 10]
    with db_engine.connect() as conn:  # every account points at its own debtor
        pairs = conn.execute(text("SELECT count(DISTINCT debtor_id) FROM account")).scalar_one()
    assert pairs == 10


def test_row_checks_in_worker_processes_match_the_checks_in_process() -> None:
    header = resolve_header(list(CANONICAL_COLUMNS), {})
    rows = _rows(30)
    rows[7]["state"] = "ZZ"
    records = [(n + 2, [r[c] for c in CANONICAL_COLUMNS]) for n, r in enumerate(rows)]
    today = date(2026, 11, 30)
    progress: list[int] = []
    in_process = check_records(records, header, today, lambda _n: None, workers=1)
    in_workers = check_records(records, header, today, progress.append, workers=2, parallel_from=1)
    assert in_workers == in_process
    assert progress[-1] == 30
    assert sum(isinstance(r, list) for r in in_workers) == 1


def _book_payment(db_engine: Engine, account_number: str, amount_minor: int, ref: str) -> None:
    """A payment taken here, through the payment page's own booking."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from outreach.payments import record_payment

    with Session(db_engine) as session:
        account_id = session.execute(
            select(Account.id).where(Account.client_account_number == account_number)
        ).scalar_one()
        record_payment(
            session, account_id, amount_minor, reference=ref, paid_at=datetime.now(UTC), queue=None
        )
        session.commit()


def _accounts(db_engine: Engine) -> dict[str, tuple[int, str]]:
    account = table_of(Account)
    with db_engine.connect() as conn:
        rows = conn.execute(
            select(account.c.client_account_number, account.c.balance_minor, account.c.status)
        ).all()
    return {number: (balance, status) for number, balance, status in rows}


def test_reimporting_keeps_payments_booked_here_off_the_balance(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    path = _write(tmp_path / "p.csv", _rows(3))  # each balance 1,175.25
    assert run_import(path).exit_code == 0
    _book_payment(db_engine, "A-1", 17_525, "part")
    _book_payment(db_engine, "A-2", 117_525, "in-full")

    again = run_import(path)  # the client's books do not show the payments yet

    assert again.exit_code == 0, again.output
    assert "0 updated, 3 unchanged" in _said(again)
    assert "2 accounts keep a balance below the file's" in _said(again)
    assert _accounts(db_engine) == {
        "A-1": (100_000, "open"),
        "A-2": (0, "paid"),
        "A-3": (117_525, "open"),
    }


def test_a_file_that_counts_the_remitted_payments_or_puts_money_back_stands(
    run_import: Importer, db_engine: Engine, tmp_path: Path
) -> None:
    assert run_import(_write(tmp_path / "p.csv", _rows(3))).exit_code == 0
    _book_payment(db_engine, "A-1", 17_525, "part")
    _book_payment(db_engine, "A-2", 117_525, "in-full")
    later = _rows(3)
    later[0]["balance"] = "1000.00"  # the client posted the remittance
    later[1]["balance"] = "1375.25"  # 200.00 of new charges; the payment not posted yet
    later[2]["balance"] = "1200.00"  # interest added on the client's books

    result = run_import(_write(tmp_path / "later.csv", later))

    assert result.exit_code == 0, result.output
    assert "0 accounts created, 3 updated" in _said(result)
    assert "1 account keeps a balance below the file's" in _said(result)
    assert "1 paid account reopened" in _said(result)
    assert _accounts(db_engine) == {
        "A-1": (100_000, "open"),
        "A-2": (20_000, "open"),
        "A-3": (120_000, "open"),
    }
    assert run_import(_write(tmp_path / "same.csv", later)).exit_code == 0
    assert _accounts(db_engine)["A-2"] == (20_000, "open")  # the same file again changes nothing
