"""Helpers for outreach integration tests: seeding, clocks, polling, service handles."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import Message
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import Session

from core.models import (
    Account,
    Address,
    Client,
    ContactAttempt,
    Debtor,
    DispositionCode,
    Email,
    Phone,
    Portfolio,
    PromiseToPay,
)
from outreach.jobs import Runtime

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


class _Sink:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(
                email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            )
        return "250 OK"


@dataclass
class SmtpSink:
    port: int
    handler: _Sink

    @property
    def messages(self) -> list[Message]:
        with self.handler.lock:
            return list(self.handler.messages)


@dataclass
class SmsStandin:
    url: str
    process: subprocess.Popen[bytes]

    def messages(self) -> list[dict[str, Any]]:
        return list(httpx.get(f"{self.url}/v1/messages").json()["messages"])

    def posts(self) -> int:
        return int(httpx.get(f"{self.url}/v1/messages").json()["posts"])

    def control(self, **values: Any) -> dict[str, Any]:
        result: dict[str, Any] = httpx.post(f"{self.url}/_control", json=values).json()
        return result


# Places where "now" is daytime for some US territory or India: whatever hour CI runs at, one of
# them lets a worker that reads the real clock send at once. (profile, country, state, postal,
# mobile number).
PLACES = [
    ("us", "US", "NY", "10001", "+12125550123", "America/New_York", 20 * 60 + 30),
    ("us", "US", "PR", "00901", "+17875550123", "America/Puerto_Rico", 20 * 60 + 30),
    ("us", "US", "HI", "96813", "+18085550123", "Pacific/Honolulu", 20 * 60 + 30),
    ("us", "US", "GU", "96910", "+16715550123", "Pacific/Guam", 20 * 60 + 30),
    ("in", "IN", "", "", "+919876543210", "Asia/Kolkata", 18 * 60 + 30),
]


def daytime_place(now: datetime) -> tuple[str, str, str, str, str]:
    """A place whose local time is inside its calling hours for the next half hour."""
    for profile, country, state, postal, number, zone, last in PLACES:
        local = now.astimezone(ZoneInfo(zone))
        minute = local.hour * 60 + local.minute
        if 9 * 60 <= minute <= last:
            return profile, country, state, postal, number
    raise AssertionError(f"no daytime place at {now}")  # PLACES cover all 24 hours


@dataclass
class Seeded:
    client: Client
    portfolio: Portfolio
    debtor: Debtor
    account: Account
    phone: Phone
    email: Email
    codes: dict[str, DispositionCode] = field(default_factory=dict)


def seed_account(
    session: Session,
    *,
    n: int = 1,
    place: tuple[str, str, str, str, str] = ("us", "US", "NY", "10001", "+12125550123"),
    language: str = "en",
    followups: dict[str, Any] | None = None,
    **debtor_fields: Any,
) -> Seeded:
    """A client, portfolio, debtor (address, consented mobile, email) and account; committed."""
    profile, country, state, postal, number = place
    client = session.get(Client, 1) or Client(
        id=1, code="acme", name="Acme Bank", business_name="Acme Services",
        callback_number="+18005550100",
    )  # fmt: skip
    session.add(client)
    portfolio = session.get(Portfolio, 1) or Portfolio(
        id=1, client_id=1, name="2026-Q1", calling_profile=profile,
        followup_templates=followups or {},
    )  # fmt: skip
    session.add(portfolio)
    debtor = Debtor(
        client_id=1, first_name=f"Maria{n}", last_name="Lopez", preferred_language=language,
        date_of_birth=date(1980, 5, 17), **debtor_fields,
    )  # fmt: skip
    session.add(debtor)
    session.flush()
    session.add(Address(debtor_id=debtor.id or 0, country=country, state=state, postal_code=postal))
    phone = Phone(debtor_id=debtor.id or 0, number=number, type="mobile", consent=True)
    mail = Email(debtor_id=debtor.id or 0, address=f"maria{n}@example.test")
    account = Account(
        client_id=1, portfolio_id=1, debtor_id=debtor.id or 0,
        client_account_number=f"ACME-{n:04d}-7731", balance_minor=84_000, principal_minor=84_000,
    )  # fmt: skip
    session.add_all([phone, mail, account])
    codes = {}
    for code, category in (("PTP", "promise"), ("NA", "no_contact"), ("PLAN", "plan")):
        row = session.get(DispositionCode, {"PTP": 1, "NA": 2, "PLAN": 3}[code]) or DispositionCode(
            id={"PTP": 1, "NA": 2, "PLAN": 3}[code], client_id=1, code=code, label=code,
            category=category,
        )  # fmt: skip
        session.add(row)
        codes[code] = row
    session.commit()
    return Seeded(client, portfolio, debtor, account, phone, mail, codes)


def promise_attempt(
    session: Session, seeded: Seeded, at: datetime, amount_minor: int = 15_000,
    due: date | None = None,
) -> tuple[ContactAttempt, PromiseToPay]:  # fmt: skip
    """A call that ended in a promise to pay, as the console saves it (not yet committed)."""
    attempt = ContactAttempt(
        account_id=seeded.account.id or 0, debtor_id=seeded.debtor.id or 0, channel="call",
        started_at=at, outcome="conversation", disposition_code_id=seeded.codes["PTP"].id,
    )  # fmt: skip
    session.add(attempt)
    session.flush()
    promise = PromiseToPay(
        account_id=seeded.account.id or 0, amount_minor=amount_minor,
        due_date=due or (at + timedelta(days=10)).date(), contact_attempt_id=attempt.id,
    )  # fmt: skip
    session.add(promise)
    session.flush()
    return attempt, promise


def at_clock(runtime: Runtime, when: datetime) -> None:
    """Jobs in this process will see `when` as now (the worker reads runtime.clock)."""
    runtime.clock = lambda: when


def run_worker(runtime: Runtime) -> None:
    from rq import SimpleWorker

    SimpleWorker([runtime.queue], connection=runtime.queue.connection).work(
        burst=True, with_scheduler=True
    )


def wait_until(condition: Callable[[], Any], timeout: float = 20.0, what: str = "") -> Any:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or condition}")


NY = ZoneInfo("America/New_York")


def ny(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NY).astimezone(UTC)
