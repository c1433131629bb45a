"""`concord bench qa_audit [--accounts N] [--calls K]`: QA's audit of a week's contact log.

The audit replays every outbound contact of a period against the whole log (qa.audit), so its
cost grows with the floor. A 25-agent predictive floor places about 11,000 calls a day; the
default fills a fresh, migrated SQLite database with 20,000 accounts of one debtor each (a New
York or a California address and a phone of that state) and `calls` calls per account spread
over the week audited (80,000 contacts: a week of that floor), plus 10 days of older calls the
replay reads as history, then prints the audit's time, contacts per second and peak memory.
"""

from __future__ import annotations

import random
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

from bench import BenchUsageError
from core.db import make_engine, migrate
from core.models import Account, Address, Client, ContactAttempt, Debtor, Phone, Portfolio
from qa.audit_store import audit

STATES = (("NY", "10001", "212"), ("CA", "94103", "415"))
END = datetime(2027, 3, 8, 0, 0, tzinfo=UTC)  # a Monday, midnight UTC


def _rows(model: type[SQLModel], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validated rows with every default filled, ready for one executemany."""
    return [model.model_validate(item).model_dump(exclude={"id"}) for item in items]


def _fill(session: Session, accounts: int, calls: int) -> int:
    rng = random.Random(5)
    ids = range(1, accounts + 1)
    places = [STATES[n % 2] for n in ids]
    numbers = [f"+1{area}555{n % 10_000:04d}" for n, (_, _, area) in zip(ids, places, strict=True)]
    attempts = [
        {
            "account_id": n,
            "debtor_id": n,
            "channel": "call",
            "to_address": numbers[n - 1],
            "started_at": at,
            "outcome": rng.choice(("no_answer", "busy", "voicemail")),
            "compliance": {"allowed": True, "reasons": []},
        }
        for n in ids
        for at in _calls(rng, calls)
    ]
    tables: list[tuple[type[SQLModel], list[dict[str, Any]]]] = [
        (Client, [{"code": "bench", "name": "Bench Bank"}]),
        (Portfolio, [{"client_id": 1, "name": "Cards"}]),
        (Debtor, [{"client_id": 1, "first_name": "D", "last_name": str(n)} for n in ids]),
        (
            Address,
            [
                {"debtor_id": n, "state": p[0], "postal_code": p[1]}
                for n, p in zip(ids, places, strict=True)
            ],
        ),
        (Phone, [{"debtor_id": n, "number": numbers[n - 1]} for n in ids]),
        (Account, [_account(n) for n in ids]),
        (ContactAttempt, attempts),
    ]
    for model, items in tables:
        session.execute(insert(model), _rows(model, items))
    session.commit()
    return len(attempts)


def _calls(rng: random.Random, calls: int) -> list[datetime]:
    """`calls` instants in the week audited, on distinct days, and one in the 10 days before
    it (history the replay reads), each between 18:00 and 23:59 UTC: business hours in New
    York and California alike. No rule is broken, so every contact is replayed in full."""
    days = [*rng.sample(range(1, 8), min(calls, 7)), rng.randint(8, 17)]
    return [
        END - timedelta(days=day) + timedelta(hours=18, minutes=rng.randint(0, 359)) for day in days
    ]


def _account(n: int) -> dict[str, Any]:
    owed = {"principal_minor": 10_000, "balance_minor": 10_000}
    return {
        "client_id": 1,
        "portfolio_id": 1,
        "debtor_id": n,
        "client_account_number": f"B{n}",
        **owed,
    }


def _filled(url: str, accounts: int, calls: int) -> tuple[int, float]:
    """Fills the database in a child process, so the peak memory printed is the audit's."""
    started = time.perf_counter()
    engine = make_engine(url)
    with Session(engine) as session:
        written = _fill(session, accounts, calls)
    engine.dispose()
    return written, time.perf_counter() - started


def main(accounts: int = 20_000, calls: int = 4) -> None:
    """Prints how long QA's audit of a week with `accounts` x `calls` contacts takes."""
    if accounts < 1 or not 1 <= calls <= 7:
        raise BenchUsageError("--accounts must be at least 1 and --calls from 1 to 7 (a week)")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate(url)
        with ProcessPoolExecutor(1) as child:
            written, filling = child.submit(_filled, url, accounts, calls).result()
        print(f"filled {accounts:,} accounts and {written:,} attempts in {filling:.1f} s")
        engine = make_engine(url)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with Session(engine) as session:
            started = time.perf_counter()
            report = audit(session, END - timedelta(days=7), END, None)
            seconds = time.perf_counter() - started
        engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"audited {report.contacts:,} contacts of a week in {seconds:.1f} s "
        f"({report.contacts / seconds:,.0f} contacts/s); findings: {report.total_findings}"
    )
    print(f"peak memory {peak / 1024:.0f} MB ({before / 1024:.0f} MB before the audit)")
