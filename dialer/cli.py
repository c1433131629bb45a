"""`concord dialer`: run the dialer service until interrupted.

Builds the object graph in one place (settings -> AMI client, Redis, database engine) and hands
it to DialerService; nothing is created at import time.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Annotated

import typer

app = typer.Typer(help="The predictive dialer on Asterisk over AMI.", no_args_is_help=False)


async def serve(dial_channel: str, ring_timeout: int) -> None:
    from redis.asyncio import Redis

    from core.db import make_engine
    from core.settings import get_settings
    from dialer.ami import AmiClient
    from dialer.service import DialerService

    settings = get_settings()
    ami = AmiClient(settings.ami_host, settings.ami_port, settings.ami_user, settings.ami_secret)
    await ami.start(timeout=60)
    redis = Redis.from_url(settings.redis_url)
    engine = make_engine(settings.database_url)
    service = DialerService(
        ami, redis, engine, dial_channel=dial_channel, ring_timeout_s=ring_timeout
    )
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
) -> None:
    """Run every active campaign: hoppers, pacing, AMI, events to the console."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    asyncio.run(serve(dial_channel, ring_timeout))
