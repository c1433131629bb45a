"""Logging in: password checks, lockout after repeated failures, and CSRF tokens.

Hashes are checked by core.passwords, which the demo seed hashes with too, so the two can never
disagree on the algorithm or its parameters.

The session itself is Starlette's SessionMiddleware (an itsdangerous-signed cookie keyed by
CONCORD_SECRET_KEY); it holds only the user id, the CSRF token, a login stamp (of the password
hash: a reset ends it) and a session id whose record in Redis logging out deletes (a copy of
the cookie then stops working). Every request reloads the user, so a deactivated account
stops at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from core.models import Role, User
from core.passwords import hash_password, verify_password

# A login lasts one long shift (cookie and server-side record alike); no idle timer logs an
# agent out mid-call.
SESSION_MAX_AGE = 12 * 3600
# The logins an idle timer ends (CONCORD_IDLE_LOGOUT_MINUTES): those that read reports and
# recordings at a desk, not those working the floor.
IDLE_TIMED_ROLES = frozenset({Role.QA.value, Role.CLIENT_VIEWER.value, Role.ADMIN.value})
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


@cache
def _decoy_hash() -> str:
    """Verified against when the username is unknown, so a miss costs as long as a wrong
    password and response times do not tell an attacker which usernames exist."""
    return hash_password(secrets.token_hex(16))


def login_stamp(user: User) -> str:
    """What the session keeps of the password it was opened with: a digest of the stored hash.
    A reset changes the hash, so every session opened before it stops at its next request (a
    leaked or shared login is cut by the reset itself, not only by deactivating the user)."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def session_is_current(session: Mapping[str, Any], user: User) -> bool:
    """The session was opened with the user's present password, and the user may log in."""
    stamp = session.get("stamp")
    return (
        user.is_active and isinstance(stamp, str) and hmac.compare_digest(stamp, login_stamp(user))
    )


def idle_too_long(session: Mapping[str, Any], role: str, now: datetime, minutes: int) -> bool:
    """Whether the session's last request (its "seen" stamp) is more than `minutes` old, for a
    role the idle timer applies to; a session with no stamp yet has just begun."""
    seen = session.get("seen")
    return (
        minutes > 0
        and role in IDLE_TIMED_ROLES
        and isinstance(seen, int | float)
        and now.timestamp() - seen > minutes * 60
    )


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""


def _as_aware(moment: datetime, now: datetime) -> datetime:
    # SQLite returns naive datetimes for values we stored in UTC.
    return moment.replace(tzinfo=now.tzinfo) if moment.tzinfo is None else moment


def check_login(user: User | None, password: str, now: datetime) -> LoginResult:
    """Decide a login attempt and update the user's failure count and lock (caller commits).

    The message never says whether the username exists; a locked account says when it opens
    only after the right password, so guessing cannot probe the lock.
    """
    generic = "Wrong username or password."
    if user is None or not user.is_active:
        verify_password(_decoy_hash(), password)
        return LoginResult(None, generic)
    locked = user.locked_until is not None and _as_aware(user.locked_until, now) > now
    if not verify_password(user.password_hash, password):
        if not locked:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                # Said here, the lock would tell a guesser that the username exists.
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
        return LoginResult(None, generic)
    if locked and user.locked_until is not None:
        until = _as_aware(user.locked_until, now)
        return LoginResult(None, f"The account is locked until {until:%H:%M} UTC.")
    user.failed_logins = 0
    user.locked_until = None
    return LoginResult(user)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
