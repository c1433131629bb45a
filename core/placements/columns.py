"""Canonical placement columns and the per-client mapping of a client's own headers onto them.

Clients export from their own systems with their own headers ("Acct No", "Surname"); a mapping
file (YAML or JSON: client header -> canonical column) translates them once and is kept on the
client so the next placement from the same client imports without it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.placements.exceptions import PlacementFileError

CANONICAL_COLUMNS: tuple[str, ...] = (
    "client_account_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "address_line1",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
    "phone_type",
    "email",
    "original_creditor",
    "principal",
    "interest",
    "fees",
    "balance",
    "currency",
    "delinquency_date",
    "charge_off_date",
    "last_payment_date",
)
# Without these an account cannot be worked or even told apart; every other column may be absent.
REQUIRED_COLUMNS: tuple[str, ...] = ("client_account_number", "first_name", "last_name", "balance")

MAPPING_SETTING = "column_mapping"


def normalize_header(header: str) -> str:
    """Header text as compared: case, surrounding blanks, spaces and dashes do not matter."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def check_mapping(raw: object, source: str) -> dict[str, str]:
    """A mapping as stored: normalized client header -> canonical column, every target checked."""
    if not isinstance(raw, Mapping):
        raise PlacementFileError(f"{source}: a mapping must be 'client header: canonical column'")
    mapping: dict[str, str] = {}
    for header, target in raw.items():
        if not isinstance(header, str) or not isinstance(target, str):
            raise PlacementFileError(f"{source}: {header!r}: {target!r} is not text to text")
        canonical = normalize_header(target)
        if canonical not in CANONICAL_COLUMNS:
            raise PlacementFileError(
                f"{source}: {header!r} maps to {target!r}, which is not a placement column "
                f"(choose from {', '.join(CANONICAL_COLUMNS)})"
            )
        mapping[normalize_header(header)] = canonical
    return mapping


def load_mapping_file(path: Path) -> dict[str, str]:
    """Read a YAML or JSON mapping file; JSON is a subset of YAML but gets its own clear errors."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlacementFileError(f"mapping file {path}: cannot be read ({exc})") from exc
    try:
        raw = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise PlacementFileError(f"mapping file {path}: not valid YAML/JSON ({exc})") from exc
    return check_mapping(raw, f"mapping file {path}")


@dataclass(frozen=True, slots=True)
class Header:
    """Where each canonical column sits in the file's rows (absent optional columns are missing)."""

    positions: dict[str, int]
    width: int


def resolve_header(cells: Sequence[str], mapping: Mapping[str, str]) -> Header:
    """Map the file's header cells to canonical columns, refusing unknown or missing ones by name.

    Unknown columns are refused rather than dropped: an unmapped column usually means a mapping
    mistake, and silently losing a client's phone column would be worse than a clear refusal.
    """
    positions: dict[str, int] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    for index, cell in enumerate(cells):
        key = normalize_header(cell)
        canonical = mapping.get(key, key)
        if canonical not in CANONICAL_COLUMNS:
            unknown.append(cell)
        elif canonical in positions:
            duplicated.append(f"{cell!r} (also column {positions[canonical] + 1})")
        else:
            positions[canonical] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    problems: list[str] = []
    if missing:
        problems.append("missing required columns: " + ", ".join(missing))
    if unknown:
        problems.append(
            "unknown columns: "
            + ", ".join(repr(u) for u in unknown)
            + " (rename them or map them with --mapping)"
        )
    if duplicated:
        problems.append("columns given twice: " + ", ".join(duplicated))
    if problems:
        raise PlacementFileError("wrong header: " + "; ".join(problems), line=1)
    return Header(positions=positions, width=len(cells))
