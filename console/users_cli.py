"""`concord users add | list | reset-password | deactivate | activate`: the people who log in.

Passwords are generated and printed once; exit 2 (nothing changed) on a bad request, with the
option or field named. Deactivating an agent also logs them out of the floor, so the dialer
stops connecting calls to them at once; one on a call keeps it until it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import typer
from rich.table import Table
from sqlmodel import Session

from core.models import Role
from core.terminal import console

app = typer.Typer(
    help="People who log in: add, list, reset a password, deactivate.", no_args_is_help=True
)
EXIT_REFUSED = 2
ACTOR = "concord users"
T = TypeVar("T")


def _carry_out(work: Callable[[Session], T]) -> T:
    """`work` in one committed transaction; a PeopleError is one line on stderr and exit 2."""
    from core.db import command_session
    from core.people import PeopleError
    from core.settings import get_settings

    with command_session(get_settings().database_url) as db:
        try:
            done = work(db)
        except PeopleError as exc:
            typer.echo(f"refused: {exc}; nothing was changed.", err=True)
            raise typer.Exit(EXIT_REFUSED) from None
        db.commit()
        return done


def _show_password(username: str, password: str) -> None:
    table = Table("username", "password", title="Shown once: hand it over now")
    table.add_row(username, password)
    console().print(table)


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="the login name (a-z, 0-9, '.', '_', '-')")],
    role: Annotated[
        Role, typer.Option("--role", help="agent, team_lead, qa, client_viewer, admin")
    ],
    name: Annotated[str, typer.Option("--name", help="full name, as the screens show it")] = "",
    client: Annotated[
        str | None, typer.Option("--client", help="client code: required for a client viewer")
    ] = None,
    team: Annotated[str | None, typer.Option("--team", help="team name (created if new)")] = None,
    extension: Annotated[
        str | None, typer.Option("--extension", help="an agent's bridge id (default: next free)")
    ] = None,
) -> None:
    """Add a user with a generated password, printed once."""
    from core.models import utcnow
    from core.people import NewUser, add_user

    spec = NewUser(username, role, name, client, team, extension)
    user, password = _carry_out(lambda db: add_user(db, spec, ACTOR, utcnow()))
    extra = f", extension {user.extension}" if user.extension else ""
    typer.echo(f"added {user.username} ({user.role}{extra})")
    _show_password(user.username, password)


@app.command("reset-password")
def reset(username: Annotated[str, typer.Argument()]) -> None:
    """A new generated password (printed once); also lifts a lockout after failed logins."""
    from core.models import utcnow
    from core.people import reset_password

    password = _carry_out(lambda db: reset_password(db, username, ACTOR, utcnow()))
    _show_password(username, password)


def _log_out_of_floor(user_id: int, username: str) -> None:
    """Takes a deactivated agent off the floor: the dialer then no longer sees them ready."""
    import redis

    from console.gateways import Floor
    from console.services import agent_state
    from core.models import utcnow
    from core.settings import get_settings

    now = utcnow()
    try:
        floor = Floor(redis.Redis.from_url(get_settings().redis_url))
        status = floor.status(user_id, now)
        if status.state != "logged_out":
            floor.set_status(agent_state.logged_out(status, now))
    except agent_state.StateRefused:
        typer.echo(f"{username} is on a call: they keep it until it ends, then cannot log in.")
    except redis.RedisError as exc:
        typer.echo(f"the floor could not be told ({exc}); {username} cannot log in again.")


@app.command("deactivate")
def deactivate(username: Annotated[str, typer.Argument()]) -> None:
    """No more logins (their calls and notes stay theirs); an agent leaves the floor now."""
    from core.models import utcnow
    from core.people import set_active

    user = _carry_out(lambda db: set_active(db, username, False, ACTOR, utcnow()))
    if user.role == Role.AGENT.value and user.id is not None:
        _log_out_of_floor(user.id, username)
    typer.echo(f"deactivated {username}")


@app.command("activate")
def activate(username: Annotated[str, typer.Argument()]) -> None:
    """Let a deactivated user log in again."""
    from core.models import utcnow
    from core.people import set_active

    _carry_out(lambda db: set_active(db, username, True, ACTOR, utcnow()))
    typer.echo(f"activated {username}")


@app.command("list")
def list_users() -> None:
    """Every user: role, client, team, extension, and whether they may log in."""
    from core.db import command_session
    from core.people import everyone
    from core.settings import get_settings

    with command_session(get_settings().database_url, reading=True) as db:
        rows = everyone(db)
    table = Table("username", "name", "role", "client", "team", "extension", "login")
    for user, client, team in rows:
        login = "allowed" if user.is_active else "deactivated"
        if user.locked_until is not None and user.is_active:
            login = f"locked until {user.locked_until:%Y-%m-%d %H:%M} UTC"
        table.add_row(user.username, user.full_name, user.role, client, team, user.extension, login)
    console().print(table)
