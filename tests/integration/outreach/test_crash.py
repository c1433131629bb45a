"""A real `worker` process killed with SIGKILL mid-send, then a Redis crash and restart with
append-only persistence: every follow-up still goes out, and none goes out twice."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from outreach_support import (
    REPO,
    SmsStandin,
    SmtpSink,
    daytime_place,
    promise_attempt,
    seed_account,
    wait_until,
)
from redis import Redis
from sqlmodel import Session, select

from core.localservices import RedisServer
from outreach.config import OutreachSettings
from outreach.followups import enqueue_followups
from outreach.jobs import outreach_queue
from outreach.models import MessageStatus, OutreachMessage

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ACCOUNTS = 6


def _worker(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "outreach.cli", "worker", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _descendants(pid: int) -> list[int]:
    """Child processes of `pid`, recursively (RQ's work-horse calls setsid, so it leaves the
    worker's process group and must be found by parent id)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _crash(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker and everything it started, as a machine crash would."""
    for pid in [*_descendants(process.pid), process.pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(10)


def _due_now(session: Session) -> list[OutreachMessage]:
    session.expire_all()
    rows = session.exec(
        select(OutreachMessage).where(OutreachMessage.trigger == "promise_confirmation")
    )
    return list(rows)


def test_sigkilled_worker_and_redis_restart_lose_nothing_and_duplicate_nothing(
    session: Session,
    redis_server: RedisServer,
    redis_url: str,
    db_url: str,
    smtp_sink: SmtpSink,
    sms_standin: SmsStandin,
) -> None:
    now = datetime.now(UTC)
    place = daytime_place(now)
    config = OutreachSettings(lease_seconds=3)
    queue = outreach_queue(Redis.from_url(redis_url), config)
    for n in range(1, ACCOUNTS + 1):
        # Each debtor's own mobile: a number two people share gets no texts (outreach.followups).
        own = (*place[:4], f"{place[4][:-2]}{n:02d}")
        seeded = seed_account(session, n=n, place=own)
        attempt, _ = promise_attempt(session, seeded, now)
        enqueue_followups(session, attempt.id or 0, queue=queue, config=config, now=now)
        session.commit()
    queue.connection.close()
    env = {
        **os.environ,
        "CONCORD_ENVIRONMENT": "test",
        "CONCORD_DATABASE_URL": db_url,
        "CONCORD_REDIS_URL": redis_url,
        "CONCORD_SMTP_PORT": str(smtp_sink.port),
        "CONCORD_SMS_PROVIDER_URL": sms_standin.url,
        "CONCORD_PUBLIC_BASE_URL": "http://127.0.0.1:9",
        "CONCORD_SECRET_KEY": "test-secret",
        "CONCORD_OUTREACH_LEASE_SECONDS": "3",
    }

    first = _worker(env)
    try:
        wait_until(lambda: len(sms_standin.messages()) >= 2, 60, "the first texts")
        # The provider now accepts the next text and holds its answer: the worker is mid-send.
        sms_standin.control(hold_seconds=30)
        wait_until(lambda: sms_standin.control()["holding"] >= 1, 60, "a send in flight")
    finally:
        _crash(first)
    sms_standin.control(hold_seconds=0)
    redis_server.kill()
    redis_server.restart()

    in_flight = [m for m in _due_now(session) if m.status == MessageStatus.SENDING]
    assert len(in_flight) == 1  # the text the provider holds; its answer never came back
    wait_until(
        lambda: all(
            m.lease_until is not None and m.lease_until < datetime.now(UTC)
            for m in _due_now(session)
            if m.status == MessageStatus.SENDING
        ),
        10,
        "the dead worker's lease to run out",
    )
    second = _worker(env, "--burst")
    assert second.wait(120) == 0

    rows = _due_now(session)
    assert len(rows) == 2 * ACCOUNTS
    assert {m.status for m in rows} == {"sent"}, [
        (m.key, m.status, m.last_error) for m in rows if m.status != "sent"
    ]
    texts = sms_standin.messages()
    assert sorted(t["reference"] for t in texts) == sorted(
        m.key for m in rows if m.channel == "sms"
    )
    # Every text was posted once, except the one in flight, re-posted under its idempotency key.
    assert sms_standin.posts() == ACCOUNTS + 1
    assert in_flight[0].key in {t["reference"] for t in texts}
    sms_row = next(m for m in rows if m.key == in_flight[0].key)
    held = next(t for t in texts if t["reference"] == in_flight[0].key)
    assert sms_row.provider_message_id == held["id"]
    mail_keys = [m["X-Concord-Key"] for m in smtp_sink.messages]
    assert sorted(mail_keys) == sorted(m.key for m in rows if m.channel == "email")
