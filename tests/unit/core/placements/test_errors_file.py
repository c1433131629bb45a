import csv
from pathlib import Path

from core.placements.errors_file import default_error_path, safe_cell, write_error_file
from core.placements.rows import RowError


def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted() -> None:
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+1 555") == "'+1 555"
    assert safe_cell("Ana") == "Ana"


def test_huge_values_are_cut_in_the_error_file() -> None:
    assert len(safe_cell("x" * 10_000)) == 201


def test_the_error_file_sits_next_to_the_input() -> None:
    assert default_error_path(Path("/in/acme.csv")) == Path("/in/acme.errors.csv")


def test_error_file_has_line_field_value_reason(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    written = write_error_file(path, [RowError(3, "state", "ZZ", "not a USPS state code")])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert written == 1
    assert rows == [
        ["line", "field", "value", "reason"],
        ["3", "state", "ZZ", "not a USPS state code"],
    ]
