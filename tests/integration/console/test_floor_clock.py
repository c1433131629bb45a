"""A floor in Los Angeles: the lead's "today" and the QA week turn over at its midnight, not
at UTC's (5 pm there in summer, mid-evening shift)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import ContactAttempt, DispositionCode
from core.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def app_settings(app_settings: Settings) -> Settings:
    """NOW (Wednesday 11 March 2026, 15:00 UTC) is 08:00 PDT on this floor."""
    return app_settings.model_copy(update={"floor_timezone": "America/Los_Angeles"})


def _call(floor: Floor, at: datetime, code_id: int | None = None, n: int = 0) -> ContactAttempt:
    return ContactAttempt(
        account_id=pk(floor.account), debtor_id=floor.account.debtor_id, channel="call",
        to_address="+12025550143", started_at=at, ended_at=at + timedelta(seconds=60),
        outcome="conversation", agent_id=pk(floor.agent), disposition_code_id=code_id,
        call_id=f"cc-clock-{n}", recording_ref=f"/var/spool/asterisk/monitor/concord/{n}.wav",
    )  # fmt: skip


def test_the_leads_day_starts_at_the_floors_midnight(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        db.add_all(
            [
                _call(floor_data, datetime(2026, 3, 11, 6, 30, tzinfo=UTC), n=1),  # 23:30 PDT
                _call(floor_data, datetime(2026, 3, 11, 7, 30, tzinfo=UTC), n=2),  # 00:30 PDT
                _call(floor_data, NOW - timedelta(minutes=30), n=3),
            ]
        )
        db.commit()
    login(client, "lee")

    day = client.get("/lead/day", headers={"HX-Request": "true"}).text
    row = day.split('data-agent="ana"')[1].split("</tr>")[0]
    calls = row.split("<td>")[2].split("</td>")[0]

    assert calls == "2"  # last night's 11:30 pm call was yesterday's, though today in UTC
    assert 'datetime="2026-03-11T07:00:00+00:00"' in day  # "since" names the floor's midnight


def test_the_qa_week_starts_at_monday_midnight_on_the_floor(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        code = db.exec(
            select(DispositionCode).where(
                DispositionCode.client_id == floor_data.account.client_id,
                DispositionCode.code == "RPC",
            )
        ).one()
        sunday = _call(floor_data, datetime(2026, 3, 9, 3, 0, tzinfo=UTC), pk(code), 1)
        monday = _call(floor_data, datetime(2026, 3, 9, 8, 0, tzinfo=UTC), pk(code), 2)
        db.add_all([sunday, monday])  # Sunday 8 pm and Monday 1 am PDT; both Monday in UTC
        db.commit()
        last_week, this_week = pk(sunday), pk(monday)
    login(client, "quinn")

    page = client.get("/qa").text
    to_score = page[page.index('id="qa-sample"') : page.index('id="qa-scores"')]

    assert f'data-sample="{this_week}"' in to_score
    assert f'data-sample="{last_week}"' not in to_score
