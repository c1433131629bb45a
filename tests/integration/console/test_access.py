"""Logging in, lockout, CSRF, roles and tenant isolation over real HTTP to the real app."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
import redis
from console_floor import NOW, Floor, csrf_of, login
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.events import CAMPAIGN_STATS_KEY, CampaignStats
from core.models import Role, User, utcnow

pytestmark = pytest.mark.integration


def test_agent_login_lands_on_the_agent_screen_logged_in_but_not_ready(
    client: httpx.Client,
) -> None:
    login(client, "ana")
    page = client.get("/agent")
    assert page.status_code == 200
    assert 'id="state-label">Logged in<' in page.text


def test_wrong_password_is_refused_without_saying_whether_the_user_exists(
    client: httpx.Client,
) -> None:
    token = csrf_of(client.get("/login").text)
    wrong = client.post("/login", data={"username": "ana", "password": "nope", "csrf_token": token})
    unknown = client.post(
        "/login", data={"username": "zed", "password": "nope", "csrf_token": token}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong username or password." in wrong.text
    assert "Wrong username or password." in unknown.text


def test_fifth_failure_locks_the_account_even_for_the_right_password(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        client.post("/login", data={"username": "ana", "password": "bad", "csrf_token": token})
    right = client.post(
        "/login", data={"username": "ana", "password": "correct horse battery", "csrf_token": token}
    )
    assert right.status_code == 401
    assert "locked until" in right.text
    with Session(db_engine) as db:
        user = db.get(User, floor_data.agent.id)
        assert user is not None and user.locked_until is not None


def test_post_without_csrf_token_is_refused(client: httpx.Client) -> None:
    login(client, "ana")
    response = client.post("/agent/state", data={"action": "ready"})
    assert response.status_code == 403


def test_pages_need_a_login(client: httpx.Client) -> None:
    response = client.get("/agent", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_agent_of_client_a_gets_404_for_an_account_of_client_b(
    client: httpx.Client, floor_data: Floor
) -> None:
    login(client, "ana")
    assert client.get(f"/accounts/{floor_data.account.id}").status_code == 200
    assert client.get(f"/accounts/{floor_data.other_account.id}").status_code == 404


def test_agent_of_client_b_campaign_cannot_open_client_a_accounts(
    client: httpx.Client, floor_data: Floor
) -> None:
    login(client, "ben")
    assert client.get(f"/accounts/{floor_data.account.id}").status_code == 404
    assert client.get(f"/accounts/{floor_data.other_account.id}").status_code == 200


def test_client_viewer_sees_only_their_own_client(client: httpx.Client, floor_data: Floor) -> None:
    login(client, "harbor_view")
    page = client.get("/client")
    assert "Harbor Bank" in page.text and "Ridge Credit Union" not in page.text
    assert client.get(f"/accounts/{floor_data.other_account.id}").status_code == 404


def test_an_admin_bound_to_one_client_cannot_open_another_clients_account(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        lead = db.get(User, floor_data.lead.id)
        assert lead is not None
        lead.role, lead.client_id = Role.ADMIN.value, floor_data.client_a.id
        db.add(lead)
        db.commit()
    login(client, "lee")

    assert client.get(f"/accounts/{floor_data.account.id}").status_code == 200
    assert client.get(f"/accounts/{floor_data.other_account.id}").status_code == 404


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("ana", "/lead"),
        ("ana", "/qa"),
        ("ana", "/scripts/editor"),
        ("quinn", "/agent"),
        ("harbor_view", "/agent"),
        ("harbor_view", "/lead"),
    ],
)
def test_each_role_is_kept_to_its_own_pages(client: httpx.Client, username: str, path: str) -> None:
    login(client, username)
    assert client.get(path).status_code == 403


def test_team_lead_sees_the_live_agents_of_the_team(client: httpx.Client) -> None:
    login(client, "ana")
    client.get("/agent")
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/agent").text)})
    login(client, "lee")
    page = client.get("/lead")
    assert page.status_code == 200
    assert 'data-agent="ana"' in page.text and "Logged out" in page.text


def test_a_lead_bound_to_one_client_sees_only_that_clients_campaigns(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        lead = db.get(User, floor_data.lead.id)
        assert lead is not None
        lead.client_id = floor_data.client_a.id
        db.add(lead)
        db.commit()
    login(client, "lee")

    page = client.get("/lead").text

    assert "Harbor early stage" in page and "Ridge autos" not in page


def test_readyz_reports_database_and_redis_and_whether_the_dialer_runs(
    client: httpx.Client, redis_url: str
) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok" and ready.json()["redis"] == "ok"
    # no dialer yet: the console serves, but monitoring sees no calls can come
    assert ready.json()["dialer"] == "not running"
    figures = CampaignStats(at=utcnow(), campaign_id=1, dial_mode="progressive",
                            effective_mode="progressive", abandon_rate_30d=0.0,
                            abandon_rate_today=0.0, agents_ready=1, calls_in_flight=0,
                            hopper_size=3, pacing="one call per ready agent")  # fmt: skip
    redis.Redis.from_url(redis_url).hset(CAMPAIGN_STATS_KEY, "1", figures.envelope())
    assert client.get("/readyz").json()["dialer"] == "running"


def test_a_bad_value_in_an_address_gets_the_error_page_and_the_schema_is_not_served(
    client: httpx.Client, floor_data: Floor
) -> None:
    login(client, "harbor_view")

    bad_days = client.get("/client", params={"days": "abc"})
    bad_id = client.get("/accounts/abc")

    assert bad_days.status_code == bad_id.status_code == 422
    assert "text/html" in bad_days.headers["content-type"]
    assert "This address has a bad value: days." in bad_days.text
    assert "This address has a bad value: account_id." in bad_id.text
    assert client.get("/openapi.json").status_code == 404


def test_a_copy_of_the_session_cookie_stops_working_once_its_user_logs_out(
    client: httpx.Client,
) -> None:
    token = login(client, "quinn")
    copied = dict(client.cookies)
    client.post("/logout", data={"csrf_token": token})

    with httpx.Client(base_url=client.base_url, cookies=copied) as thief:
        page = thief.get("/qa", follow_redirects=False)

    assert (page.status_code, page.headers.get("location")) == (303, "/login")


def test_a_save_after_the_session_ended_says_to_sign_in_again_not_that_the_form_is_forged(
    client: httpx.Client,
) -> None:
    token = login(client, "ana")
    client.cookies.clear()  # the session ended (expired, or logged out in another tab)

    saved = client.post("/agent/state", data={"action": "ready"}, headers={"X-CSRF-Token": token})

    assert saved.status_code == 401
    assert "You were signed out. Sign in again in a new tab" in saved.text


def test_a_qa_login_left_unused_for_the_idle_limit_is_signed_out_and_told_why(
    client: httpx.Client, clock: list[datetime]
) -> None:
    login(client, "quinn")
    copied = dict(client.cookies)
    clock[0] = NOW + timedelta(minutes=29)
    kept = client.get("/qa", follow_redirects=False)  # a click inside the limit restarts it
    clock[0] = NOW + timedelta(minutes=29 + 31)

    ended = client.get("/qa", follow_redirects=False)
    notice = client.get("/login").text
    with httpx.Client(base_url=client.base_url, cookies=copied) as thief:
        stale_copy = thief.get("/qa", follow_redirects=False)

    assert kept.status_code == 200
    assert (ended.status_code, ended.headers.get("location")) == (303, "/login")
    assert "You were signed out here: 30 minutes without use." in notice
    assert stale_copy.status_code == 303  # the server-side session is gone, not just the cookie


def test_agents_and_leads_are_not_signed_out_for_quiet_minutes(
    client: httpx.Client, clock: list[datetime]
) -> None:
    login(client, "lee")
    clock[0] = NOW + timedelta(hours=3)

    assert client.get("/lead", follow_redirects=False).status_code == 200
