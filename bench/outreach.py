"""Messages per minute for one outreach worker against the local stand-ins.

Starts its own redis-server, SQLite file, aiosmtpd server and stand-in SMS provider, plans
`messages` follow-ups (half SMS, half email: promise confirmations), then times one real
`worker --burst` process (a fork per job, as in production; `--simple` runs jobs in-process)
from start until every message is recorded as sent.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller
from redis import Redis
from sqlmodel import Session, func, select

from core.db import make_engine, migrate
from core.localservices import free_port, start_redis, wait_for_port
from core.models import (
    Account,
    Address,
    Client,
    ContactAttempt,
    Debtor,
    Email,
    Phone,
    Portfolio,
    PromiseToPay,
)
from outreach.config import OutreachSettings
from outreach.followups import enqueue_followups
from outreach.jobs import outreach_queue
from outreach.models import OutreachMessage

REPO = Path(__file__).resolve().parent.parent
# (profile, country, state, postal, mobile, zone): one of these is in calling hours at any hour.
PLACES = [
    ("us", "US", "NY", "10001", "+12125550123", "America/New_York"),
    ("us", "US", "HI", "96813", "+18085550123", "Pacific/Honolulu"),
    ("us", "US", "GU", "96910", "+16715550123", "Pacific/Guam"),
    ("in", "IN", "", "", "+919876543210", "Asia/Kolkata"),
]


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def _place(now: datetime) -> tuple[str, str, str, str, str]:
    for profile, country, state, postal, number, zone in PLACES:
        local = now.astimezone(ZoneInfo(zone))
        if 9 <= local.hour < 18:
            return profile, country, state, postal, number
    raise RuntimeError("no place is in calling hours now")


def _seed(session: Session, accounts: int, now: datetime) -> list[int]:
    profile, country, state, postal, number = _place(now)
    session.add(Client(id=1, code="bench", name="Bench Bank", callback_number="+18005550100"))
    only_confirmations: dict[str, Any] = {
        "triggers": {"promise_reminder": [], "broken_promise": []},
    }
    session.add(Portfolio(id=1, client_id=1, name="bench", calling_profile=profile,
                          followup_templates=only_confirmations))  # fmt: skip
    attempts = []
    for n in range(accounts):
        debtor = Debtor(client_id=1, first_name=f"D{n}", last_name="Bench")
        session.add(debtor)
        session.flush()
        did = debtor.id or 0
        session.add(Address(debtor_id=did, country=country, state=state, postal_code=postal))
        # Each debtor's own mobile: a number two people share gets no texts.
        own = f"{number[:-5]}{n:05d}"
        session.add(Phone(debtor_id=did, number=own, consent=True))
        session.add(Email(debtor_id=did, address=f"d{n}@bench.test"))
        account = Account(client_id=1, portfolio_id=1, debtor_id=did,
                          client_account_number=f"B-{n:06d}", balance_minor=50_000)  # fmt: skip
        session.add(account)
        session.flush()
        attempt = ContactAttempt(account_id=account.id or 0, debtor_id=did, channel="call",
                                 started_at=now, outcome="conversation")  # fmt: skip
        session.add(attempt)
        session.flush()
        session.add(PromiseToPay(account_id=account.id or 0, amount_minor=10_000,
                                 due_date=date.today() + timedelta(days=7),
                                 contact_attempt_id=attempt.id))  # fmt: skip
        attempts.append(attempt.id or 0)
    session.commit()
    return attempts


def main(messages: int = 2000, simple: bool = False) -> None:
    """Print messages per minute for one worker sending `messages` follow-ups."""
    accounts = max(messages // 2, 1)
    workdir = Path(tempfile.mkdtemp(prefix="concord-bench-outreach-"))
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    redis = start_redis(appendonly=True)
    counter = _Counter()
    smtp = Controller(counter, hostname="127.0.0.1", port=free_port())
    smtp.start()
    sms_port = free_port()
    standin = subprocess.Popen(
        [sys.executable, "-m", "outreach.sms_standin", "--port", str(sms_port)], cwd=REPO
    )
    worker = None
    try:
        wait_for_port(sms_port, 20)
        migrate(db_url)
        engine = make_engine(db_url)
        now = datetime.now(UTC)
        config = OutreachSettings()
        queue = outreach_queue(Redis.from_url(redis.url), config)
        with Session(engine) as session:
            for attempt_id in _seed(session, accounts, now):
                enqueue_followups(session, attempt_id, queue=queue, config=config, now=now)
            session.commit()
        env = {
            **os.environ,
            "CONCORD_ENVIRONMENT": "test",
            "CONCORD_DATABASE_URL": db_url,
            "CONCORD_REDIS_URL": redis.url,
            "CONCORD_SMTP_PORT": str(smtp.port),
            "CONCORD_SMS_PROVIDER_URL": f"http://127.0.0.1:{sms_port}",
            "CONCORD_PUBLIC_BASE_URL": "http://127.0.0.1:9",
        }
        args = [sys.executable, "-m", "outreach.cli", "worker", "--burst"]
        args += ["--simple"] if simple else []
        started = time.monotonic()
        worker = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
        worker.wait()
        elapsed = time.monotonic() - started
        with Session(engine) as session:
            sent = session.exec(select(func.count()).where(OutreachMessage.status == "sent")).one()
        engine.dispose()
        queue.connection.close()
        kind = "in-process (--simple)" if simple else "fork per job"
        print(f"outreach worker ({kind}): {sent}/{accounts * 2} messages sent in {elapsed:.1f} s")
        print(
            f"  SMTP received {counter.count} emails; stand-in SMS received {sent - counter.count}"
        )
        print(f"  {sent / elapsed * 60:,.0f} messages per minute for one worker")
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        standin.terminate()
        standin.wait(10)
        smtp.stop()
        redis.stop()
