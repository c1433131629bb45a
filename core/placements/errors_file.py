"""The downloadable error file: one CSV line per refused field (line, field, value, reason).

Clients open it in a spreadsheet, so cells that a spreadsheet would run as a formula are
prefixed with a quote (OWASP CSV injection), and huge values are cut to stay readable.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from core.placements.rows import RowError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_VALUE = 200


def safe_cell(value: str) -> str:
    """The value as a spreadsheet will show it, never as a formula it would evaluate."""
    cut = value if len(value) <= MAX_VALUE else value[:MAX_VALUE] + "…"
    return "'" + cut if cut.startswith(FORMULA_STARTS) else cut


def default_error_path(source: Path) -> Path:
    """Next to the input: placements.csv -> placements.errors.csv."""
    return source.with_name(f"{source.stem}.errors.csv")


def write_error_file(path: Path, errors: Iterable[RowError]) -> int:
    """Write the errors as CSV UTF-8 (with BOM so Excel reads accents); returns rows written."""
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["line", "field", "value", "reason"])
        for error in errors:
            writer.writerow([error.line, error.field, safe_cell(error.value), error.reason])
            written += 1
    return written
