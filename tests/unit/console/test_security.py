"""Login decisions over hashes made by core.passwords, as the demo seed stores them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from console.security import MAX_FAILED_LOGINS, check_login, idle_too_long
from core.models import User
from core.passwords import hash_password

NOW = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)


def user(password: str) -> User:
    return User(id=1, username="demo", password_hash=hash_password(password), role="agent")


def test_a_password_hashed_like_the_demo_seed_logs_in_and_clears_failures() -> None:
    demo = user("demo-pass")
    demo.failed_logins = 2
    result = check_login(demo, "demo-pass", NOW)
    assert result.user is demo and demo.failed_logins == 0


def test_the_fifth_wrong_password_locks_the_account_saying_no_more_than_an_unknown_name() -> None:
    demo = user("demo-pass")
    for _ in range(MAX_FAILED_LOGINS):
        result = check_login(demo, "guess", NOW)
    nobody = check_login(None, "guess", NOW)
    assert result.user is None and result.message == nobody.message
    assert demo.locked_until is not None and demo.locked_until > NOW
    assert "locked until" in check_login(demo, "demo-pass", NOW).message


def test_the_idle_timer_ends_only_desk_roles_and_only_past_the_limit() -> None:
    seen = {"seen": NOW.timestamp()}
    later = NOW + timedelta(minutes=31)

    assert idle_too_long(seen, "client_viewer", later, 30)
    assert not idle_too_long(seen, "client_viewer", NOW + timedelta(minutes=30), 30)
    assert not idle_too_long(seen, "agent", later, 30)  # on calls for minutes without a click
    assert not idle_too_long(seen, "team_lead", later, 30)  # a wallboard
    assert not idle_too_long(seen, "qa", later, 0)  # switched off
    assert not idle_too_long({}, "qa", later, 30)  # a session just begun
