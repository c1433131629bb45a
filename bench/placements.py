"""`concord bench placements [--rows N]`: placement import speed on a fresh SQLite database.

Target (issue 2): 100,000 rows in at most 30 s on the 2-core reference machine. Prints rows/s and
seconds for a fresh import, a re-import where every balance changed (updates), and a re-import of
the same file (nothing to change). The file is realistic: US addresses with matching area codes,
mixed phone types, decimal amounts, about 1% of rows with the mistakes clients really send.
"""

from __future__ import annotations

import csv
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from core.demo.names import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES
from core.demo.places import PLACES, STREETS
from core.placements.columns import CANONICAL_COLUMNS

BAD_ROW_SHARE = 0.01
TODAY = date(2026, 11, 30)


def _bad(rng: random.Random, row: dict[str, str]) -> None:
    """One of the mistakes client exports really contain."""
    kind = rng.randrange(4)
    if kind == 0:
        row["postal_code"] = row["postal_code"].lstrip("0")[:4]  # spreadsheet ate the zero
    elif kind == 1:
        row["phone"] = "555-12"
    elif kind == 2:
        row["balance"] = "1,234.56"
    else:
        row["date_of_birth"] = "31/12/1980"


def placement_rows(rows: int, seed: int = 7, balance_shift: int = 0) -> list[dict[str, str]]:
    """`rows` placement rows; `balance_shift` cents off every balance models a later file."""
    rng = random.Random(seed)
    weights = [p.weight for p in PLACES]
    out: list[dict[str, str]] = []
    for n in range(rows):
        place = rng.choices(PLACES, weights)[0]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        principal = max(int(rng.lognormvariate(7.0, 1.0) * 100), 2_500)
        interest, fees = principal * rng.randrange(0, 30) // 100, rng.choice((0, 0, 2_500, 3_900))
        delinquent = TODAY - timedelta(days=rng.randrange(45, 2_000))
        paid = delinquent - timedelta(days=rng.randrange(1, 60)) if rng.random() < 0.6 else None
        number = f"{rng.randrange(200, 999)}{rng.randrange(0, 10_000):04d}"
        row = {
            "client_account_number": f"ACC{n:09d}",
            "first_name": first,
            "last_name": last,
            "date_of_birth": (
                TODAY - timedelta(days=rng.randrange(19 * 365, 85 * 365))
            ).isoformat(),
            "address_line1": f"{rng.randrange(1, 9_999)} {rng.choice(STREETS)}",
            "city": place.city,
            "state": place.state,
            "postal_code": f"{rng.randrange(place.zip_low, place.zip_high + 1):05d}",
            "country": "US",
            "phone": f"({rng.choice(place.area_codes)}) {number[:3]}-{number[3:]}",
            "phone_type": rng.choice(("mobile", "mobile", "landline", "work", "cell", "")),
            "email": f"{first.lower()}.{last.lower()}{n}@{rng.choice(EMAIL_DOMAINS)}"
            if rng.random() < 0.7
            else "",
            "original_creditor": rng.choice(("Northwind Bank", "Contoso Card", "Fabrikam Energy")),
            "principal": f"{principal / 100:.2f}",
            "interest": f"{interest / 100:.2f}",
            "fees": f"{fees / 100:.2f}",
            "balance": f"{max(principal + interest + fees - balance_shift, 0) / 100:.2f}",
            "currency": "USD",
            "delinquency_date": delinquent.isoformat(),
            "charge_off_date": (delinquent + timedelta(days=180)).isoformat()
            if (TODAY - delinquent).days > 180
            else "",
            "last_payment_date": paid.isoformat() if paid else "",
        }
        if rng.random() < BAD_ROW_SHARE:
            _bad(rng, row)
        out.append(row)
    return out


def write_placement_file(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    """The rows as a client would send them: UTF-8 CSV with the canonical header."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=CANONICAL_COLUMNS, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _cpu_seconds() -> float:
    """CPU time of this process, printed beside wall time: a shared machine's load stretches
    wall time only. The row-check workers are the forkserver's children, not counted here."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _timed_import(url: str, path: Path, label: str) -> None:
    from core.db import make_engine
    from core.models import utcnow
    from core.placements.service import import_placements
    from core.placements.source import read_placement_file
    from core.placements.store import Stamp

    engine = make_engine(url)
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    with engine.begin() as conn:
        text = read_placement_file(path)
        stamp = Stamp(actor="bench", now=utcnow(), today=TODAY)
        report = import_placements(conn, text, "BENCH", "bench", stamp)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    engine.dispose()
    counts = report.counts
    print(
        f"{label:<22} {report.rows_read:>8,} rows in {seconds:6.2f} s = "
        f"{report.rows_read / seconds:>9,.0f} rows/s, {cpu:6.2f} s CPU in-process  "
        f"(created {counts.created:,}, "
        f"updated {counts.updated:,}, unchanged {counts.unchanged:,}, "
        f"rejected {report.rejected_lines:,})"
    )


def main(rows: int = 100_000) -> None:
    """Generate a realistic placement file and time a fresh import and two re-imports."""
    from core.db import migrate

    with tempfile.TemporaryDirectory(prefix="concord-bench-") as folder:
        base = Path(folder)
        url = f"sqlite:///{base / 'bench.db'}"
        migrate(url)
        first = write_placement_file(base / "placement.csv", placement_rows(rows))
        later = write_placement_file(base / "later.csv", placement_rows(rows, balance_shift=1_000))
        size = first.stat().st_size / 1e6
        print(f"placement file: {rows:,} rows, {size:.1f} MB; SQLite at {url}")
        _timed_import(url, first, "fresh import")
        _timed_import(url, later, "re-import (updates)")
        _timed_import(url, later, "re-import (same file)")
