import csv
from pathlib import Path

import pytest

from core.placements.exceptions import PlacementFileError
from core.placements.source import decode, read_placement_file, records


def test_a_zero_byte_file_is_refused_as_empty() -> None:
    with pytest.raises(PlacementFileError, match="empty"):
        decode(b"")


def test_a_file_of_blank_lines_is_refused_as_empty() -> None:
    with pytest.raises(PlacementFileError, match="empty"):
        decode(b"\r\n\n  \n")


def test_utf8_bom_is_dropped_and_remembered() -> None:
    text = decode("\ufeffclient_account_number,first_name\nA1,Zoë\n".encode())
    assert text.had_bom
    assert text.text.startswith("client_account_number")
    assert list(records(text))[1] == (2, ["A1", "Zoë"])


def test_semicolon_files_are_recognized_from_the_header() -> None:
    text = decode(b"client_account_number;first_name;balance\nA1;Ana;120,50\n")
    assert text.delimiter == ";"
    assert list(records(text))[1] == (2, ["A1", "Ana", "120,50"])


def test_comma_files_with_semicolons_inside_quoted_headers_stay_comma() -> None:
    assert decode(b'"a;b",c,d\n1,2,3\n').delimiter == ","


def test_nul_bytes_mean_a_binary_file_and_name_the_line() -> None:
    with pytest.raises(PlacementFileError, match="binary") as refused:
        decode(b"a,b\n1,2\n3,\x00\x01\x02\n")
    assert refused.value.line == 3


def test_an_excel_workbook_is_named_as_such() -> None:
    with pytest.raises(PlacementFileError, match=r"xlsx.*CSV UTF-8"):
        decode(b"PK\x03\x04\x14\x00\x06\x00rest-of-zip")


def test_utf16_exports_are_refused_with_the_fix() -> None:
    with pytest.raises(PlacementFileError, match="UTF-16"):
        decode("a,b\n".encode("utf-16"))


def test_latin1_bytes_are_refused_naming_the_line() -> None:
    data = "client_account_number,first_name\nA1,Ana\nA2,José\n".encode("latin-1")
    with pytest.raises(PlacementFileError, match=r"not UTF-8.*0xe9") as refused:
        decode(data)
    assert refused.value.line == 3


def test_a_field_over_the_csv_limit_is_refused_naming_the_line() -> None:
    huge = "x" * (csv.field_size_limit() + 1)
    text = decode(f"a,b\n1,2\n3,{huge}\n".encode())
    with pytest.raises(PlacementFileError, match="larger than the limit") as refused:
        list(records(text))
    assert refused.value.line == 3


def test_records_carry_the_line_they_start_on_across_quoted_line_breaks() -> None:
    text = decode(b'a,b\n1,"two\nlines"\n\n3,4\n')
    assert list(records(text)) == [(1, ["a", "b"]), (2, ["1", "two\nlines"]), (5, ["3", "4"])]


def test_approximate_row_count_ignores_the_header_and_a_final_newline() -> None:
    assert decode(b"a,b\n1,2\n3,4\n").approx_rows == 2
    assert decode(b"a,b\n1,2\n3,4").approx_rows == 2


def test_a_folder_or_missing_file_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(PlacementFileError, match="folder"):
        read_placement_file(tmp_path)
    with pytest.raises(PlacementFileError, match="cannot be read"):
        read_placement_file(tmp_path / "missing.csv")
