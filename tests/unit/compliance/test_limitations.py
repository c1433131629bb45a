"""When a debt may be time-barred: the portfolio's years from the earliest start a court uses."""

from __future__ import annotations

from datetime import date

from compliance.limitations import add_years, barred_from, possibly_time_barred


def test_the_period_runs_from_delinquency_before_charge_off_or_the_last_payment() -> None:
    delinquent, charged_off, paid = date(2021, 3, 1), date(2021, 9, 1), date(2022, 6, 1)
    assert barred_from(3, delinquent, charged_off, paid) == date(2024, 3, 1)
    assert barred_from(3, None, charged_off, paid) == date(2024, 9, 1)
    assert barred_from(3, None, None, paid) == date(2025, 6, 1)
    assert barred_from(3, None, None, None) is None


def test_a_debt_is_flagged_from_the_day_its_period_ends() -> None:
    delinquent = date(2021, 3, 1)
    assert possibly_time_barred(date(2024, 2, 29), 3, delinquent, None, None) is None
    assert possibly_time_barred(date(2024, 3, 1), 3, delinquent, None, None) == date(2024, 3, 1)
    assert possibly_time_barred(date(2024, 3, 1), 6, delinquent, None, None) is None


def test_a_leap_day_start_ends_on_the_28th_of_february() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
