"""`concord bench ledger [--answered N]`: reading a campaign's 30-day abandon ledger.

The lead page shows each campaign's ledger on every poll (every 3 s) and the dialer reads it at
every start, so it must stay quick at real volumes. A campaign of 50 agents connects about
130,000 calls in 30 days. The bench fills a fresh, migrated SQLite database with `answered` live
answers of one campaign (5% of the connects dispositioned as an answering machine), as many
other attempts, and the same again for a second campaign. It times (median of five) the whole
ledger, the dialer's 30-second `no_live_person` read and a lead page poll once the past is kept,
then the whole ledger again without the covering index the read is built on.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from bench import BenchUsageError
from console.services.ledgers import Ledgers
from core.db import make_engine, migrate
from dialer import store

CAMPAIGNS = (1, 2)
LEDGER_INDEX = "ix_contactattempt_campaign_ledger"
OUTCOMES = ("no_answer", "busy", "voicemail", "not_connected")
LIVE = ("conversation",) * 39 + ("abandoned",)  # 2.5% abandoned


def _fill(url: str, answered: int, now: datetime) -> int:
    """Inserts the attempts with foreign keys off (no accounts needed); returns rows written."""
    rng = random.Random(11)
    rows = []
    for n in range(answered * 2 * len(CAMPAIGNS)):
        started = now - timedelta(seconds=rng.uniform(0, 30 * 86_400))
        stamp = started.strftime("%Y-%m-%d %H:%M:%S.%f")
        live = n % 2 == 0
        outcome = rng.choice(LIVE) if live else rng.choice(OUTCOMES)
        machine = 1 if outcome == "conversation" and rng.random() < 0.05 else None
        campaign = CAMPAIGNS[n // 2 % len(CAMPAIGNS)]
        rows.append((stamp, campaign, outcome, machine, f"cc-bench-{n}"))
    engine = make_engine(url)
    with engine.begin() as db:
        db.exec_driver_sql("PRAGMA foreign_keys=OFF")
        db.exec_driver_sql(
            "INSERT INTO dispositioncode (id, client_id, code, label, category, requires, active,"
            " created_at, updated_at, updated_by) VALUES (1, 1, 'MACH', 'Answering machine',"
            " 'no_contact', '[]', 1, '2026-01-01', '2026-01-01', 'bench')"
        )
        db.exec_driver_sql(
            "INSERT INTO contactattempt (account_id, debtor_id, channel, direction, to_address,"
            " started_at, campaign_id, outcome, disposition_code_id, call_id, created_at,"
            " updated_at, updated_by, recording_ref, script_name, script_version, script_variant,"
            " script_path, compliance, notes) VALUES (1, 1, 'call', 'outbound', '', ?, ?, ?, ?,"
            " ?, ?, ?, 'bench', '', '', '', '', '[]', '{}', '')",
            [(s, c, o, m, i, s, s) for s, c, o, m, i in rows],
        )
    engine.dispose()
    return len(rows)


def _median_ms(read: Callable[[], object]) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        read()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(answered: int = 130_000) -> None:
    """Prints the ledger read times for one campaign with `answered` live answers in 30 days."""
    if answered < 1:
        raise BenchUsageError("--answered must be at least 1")
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'ledger.db'}"
        migrate(url)
        started = time.perf_counter()
        written = _fill(url, answered, now)
        print(f"{written:,} attempts written in {time.perf_counter() - started:.1f} s")
        engine = make_engine(url)
        with Session(engine) as session:
            ledger = store.abandon_ledger(session, CAMPAIGNS[0], now.date())
            rate = ledger.rate_30d(now.date())
            ledger_ms = _median_ms(lambda: store.abandon_ledger(session, 1, now.date()))
            since = now.date() - timedelta(days=1)
            machines_ms = _median_ms(lambda: store.no_live_person(session, 1, since))
            ledgers = Ledgers()
            ledgers.of(session, 1, now.date())  # the lead page's first poll reads the past
            poll_ms = _median_ms(lambda: ledgers.of(session, 1, now.date()))
            session.exec(text(f"DROP INDEX {LEDGER_INDEX}"))  # type: ignore[call-overload]
            unindexed_ms = _median_ms(lambda: store.abandon_ledger(session, 1, now.date()))
        engine.dispose()
    print(f"campaign 1: {rate.live:,} live answers, {rate.abandoned:,} abandoned in 30 days")
    print(f"abandon_ledger (30 days):       {ledger_ms:7.1f} ms")
    print(f"no_live_person (2 days):        {machines_ms:7.1f} ms")
    print(f"lead page poll (past kept):     {poll_ms:7.1f} ms")
    print(f"abandon_ledger without {LEDGER_INDEX}: {unindexed_ms:.1f} ms")
