"""Reading the reassigned-numbers database's answer file, and the numbers it can be asked about."""

from __future__ import annotations

from datetime import date

import pytest

from core.reassigned import NO, NO_DATA, YES, RndAnswer, RndFileError, read_answers, ten_digits


def test_answers_are_read_whatever_the_header_case_column_order_and_number_form() -> None:
    text = (
        "\ufeffResult,TN,Query Date\n"
        "Yes,(202) 555-0143,2026-01-15\n"
        "\n"
        "no data,1 312 555 0188,2025-06-01\n"
        "N,+1-206-555-0100,2025-07-04\n"
    )
    assert read_answers(text) == [
        RndAnswer("+12025550143", date(2026, 1, 15), YES),
        RndAnswer("+13125550188", date(2025, 6, 1), NO_DATA),
        RndAnswer("+12065550100", date(2025, 7, 4), NO),
    ]


def test_a_header_without_a_result_column_is_refused_naming_it() -> None:
    with pytest.raises(RndFileError, match=r"line 1: .* no result column in number,date"):
        read_answers("number,date\n2025550143,2026-01-15\n")


def test_every_bad_line_is_named_up_to_twenty_then_counted() -> None:
    lines = "".join(f"2025550143,2026-01-15,perhaps{n}\n" for n in range(25))
    with pytest.raises(RndFileError) as refused:
        read_answers("number,date,result\n" + lines + "2025550143,2026-01-15\n")
    said = str(refused.value)
    assert said.startswith("line 2: result 'perhaps0' is not yes, no or no data")
    assert "line 21: result 'perhaps19'" in said and "line 22:" not in said
    assert said.endswith("and 6 more bad lines")  # 5 more results, and line 27's missing field


@pytest.mark.parametrize(
    ("stored", "asked"),
    [("+12025550143", "2025550143"), ("+442079460112", None), ("+14165550123", None)],
)
def test_only_us_numbers_are_asked_about(stored: str, asked: str | None) -> None:
    assert ten_digits(stored) == asked  # London and Toronto are not in the US database
