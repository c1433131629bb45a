"""The lead page's holding queue: debtors who called in and wait for an agent."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
import redis
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.events import CALLS_IN_HOLDING_KEY
from core.models import User

pytestmark = pytest.mark.integration


def hold(redis_url: str, call_id: str, seconds: int, client_id: int | None) -> None:
    """A caller holding for `seconds`, listed as the dialer lists one."""
    since = (NOW - timedelta(seconds=seconds)).isoformat()
    entry = json.dumps({"since": since, "client_id": client_id})
    redis.Redis.from_url(redis_url).hset(CALLS_IN_HOLDING_KEY, call_id, entry)


def test_the_lead_sees_how_many_callers_hold_and_the_longest_wait(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    login(client, "lee")
    assert "No one holding." in client.get("/lead").text
    harbor = floor_data.account.client_id
    hold(redis_url, "in-a", 75, harbor)
    hold(redis_url, "in-b", 10, None)  # a number on file for nobody
    hold(redis_url, "in-c", 300, harbor + 1)  # another client's debtor
    page = client.get("/lead", headers={"HX-Request": "true"}).text
    assert "3 callers holding</strong> for an agent, the longest for 5:00" in page
    with Session(db_engine) as db:  # bound to one client, the lead sees its callers only
        lead = db.get(User, pk(floor_data.lead))
        assert lead is not None
        lead.client_id = harbor
        db.add(lead)
        db.commit()
    page = client.get("/lead", headers={"HX-Request": "true"}).text
    assert "2 callers holding</strong> for an agent, the longest for 1:15" in page
