"""Checking the caller's date of birth and ZIP against the file, never showing the file."""

from __future__ import annotations

from datetime import date

from core.identity import check_identity

BORN = date(1984, 3, 9)


def test_both_details_matching_tell_the_agent_to_confirm() -> None:
    found = check_identity(BORN, "20001-1234", BORN, ["20001"])
    assert (found.birth, found.postal, found.tone) == (True, True, "ok")
    assert found.words == "Date of birth matches; ZIP matches. Press “Details match”."


def test_any_detail_wrong_tells_the_agent_to_stop_and_names_which() -> None:
    found = check_identity(date(1984, 9, 3), "20001", BORN, ["20001"])
    assert (found.birth, found.postal, found.tone) == (False, True, "warn")
    assert found.words.startswith("Date of birth does NOT match; ZIP matches.")
    assert "press “Details do not match”" in found.words


def test_any_address_on_file_may_match_and_nothing_on_file_is_said_as_such() -> None:
    assert check_identity(None, "60601", None, ["20001", "60601"]).postal is True
    blank = check_identity(BORN, "20001", None, [])
    assert (blank.birth, blank.postal, blank.tone) == (None, None, "muted")
    assert blank.words == "No date of birth on file; no postal code on file"


def test_what_is_on_file_never_appears_in_the_words() -> None:
    found = check_identity(date(1990, 1, 1), "99999", BORN, ["20001"])
    assert "1984" not in found.words and "20001" not in found.words
