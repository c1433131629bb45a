"""Team leads see each campaign's abandon rate over the rolling 30 days and for today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session

from console.services.ledgers import PAST_TTL_S, Ledgers
from core.models import Campaign, ContactAttempt
from dialer import store
from dialer.abandon import Rate

pytestmark = pytest.mark.integration


def _call_at(floor: Floor, at: datetime, outcome: str) -> ContactAttempt:
    return ContactAttempt(
        account_id=pk(floor.account),
        debtor_id=pk(floor.debtor),
        channel="call",
        started_at=at,
        outcome=outcome,
        campaign_id=pk(floor.campaign),
    )


def _calls(floor: Floor, days_ago: int, outcomes: dict[str, int]) -> list[ContactAttempt]:
    started = NOW - timedelta(days=days_ago, minutes=5)
    return [
        _call_at(floor, started, outcome)
        for outcome, count in outcomes.items()
        for _ in range(count)
    ]


def test_lead_sees_30_day_and_todays_abandon_rate_of_live_answers_only(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        db.add_all(_calls(floor_data, 40, {"abandoned": 5}))  # outside the 30-day window
        db.add_all(_calls(floor_data, 3, {"abandoned": 1, "conversation": 9, "no_answer": 6}))
        db.add_all(_calls(floor_data, 0, {"abandoned": 1, "conversation": 1, "busy": 2}))
        db.commit()
    login(client, "lee")
    page = client.get("/lead").text
    row = page[page.index(f'data-campaign="{pk(floor_data.campaign)}"') :]
    row = row[: row.index("</tr>")]
    assert "16.7% <span" in row and "(2/12)" in row  # 2 abandoned of 12 live answers
    assert "50.0% <span" in row and "(1/2)" in row  # today
    assert 'class="abandon-30d over"' in row  # above the 3% target


def test_the_lead_pages_ledger_keeps_the_settled_past_between_polls_and_reads_recent_days_fresh(
    floor_data: Floor, db_engine: Engine
) -> None:
    clock = [0.0]
    ledgers = Ledgers(clock=lambda: clock[0])
    campaign_id, today = pk(floor_data.campaign), NOW.date()
    with Session(db_engine) as db:
        db.add_all(_calls(floor_data, 5, {"abandoned": 1, "conversation": 3}))
        db.commit()
        assert ledgers.of(db, campaign_id, today).rate_30d(today) == Rate(live=4, abandoned=1)

        db.add_all(_calls(floor_data, 5, {"abandoned": 1}))  # a past day changes (rarely)
        db.add_all(_calls(floor_data, 1, {"conversation": 1}))  # yesterday and today: always
        db.add_all(_calls(floor_data, 0, {"abandoned": 1}))
        db.commit()
        polled = ledgers.of(db, campaign_id, today)
        assert polled.rate_30d(today) == Rate(live=6, abandoned=2)
        assert polled.rate_day(today) == Rate(live=1, abandoned=1)

        clock[0] = PAST_TTL_S + 1  # the past is read again now and then
        stored = store.abandon_ledger(db, campaign_id, today).rate_30d(today)
        assert ledgers.of(db, campaign_id, today).rate_30d(today) == stored == Rate(7, 3)


@pytest.mark.db
def test_a_campaigns_abandon_days_are_its_schedules_calendar_days_not_utc_days(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    # NOW is 8 am in Los Angeles (PDT, UTC-7); the floor called until 9 pm last night, which
    # is today in UTC: counted on UTC days, last night's abandons would be "today" on the page
    # and the dialer's day guard would reset at 5 pm, mid-shift.
    la = ZoneInfo("America/Los_Angeles")
    with Session(db_engine) as db:
        campaign = db.get(Campaign, pk(floor_data.campaign))
        assert campaign is not None
        campaign.schedule = {**campaign.schedule, "timezone": "America/Los_Angeles"}
        db.add(campaign)
        last_night = datetime(2026, 3, 10, 20, 30, tzinfo=la)  # 03:30 UTC on the 11th
        for outcome in ("abandoned", "abandoned", "conversation"):
            db.add(_call_at(floor_data, last_night, outcome))
        db.add(_call_at(floor_data, datetime(2026, 3, 10, 23, 50, tzinfo=la), "conversation"))
        db.add(_call_at(floor_data, datetime(2026, 3, 11, 0, 10, tzinfo=la), "conversation"))
        db.add(_call_at(floor_data, datetime(2026, 3, 11, 7, 30, tzinfo=la), "abandoned"))
        db.commit()

        stored = store.abandon_days(db, pk(floor_data.campaign), date(2026, 3, 1), zone=la)
        assert stored.rate_day(date(2026, 3, 10)) == Rate(live=4, abandoned=2)
        assert stored.rate_day(date(2026, 3, 11)) == Rate(live=2, abandoned=1)
        utc_days = store.abandon_days(db, pk(floor_data.campaign), date(2026, 3, 1))
        assert utc_days.rate_day(date(2026, 3, 11)) == Rate(live=6, abandoned=3)

    login(client, "lee")
    page = client.get("/lead").text
    row = page[page.index(f'data-campaign="{pk(floor_data.campaign)}"') :]
    row = row[: row.index("</tr>")]
    assert "50.0% <span" in row and "(3/6)" in row  # the 30 days
    assert "(1/2)" in row  # today in Los Angeles: the call at 00:10 and the abandon at 07:30


@pytest.mark.db
def test_a_half_hour_zones_midnight_splits_its_days_to_the_minute(
    floor_data: Floor, db_engine: Engine
) -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30: local midnight is 18:30 UTC
    with Session(db_engine) as db:
        for minute, outcome in ((29, "abandoned"), (30, "conversation"), (31, "abandoned")):
            at = datetime(2026, 3, 10, 18, minute, 59, tzinfo=UTC)
            db.add(_call_at(floor_data, at, outcome))
        db.commit()
        days = store.abandon_days(db, pk(floor_data.campaign), date(2026, 3, 1), zone=kolkata)
    assert days.rate_day(date(2026, 3, 10)) == Rate(live=1, abandoned=1)
    assert days.rate_day(date(2026, 3, 11)) == Rate(live=2, abandoned=1)


def test_the_kept_past_is_read_again_when_the_campaign_moves_to_another_time_zone(
    floor_data: Floor, db_engine: Engine
) -> None:
    ledgers = Ledgers(clock=lambda: 0.0)  # the past never ages out on its own here
    campaign_id, today = pk(floor_data.campaign), date(2026, 3, 11)
    la = ZoneInfo("America/Los_Angeles")
    with Session(db_engine) as db:
        # 04:30 UTC on the 8th: the 8th in UTC, the evening of the 7th in Los Angeles
        db.add(_call_at(floor_data, datetime(2026, 3, 8, 4, 30, tzinfo=UTC), "abandoned"))
        db.commit()
        assert ledgers.of(db, campaign_id, today).rate_day(date(2026, 3, 8)) == Rate(1, 1)
        moved = ledgers.of(db, campaign_id, today, la)
    assert moved.rate_day(date(2026, 3, 7)) == Rate(1, 1)
    assert moved.rate_day(date(2026, 3, 8)) == Rate(0, 0)
