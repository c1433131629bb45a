import json
from pathlib import Path

import pytest

from core.placements.columns import (
    CANONICAL_COLUMNS,
    check_mapping,
    load_mapping_file,
    resolve_header,
)
from core.placements.exceptions import PlacementFileError


def test_canonical_headers_are_accepted_as_they_are() -> None:
    header = resolve_header(list(CANONICAL_COLUMNS), {})
    assert header.positions["balance"] == CANONICAL_COLUMNS.index("balance")
    assert header.width == len(CANONICAL_COLUMNS)


def test_case_spaces_and_dashes_in_headers_do_not_matter() -> None:
    header = resolve_header(["Client Account Number", " FIRST-NAME", "last_name", "Balance"], {})
    assert header.positions == {
        "client_account_number": 0,
        "first_name": 1,
        "last_name": 2,
        "balance": 3,
    }


def test_a_client_mapping_translates_its_own_headers() -> None:
    mapping = check_mapping({"Acct No": "client_account_number", "Surname": "last_name"}, "test")
    header = resolve_header(["Acct No", "first_name", "Surname", "balance"], mapping)
    assert header.positions["client_account_number"] == 0
    assert header.positions["last_name"] == 2


def test_wrong_header_names_the_missing_and_unknown_columns() -> None:
    with pytest.raises(PlacementFileError) as refused:
        resolve_header(["Acct No", "first_name", "Surname"], {})
    message = str(refused.value)
    assert "missing required columns: client_account_number, last_name, balance" in message
    assert "unknown columns: 'Acct No', 'Surname'" in message
    assert refused.value.line == 1


def test_a_column_given_twice_is_refused() -> None:
    mapping = check_mapping({"Acct": "client_account_number"}, "test")
    with pytest.raises(PlacementFileError, match="given twice"):
        resolve_header(
            ["Acct", "client_account_number", "first_name", "last_name", "balance"], mapping
        )


def test_a_mapping_onto_a_column_that_does_not_exist_is_refused() -> None:
    with pytest.raises(PlacementFileError, match="'Acct' maps to 'account_no'"):
        check_mapping({"Acct": "account_no"}, "test")


def test_mapping_files_in_yaml_and_json_read_the_same(tmp_path: Path) -> None:
    yaml_file = tmp_path / "acme.yaml"
    yaml_file.write_text("Acct No: client_account_number\nSurname: last_name\n")
    json_file = tmp_path / "acme.json"
    json_file.write_text(json.dumps({"Acct No": "client_account_number", "Surname": "last_name"}))
    assert load_mapping_file(yaml_file) == load_mapping_file(json_file)


def test_a_broken_mapping_file_is_refused_with_its_name(tmp_path: Path) -> None:
    broken = tmp_path / "acme.json"
    broken.write_text("{not json")
    with pytest.raises(PlacementFileError, match=r"acme\.json: not valid"):
        load_mapping_file(broken)
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n")
    with pytest.raises(PlacementFileError, match="client header: canonical column"):
        load_mapping_file(listed)
