"""`concord dialer`: run the dialer service until interrupted.

Builds the object graph in one place (settings -> AMI client, Redis, database engine) and hands
it to DialerService; nothing is created at import time.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from dialer.ami import AmiClient

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
app = typer.Typer(help="The predictive dialer on Asterisk over AMI.", no_args_is_help=False)


AsteriskRoot = Annotated[
    str,
    typer.Option(
        envvar="ASTERISK_ROOT",
        help="Where Asterisk's filesystem starts on this machine: the chroot of "
        "../shared/asterisk (/var/cache/concord-asterisk/root), or / for an Asterisk installed "
        "here. Client messages go to <root>/var/lib/asterisk/sounds/concord.",
    ),
]


async def connect_ami(timeout: float = 60.0) -> AmiClient:
    """The AMI session of CONCORD_AMI_*; an Asterisk that does not answer, or refuses the login,
    is one clear line naming where it was looked for (exit 1), not a traceback."""
    from core.settings import get_settings
    from dialer.ami import AmiClient, AmiLoginError

    settings = get_settings()
    where = f"{settings.ami_host}:{settings.ami_port}"
    ami = AmiClient(settings.ami_host, settings.ami_port, settings.ami_user, settings.ami_secret)
    try:
        await ami.start(timeout=timeout)
    except TimeoutError:
        typer.echo(
            f"cannot reach Asterisk's AMI at {where} within {timeout:g} s; start Asterisk "
            "(bin/up does) or set CONCORD_AMI_HOST / CONCORD_AMI_PORT",
            err=True,
        )
        raise typer.Exit(1) from None
    except AmiLoginError as exc:
        typer.echo(f"Asterisk at {where} refused the AMI login: {exc}", err=True)
        raise typer.Exit(1) from None
    return ami


async def serve(dial_channel: str, ring_timeout: int, asterisk_root: str) -> None:
    from redis.asyncio import Redis

    from core.db import make_engine
    from core.settings import get_settings
    from dialer.messages import MessageLibrary
    from dialer.service import DialerService

    settings = get_settings()
    ami = await connect_ami()
    redis = Redis.from_url(settings.redis_url)
    engine = make_engine(settings.database_url)
    service = DialerService(
        ami, redis, engine, dial_channel=dial_channel, ring_timeout_s=ring_timeout,
        messages=MessageLibrary.under_root(asterisk_root), agency_name=settings.agency_name,
    )  # fmt: skip
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, service.stop)
    try:
        await service.run()
    finally:
        await ami.close()
        await redis.aclose()  # type: ignore[attr-defined]  # stubs predate redis 5
        engine.dispose()


@app.callback(invoke_without_command=True)
def dialer(
    ctx: typer.Context,
    dial_channel: Annotated[
        str,
        typer.Option(
            envvar="CONCORD_DIAL_CHANNEL",
            help="Originate channel; {number} is the E.164 number. Production: "
            "PJSIP/{number}@carrier. Default: the simulated phone network.",
        ),
    ] = "Local/{number}@concord-sim-pstn",
    ring_timeout: Annotated[
        int, typer.Option(min=15, help="Seconds an unanswered call rings (at least 15).")
    ] = 25,
    asterisk_root: AsteriskRoot = "/var/cache/concord-asterisk/root",
) -> None:
    """Run every active campaign: hoppers, pacing, AMI, events to the console."""
    if ctx.invoked_subcommand is not None:
        return
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    # Alembic's plugin set-up lines at INFO fill an admin's console at every start.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    asyncio.run(serve(dial_channel, ring_timeout, asterisk_root))


@app.command()
def messages(asterisk_root: AsteriskRoot = "/var/cache/concord-asterisk/root") -> None:
    """Speak every client's limited-content message into a WAV Asterisk plays (espeak-ng).

    The dialer does this at start too; run it after changing a business name or callback
    number to hear the result, or to find out which clients would get the stock prompt.
    """
    from core.db import make_engine, session_scope
    from core.settings import get_settings
    from dialer import store
    from dialer.messages import MessageError, MessageLibrary

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    library = MessageLibrary.under_root(asterisk_root)
    engine = make_engine(get_settings().database_url)
    with session_scope(engine) as session:
        clients = store.client_messages(session, store.client_ids(session))
    engine.dispose()
    failed = 0
    for client_id, client in sorted(clients.items()):
        try:
            typer.echo(f"client {client_id}: {library.make(client)}")
        except MessageError as exc:
            failed += 1
            typer.echo(f"{exc}; the stock prompt plays instead", err=True)
    if failed:
        raise typer.Exit(1)


@app.command("softphones")
def softphones(
    extension: Annotated[
        list[str] | None,
        typer.Option(
            help="Extension to seat; default: every active agent's and team lead's extension "
            "(a lead takes transferred calls)."
        ),
    ] = None,
) -> None:
    """Seat a simulated softphone in each agent's conference (development and demos only)."""
    from sqlmodel import Session, col, select

    from core.db import make_engine
    from core.models import Role, User
    from core.settings import get_settings
    from dialer.softphones import seat_softphones

    settings = get_settings()
    extensions = list(extension or [])
    if not extensions:
        engine = make_engine(settings.database_url)
        with Session(engine) as db:
            query = select(User.extension).where(
                col(User.role).in_([Role.AGENT.value, Role.TEAM_LEAD.value]),
                col(User.is_active),
                User.extension != "",
            )
            extensions = [str(ext) for ext in db.exec(query)]
        engine.dispose()
    if not extensions:
        typer.echo("no agent has an extension; nothing to seat")
        return

    async def seat() -> set[str]:
        ami = await connect_ami()
        try:
            return await seat_softphones(ami, extensions)
        finally:
            await ami.close()

    joined = asyncio.run(seat())
    missing = sorted(set(extensions) - joined)
    typer.echo(f"simulated softphones seated for extensions {', '.join(sorted(joined)) or '-'}")
    if missing:
        typer.echo(f"not seated: {', '.join(missing)}", err=True)
        raise typer.Exit(1)


@app.command("call-in")
def call_in(
    number: Annotated[
        str,
        typer.Argument(
            help="The caller's number, e.g. a demo debtor's from the phone table; "
            "'withheld' for a caller who hides it."
        ),
    ],
    stays: Annotated[
        int, typer.Option(min=1, max=3600, help="Seconds the caller stays on the line.")
    ] = 300,
    to: Annotated[str, typer.Option(help="Our number the caller dials.")] = "+18005550100",
) -> None:
    """Play a debtor calling in on the simulated network (development and demos only).

    They hear the greeting and hold; the dialer puts them through to the next ready agent of
    their client (any agent when the number is on file for nobody), and the agent's screen
    pops the account, or asks who is calling.
    """
    from core.phones import e164
    from dialer.softphones import simulated_call_in

    caller = "" if number.strip().lower() == "withheld" else (e164(number) or "")
    if number.strip().lower() != "withheld" and not caller:
        typer.echo(f"number {number!r} is not a phone number (try +12065550100)", err=True)
        raise typer.Exit(2)

    async def dial() -> str:
        ami = await connect_ami()
        try:
            return await simulated_call_in(ami, caller, to, stays)
        finally:
            await ami.close()

    call_id = asyncio.run(dial())
    typer.echo(f"call in {call_id} from {caller or 'a withheld number'} to {to}: holding for "
               f"an agent, on the line {stays} s")  # fmt: skip
