"""Team leads see each campaign's abandon rate over the rolling 30 days and for today."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session

from console.services.ledgers import PAST_TTL_S, Ledgers
from core.models import ContactAttempt
from dialer import store
from dialer.abandon import Rate

pytestmark = pytest.mark.integration


def _calls(floor: Floor, days_ago: int, outcomes: dict[str, int]) -> list[ContactAttempt]:
    started = NOW - timedelta(days=days_ago, minutes=5)
    return [
        ContactAttempt(
            account_id=pk(floor.account),
            debtor_id=pk(floor.debtor),
            channel="call",
            started_at=started,
            outcome=outcome,
            campaign_id=pk(floor.campaign),
        )
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
