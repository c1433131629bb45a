"""What an agent may read before the right party is verified: nothing that identifies or
confirms the debtor to whoever picked up (15 U.S.C. 1692b, 1692c(b))."""

from __future__ import annotations

from datetime import date

MASK = "•"


def mask_number(number: str, verified: bool, keep: int = 4) -> str:
    """All but the last `keep` characters hidden until verification."""
    if verified or len(number) <= keep:
        return number
    return MASK * (len(number) - keep) + number[-keep:]


def mask_dob(dob: date | None, verified: bool) -> str:
    if dob is None:
        return "unknown"
    return dob.isoformat() if verified else f"{MASK * 4}-{MASK * 2}-{MASK * 2}"
