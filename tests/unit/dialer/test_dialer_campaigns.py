"""Campaign settings validated with the field named, schedule windows, console requests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.models import Campaign
from dialer.campaigns import CampaignError, CampaignPlan, plan
from dialer.commands import BadRequest, parse_call_command, parse_dial_request
from dialer.pacing_predictive import PredictivePolicy
from dialer.runtime import default_pacing


def campaign(**kw: object) -> Campaign:
    base: dict[str, object] = {"id": 1, "client_id": 1, "name": "Early", "portfolio_ids": [3]}
    return Campaign.model_validate({**base, **kw})


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"dial_mode": "blaster"}, "dial_mode 'blaster'"),
        ({"abandon_target": 0.05}, "abandon_target 0.05"),
        ({"filter": {"segmnts": ["a"]}}, "filter has unknown field(s) ['segmnts']"),
        ({"schedule": {"start": "9am"}}, "schedule.start '9am'"),
        ({"schedule": {"days": ["funday"]}}, "schedule.days has ['funday']"),
        ({"schedule": {"timezone": "Mars/Base"}}, "schedule.timezone 'Mars/Base'"),
    ],
)
def test_bad_campaign_settings_name_the_field(fields: dict[str, object], named: str) -> None:
    with pytest.raises(CampaignError, match="campaign 'Early'") as error:
        plan(campaign(**fields))
    assert named in str(error.value)


def test_abandon_target_may_be_lower_than_3_percent() -> None:
    assert plan(campaign(abandon_target=0.01)).abandon_target == 0.01


def _day_cap(campaign: CampaignPlan) -> float:
    policy = default_pacing(campaign)
    assert isinstance(policy, PredictivePolicy)
    return policy.day_cap


def test_a_portfolio_under_a_per_day_abandon_law_caps_every_day_of_the_campaign() -> None:
    assert plan(campaign(), ["us"]).day_limit is None  # the US rule counts 30 days only
    mixed = plan(campaign(), ["us", "uk"])
    assert mixed.day_limit == 0.03  # Ofcom: 3% per 24 h binds the whole campaign
    assert _day_cap(mixed) == 0.03
    assert _day_cap(plan(campaign())) == pytest.approx(0.04)
    assert _day_cap(plan(campaign(abandon_target=0.015), ["uk"])) == pytest.approx(0.02)


def test_a_portfolio_with_an_unknown_calling_profile_names_it() -> None:
    with pytest.raises(CampaignError, match="calling_profile: unknown profile 'mars'"):
        plan(campaign(), ["us", "mars"])


def test_schedule_opens_on_listed_days_between_start_and_end_in_its_zone() -> None:
    weekdays = plan(
        campaign(schedule={"days": ["mon", "tue"], "start": "09:00", "end": "20:00",
                           "timezone": "America/New_York"})
    )  # fmt: skip
    monday_0859_ny = datetime(2026, 11, 23, 13, 59, tzinfo=UTC)
    assert not weekdays.in_schedule(monday_0859_ny)
    assert weekdays.in_schedule(datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
    assert not weekdays.in_schedule(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))  # 20:00 NY
    assert not weekdays.in_schedule(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))  # wednesday


def test_console_requests_that_cannot_be_parsed_name_the_field_and_the_agent() -> None:
    with pytest.raises(BadRequest, match="number") as error:
        parse_dial_request('{"agent_id": 7, "account_id": 1, "number": "2025550111"}')
    assert error.value.agent_id == 7
    with pytest.raises(BadRequest, match="action"):
        parse_call_command('{"call_id": "c1", "action": "barge", "agent_id": 7}')
    assert parse_call_command('{"call_id": "c1", "action": "hold"}').action == "hold"
