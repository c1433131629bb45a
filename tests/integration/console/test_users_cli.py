"""`concord users` against the console: a generated password logs in, a reset lifts a lockout,
a deactivated agent leaves the floor and cannot log in again."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import httpx
import pytest
import redis
from console_floor import Floor, csrf_of, login
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from console import users_cli
from core.models import Team, User
from core.settings import get_settings

pytestmark = pytest.mark.integration
Cli = Callable[..., Result]


@pytest.fixture
def users(
    db_url: str, redis_url: str, floor_data: Floor, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Cli]:
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_url)
    monkeypatch.setenv("CONCORD_REDIS_URL", redis_url)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(users_cli.app, list(args))
    get_settings.cache_clear()


def _password(result: Result, username: str) -> str:
    found = re.search(rf"{re.escape(username)}\s*│\s*([a-z0-9]{{14}})", result.output)
    assert found, result.output
    return found.group(1)


def _refused_login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


def test_an_added_agent_logs_in_with_the_password_shown_once_and_gets_the_next_extension(
    users: Cli, client: httpx.Client, db_engine: Engine
) -> None:
    added = users("add", "maria.k", "--role", "agent", "--name", "Maria K", "--team", "Floor B")

    assert added.exit_code == 0, added.output
    assert "added maria.k (agent, extension 1003)" in added.output  # 1001, 1002 are taken
    login(client, "maria.k", _password(added, "maria.k"))
    assert client.get("/agent").status_code == 200
    with Session(db_engine) as db:
        user = db.exec(select(User).where(User.username == "maria.k")).one()
        team = db.get(Team, user.team_id)
    assert team is not None and team.name == "Floor B"
    assert "maria.k" not in user.password_hash and user.password_hash.startswith("$argon2")
    lead = users("add", "tia", "--role", "team_lead", "--team", "Floor B")
    assert "added tia (team_lead, extension 1004)" in lead.output  # calls are transferred to her


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("Bad Name", "--role", "qa"), "username: 'Bad Name' must be"),
        (("ana", "--role", "qa"), "username: ana already exists"),
        (("v1", "--role", "client_viewer"), "--client: a client viewer sees one client only"),
        (("v1", "--role", "client_viewer", "--client", "nope"), "no client with code 'nope'"),
        (("a9", "--role", "agent", "--extension", "1001"), "--extension: 1001 is already"),
        (("q2", "--role", "qa", "--extension", "12"), "only agents and team leads have one"),
        (("l2", "--role", "team_lead", "--team", "floor  1"), "but there is 'Floor 1'"),
    ],
)
def test_a_bad_request_names_the_field_and_adds_no_one(
    users: Cli, db_engine: Engine, args: tuple[str, ...], said: str
) -> None:
    with Session(db_engine) as db:
        before = len(db.exec(select(User)).all())

    result = users("add", *args)

    assert result.exit_code == 2
    assert said in result.output and "nothing was changed" in result.output
    with Session(db_engine) as db:
        assert len(db.exec(select(User)).all()) == before


def test_a_reset_password_lifts_a_lockout(users: Cli, client: httpx.Client) -> None:
    for _ in range(5):
        _refused_login(client, "ana", "wrong")
    assert "locked until" in users("list").output

    reset = users("reset-password", "ana")

    login(client, "ana", _password(reset, "ana"))
    assert client.get("/agent").status_code == 200


def test_a_reset_password_ends_the_sessions_opened_with_the_old_one(
    users: Cli, client: httpx.Client
) -> None:
    """A leaked or shared login is cut by the reset, not only by deactivating the user."""
    login(client, "lee")
    assert client.get("/lead").status_code == 200

    users("reset-password", "lee")

    gone = client.get("/lead", follow_redirects=False)
    assert (gone.status_code, gone.headers.get("location")) == (303, "/login")


def test_a_deactivated_agent_leaves_the_floor_and_cannot_log_in_again(
    users: Cli, client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    client.post("/agent/state", data={"action": "ready"}, headers={"X-CSRF-Token": token})
    states = redis.Redis.from_url(redis_url)
    agent = str(floor_data.agent.id)
    assert json.loads(states.hget("concord:agent_states", agent) or "{}")["state"] == "ready"

    result = users("deactivate", "ana")

    assert result.exit_code == 0 and "deactivated ana" in result.output
    assert json.loads(states.hget("concord:agent_states", agent) or "{}")["state"] == "logged_out"
    assert client.get("/agent", follow_redirects=False).status_code == 303  # the session ends
    assert _refused_login(client, "ana", "correct horse battery").status_code == 401
    assert "deactivated" in users("list").output
    assert users("activate", "ana").exit_code == 0
    login(client, "ana")
