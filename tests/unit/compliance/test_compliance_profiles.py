"""Portfolios tighten a profile and are refused when they would loosen it."""

from __future__ import annotations

import pytest
from compliance_factories import contact
from pydantic import ValidationError

from compliance.profiles import PortfolioRules, resolve


def test_portfolio_narrower_hours_and_lower_cap_apply() -> None:
    profile = resolve("us", PortfolioRules.model_validate({"start": "09:00", "weekly_call_cap": 4}))
    assert (profile.start, profile.end, profile.weekly_call_cap) == (9 * 60, 21 * 60, 4)


def test_portfolio_may_add_a_cap_to_a_profile_without_one() -> None:
    assert resolve("uk", PortfolioRules(weekly_call_cap=5)).weekly_call_cap == 5


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"start": "07:00"}, "start 07:00 is earlier"),
        ({"end": "22:00"}, "end 22:00 is later"),
        ({"weekly_call_cap": 8}, "weekly_call_cap 8 is above"),
    ],
)
def test_portfolio_that_would_loosen_the_profile_is_refused(
    rules: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError, match=field):
        contact(portfolio=rules)


def test_india_profile_refuses_a_portfolio_end_after_1900() -> None:
    with pytest.raises(ValueError, match="end 20:00 is later than profile in's 19:00"):
        resolve("in", PortfolioRules.model_validate({"end": "20:00"}))


def test_unknown_profile_is_refused_with_the_known_names() -> None:
    with pytest.raises(ValidationError, match="known: in, uk, us, us-ma"):
        contact(profile="us-ny")


def test_unknown_holiday_country_is_refused() -> None:
    with pytest.raises(ValidationError, match="no holiday calendar"):
        contact(portfolio={"holidays": [{"country": "QQ"}]})
