"""Adding the people who log in, and looking after their logins, for the admin's commands.

An install starts with no users but the demo's; agents, leads, QA staff and client viewers are
added here with a generated password that is shown once (never stored in clear, never chosen
by the admin, so no "Welcome1" logins). Agents and team leads need an extension (the id of the
bridge their softphone sits in; calls are transferred to a lead's); one is given from 1001 up
when none is asked for. Nothing is committed
here: the caller owns the transaction.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from core.admin_store import client_codes, listing, namesake
from core.models import Client, Role, Team, User
from core.passwords import hash_password

# Who takes calls, so has a phone: agents, and team leads (calls are transferred to them).
ON_THE_PHONE = (Role.AGENT, Role.TEAM_LEAD)
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
EXTENSION = re.compile(r"[0-9]{2,10}")
FIRST_EXTENSION = 1001


class PeopleError(ValueError):
    """A request that cannot be carried out; the message names the field and why."""


@dataclass(frozen=True)
class NewUser:
    username: str
    role: Role
    full_name: str = ""
    client_code: str | None = None
    team: str | None = None
    extension: str | None = None


def new_password() -> str:
    """14 lowercase letters and digits (about 72 bits): typed once, then changed or kept."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"  # no l/1/o/0 to misread
    return "".join(secrets.choice(alphabet) for _ in range(14))


def _client_id(db: Session, code: str) -> int:
    client = db.exec(select(Client).where(Client.code == code)).first()
    if client is None or client.id is None:
        codes = listing(client_codes(db))
        raise PeopleError(f"--client: no client with code {code!r} (clients: {codes})")
    return client.id


def _team_id(db: Session, name: str, actor: str) -> int:
    team = db.exec(select(Team).where(Team.name == name)).first()
    if team is None:
        other = namesake(name, db.exec(select(Team.name)))
        if other is not None:  # a typo would seat the lead on an empty team of their own
            raise PeopleError(f"--team: {name!r} would be a new team, but there is {other!r}")
        team = Team(name=name, updated_by=actor)
        db.add(team)
        db.flush()
    assert team.id is not None
    return team.id


def _extension(db: Session, asked: str | None) -> str:
    taken = {u.extension for u in db.exec(select(User)) if u.extension}
    if asked is None:
        number = FIRST_EXTENSION
        while str(number) in taken:
            number += 1
        return str(number)
    if not EXTENSION.fullmatch(asked):
        raise PeopleError(f"--extension: {asked!r} must be 2 to 10 digits (the agent's bridge id)")
    if asked in taken:
        raise PeopleError(f"--extension: {asked} is already another user's")
    return asked


def add_user(db: Session, spec: NewUser, actor: str, now: datetime) -> tuple[User, str]:
    """The stored user (flushed) and the password to hand over once."""
    if not USERNAME.fullmatch(spec.username):
        raise PeopleError(
            f"username: {spec.username!r} must be 2 to 80 of a-z, 0-9, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if db.exec(select(User).where(User.username == spec.username)).first() is not None:
        raise PeopleError(f"username: {spec.username} already exists")
    if spec.role == Role.CLIENT_VIEWER and spec.client_code is None:
        raise PeopleError("--client: a client viewer sees one client only; say which (its code)")
    if spec.role not in ON_THE_PHONE and spec.extension is not None:
        raise PeopleError(
            f"--extension: only agents and team leads have one, not a {spec.role.value}"
        )
    password = new_password()
    user = User(
        username=spec.username,
        full_name=spec.full_name,
        password_hash=hash_password(password),
        role=spec.role.value,
        client_id=None if spec.client_code is None else _client_id(db, spec.client_code),
        team_id=None if spec.team is None else _team_id(db, spec.team, actor),
        extension=_extension(db, spec.extension) if spec.role in ON_THE_PHONE else "",
        created_at=now,
        updated_at=now,
        updated_by=actor,
    )
    db.add(user)
    db.flush()
    return user, password


def _user(db: Session, username: str) -> User:
    user = db.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise PeopleError(f"username: no user {username!r}")
    return user


def reset_password(db: Session, username: str, actor: str, now: datetime) -> str:
    """A new password for a user who forgot theirs; it also lifts a lockout."""
    user = _user(db, username)
    password = new_password()
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    user.updated_at, user.updated_by = now, actor
    db.add(user)
    return password


def set_active(db: Session, username: str, active: bool, actor: str, now: datetime) -> User:
    """Deactivated users cannot log in; their history (calls, notes) stays theirs."""
    user = _user(db, username)
    user.is_active = active
    user.updated_at, user.updated_by = now, actor
    db.add(user)
    return user


def everyone(db: Session) -> list[tuple[User, str, str]]:
    """Every user with their client's code and team name ("" when none), by role then name."""
    clients = {c.id: c.code for c in db.exec(select(Client))}
    teams = {t.id: t.name for t in db.exec(select(Team))}
    users = db.exec(select(User).order_by(col(User.role), col(User.username)))
    return [(u, clients.get(u.client_id, ""), teams.get(u.team_id, "")) for u in users]
