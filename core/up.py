"""`concord up`: the whole system on embedded defaults, on this one machine.

Starts Redis on a free loopback port, the real Asterisk, the local SMTP and SMS stand-ins,
migrates and seeds the database when empty, then runs the web console, the RQ worker and the
dialer as child processes wired together through CONCORD_* variables. Ctrl-C stops everything.

Every child runs in its own session, so a Ctrl-C (or a SIGTERM sent to the whole process group)
reaches only `concord up`, which stops the children once each, newest first, and only then
Asterisk and Redis: signalled together, Redis went away under the workers still shutting down,
and the RQ worker took the second signal as a cold shutdown.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from redis import Redis
from sqlmodel import Session, select

from core.db import make_engine, migrate
from core.demo.catalog import CLIENTS
from core.localservices import (
    Asterisk,
    RedisServer,
    ServiceError,
    build_asterisk,
    free_port,
    port_free,
    start_asterisk,
    start_redis,
    wait_for_port,
)
from core.models import Client
from core.settings import Settings

# Set once the floor is stopping: from then on SIGINT and SIGTERM change nothing.
_SHUTDOWN = threading.Event()


@dataclass
class Floor:
    """Everything `concord up` started, so it can stop it in reverse order."""

    redis: RedisServer | None = None
    asterisk: Asterisk | None = None
    children: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    #: How each child was started, so a crashed one is started again the same way.
    commands: dict[str, list[str]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.commands[name], self.env = argv, env
        self.children.append((name, subprocess.Popen(argv, env=env, start_new_session=True)))

    def stop(self) -> None:
        # A second Ctrl-C must not abandon the shutdown half-way; stragglers are killed anyway.
        _SHUTDOWN.set()
        for _, child in reversed(self.children):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for _, child in reversed(self.children):
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
        if self.asterisk is not None:
            self.asterisk.stop()
        if self.redis is not None:
            self.redis.stop()


def _interrupt(*_: object) -> None:
    """The first SIGINT or SIGTERM stops the floor; later ones are swallowed here. Ignoring
    them only once Floor.stop began left a window in which a second signal (Ctrl-C pressed
    twice, or a supervisor signalling the process and then its group) raised again before the
    shutdown started, leaving the children, each in a session of its own, running. The
    handler stays installed rather than switching to SIG_IGN: a signal already pending when
    the handler changes makes Python print an "ignored due to race condition" traceback."""
    if _SHUTDOWN.is_set():
        return
    _SHUTDOWN.set()
    raise KeyboardInterrupt


def _concord(*args: str) -> list[str]:
    return [sys.executable, "-m", "core.cli", *args]


def _seed_if_empty(
    settings: Settings, seed: int, say: Callable[[str], None], redis_url: str
) -> None:
    """Seed the demo into an empty database. Redis keeps its data in var/ across runs; what it
    holds (agents on calls, screens, campaign figures) belongs to the database it ran with, so
    a fresh database starts with a fresh Redis: an agent would otherwise open their screen on
    a call of a debtor the new database does not have, and could not go ready."""
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        codes = set(session.exec(select(Client.code)).all())
    engine.dispose()
    if codes & {c.code for c in CLIENTS}:
        say("demo data already present (logins were printed when it was seeded;")
        say("  `concord demo seed --reset` seeds again and prints them)")
        return
    if codes:  # a real book: the demo is never mixed into it
        say(f"the database holds {len(codes)} client(s) of its own: no demo data seeded")
        return
    subprocess.run(_concord("demo", "seed", "--seed", str(seed)), check=True)
    client = Redis.from_url(redis_url)
    if client.dbsize():
        client.flushdb()
        say("redis     cleared what it held for an earlier database")
    client.close()


def _say(message: str) -> None:
    print(message, flush=True)


def run(host: str, port: int, seed: int, with_asterisk: bool = True) -> int:
    """Bring the floor up and block until interrupted; returns the exit status."""
    say = _say
    signal.signal(signal.SIGTERM, _interrupt)  # from here on, a SIGTERM stops the floor cleanly
    signal.signal(signal.SIGINT, _interrupt)
    settings = Settings()
    var = settings.var_dir.resolve()
    var.mkdir(parents=True, exist_ok=True)
    floor = Floor()
    try:
        floor.redis = start_redis(appendonly=True, data_dir=var / "redis")
        env = {
            **os.environ,
            "CONCORD_DATABASE_URL": settings.database_url,
            "CONCORD_REDIS_URL": floor.redis.url,
            "CONCORD_PUBLIC_BASE_URL": f"http://{host}:{port}",
        }
        say(f"redis     {floor.redis.url}")
        if with_asterisk:
            try:
                build_asterisk()
                # The configured AMI port when it is free, so `concord dialer call-in` and other
                # commands run beside the floor reach this Asterisk with no setting.
                wanted = settings.ami_port if port_free(settings.ami_port) else None
                floor.asterisk = start_asterisk(wanted)
                env["CONCORD_AMI_PORT"] = str(floor.asterisk.ami_port)
                env["CONCORD_RECORDINGS_DIR"] = str(floor.asterisk.recordings_dir)
                say(f"asterisk  AMI on 127.0.0.1:{floor.asterisk.ami_port}")
                if wanted is None:
                    say(
                        f"          ({settings.ami_port} was taken: set CONCORD_AMI_PORT="
                        f"{floor.asterisk.ami_port} for commands run beside the floor)"
                    )
            except (ServiceError, subprocess.CalledProcessError) as exc:
                say(f"asterisk  NOT started ({exc}); the dialer will not run")
        os.environ.update(env)
        migrate(settings.database_url)
        _seed_if_empty(settings, seed, say, floor.redis.url)

        smtp_port, sms_port = free_port(), free_port()
        env["CONCORD_SMTP_PORT"] = str(smtp_port)
        env["CONCORD_SMS_PROVIDER_URL"] = f"http://127.0.0.1:{sms_port}"
        mail_dir = ("--mail-dir", str(var / "mail"))
        children = [
            ("mail", _concord("outreach", "mailcatcher", "--port", str(smtp_port), *mail_dir)),
            ("sms", _concord("outreach", "sms-standin", "--port", str(sms_port))),
            ("web", _concord("web", "--host", host, "--port", str(port))),
            ("worker", _concord("worker")),
        ]
        if floor.asterisk is not None:
            children.append(("dialer", _concord("dialer")))
        for name, argv in children:
            floor.start(name, argv, env)
        wait_for_port(port, timeout=30)
        if floor.asterisk is not None:
            # No SIP phones here: seat a simulated softphone per agent so Ready gets real calls.
            subprocess.run(_concord("dialer", "softphones"), env=env, check=False)
        say(f"\nConcord is up: http://{host}:{port}/  (mail caught in {var / 'mail'})")
        if floor.asterisk is None:  # said last, where it is read: screens work, calls do not
            why = "see above for why" if with_asterisk else "--no-asterisk"
            say(f"NO CALLS: no phone system (Asterisk) runs, so no dialer ({why}).")
        say("Ctrl-C stops everything.")
        return _watch(floor)
    except KeyboardInterrupt:
        return 0
    finally:
        floor.stop()


#: A child that dies is started again, up to this many times in RESTART_WINDOW_S; past that
#: something is wrong for good (a port taken, a broken install) and the floor stops.
RESTARTS = 5
RESTART_WINDOW_S = 600.0


def _watch(floor: Floor, restarts: int = RESTARTS, window_s: float = RESTART_WINDOW_S) -> int:
    """Block until Ctrl-C, starting again a child that died: one crashed dialer or worker (a
    Redis stall once ended the dialer) stopped everything, web console and live calls with it.
    The dialer started again takes its live calls back from Asterisk. A child dying over and
    over stops the floor, reported, not silently retried."""
    died: dict[str, list[float]] = {}
    while True:
        for index, (name, child) in enumerate(floor.children):
            code = child.poll()
            if code is None:
                continue
            now = time.monotonic()
            recent = [t for t in died.get(name, []) if now - t < window_s] + [now]
            died[name] = recent
            if len(recent) > restarts:
                print(
                    f"{name} exited with status {code}, {len(recent)} times in "
                    f"{window_s / 60:.0f} minutes; stopping",
                    file=sys.stderr,
                )
                return 1
            print(f"{name} exited with status {code}; starting it again", file=sys.stderr)
            argv = floor.commands[name]
            floor.children[index] = (
                name,
                subprocess.Popen(argv, env=floor.env, start_new_session=True),
            )
        time.sleep(0.5)
