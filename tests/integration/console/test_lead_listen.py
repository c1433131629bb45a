"""A team lead's Listen button: the request goes to the dialer over Redis, its answer shows on
the lead page; a lead bound to one client, or reaching for another team's agent, is refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import redis
from console_floor import PASSWORD, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session
from test_call_flow import htmx

from core.events import LISTEN_REQUESTS_KEY, LISTENING_KEY, ListenState
from core.models import Team, User
from core.passwords import hash_password

pytestmark = pytest.mark.integration


def _requests(redis_url: str) -> list[dict[str, object]]:
    with redis.Redis.from_url(redis_url) as r:
        return [json.loads(raw) for raw in r.lrange(LISTEN_REQUESTS_KEY, 0, -1)]


def _dialer_says(redis_url: str, lead_id: int, state: ListenState) -> None:
    with redis.Redis.from_url(redis_url) as r:
        r.hset(LISTENING_KEY, str(lead_id), state.model_dump_json())


def test_a_lead_asks_to_listen_and_the_page_says_what_the_dialer_answered(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    lee, ana = pk(floor_data.lead), pk(floor_data.agent)
    token = login(client, "lee")

    asked = htmx(client, token, f"/lead/listen/{ana}", {})
    assert asked.status_code == 200
    assert _requests(redis_url) == [{"lead_id": lee, "action": "listen", "agent_id": ana}]

    now = datetime.now(UTC)
    _dialer_says(redis_url, lee, ListenState(agent_id=ana, listening=True, since=now))
    page = client.get("/lead").text
    assert "Your phone is listening to <strong>Ana Park</strong>" in page
    assert "Stop listening" in page

    htmx(client, token, "/lead/listen/stop", {})
    assert _requests(redis_url)[-1] == {"lead_id": lee, "action": "stop"}
    refused = "the agent's phone is not connected"
    _dialer_says(redis_url, lee, ListenState(agent_id=ana, listening=False, message=refused,
                                             since=now))  # fmt: skip
    assert "Not listening to" in client.get("/lead").text and refused.replace("'", "&#39;") in (
        client.get("/lead").text
    )


def test_another_teams_agent_and_a_client_bound_lead_are_refused(
    client: httpx.Client, redis_url: str, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        other = Team(name="Late-stage")
        db.add(other)
        db.flush()
        stranger = User(username="omar", role="agent", team_id=other.id,
                        password_hash=hash_password(PASSWORD))  # fmt: skip
        bound = User(username="rita", role="team_lead", team_id=floor_data.lead.team_id,
                     client_id=floor_data.client_a.id,
                     password_hash=hash_password(PASSWORD))  # fmt: skip
        db.add_all([stranger, bound])
        db.commit()
        stranger_id = pk(stranger)
    token = login(client, "lee")
    not_mine = htmx(client, token, f"/lead/listen/{stranger_id}", {})
    client.cookies.clear()
    token = login(client, "rita")
    bound_refused = htmx(client, token, f"/lead/listen/{pk(floor_data.agent)}", {})

    assert not_mine.status_code == 404 and "No agent" in not_mine.text
    assert bound_refused.status_code == 403 and "another client" in bound_refused.text
    assert _requests(redis_url) == []
