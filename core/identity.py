"""Checking what a person says against the file, without showing the file: the agent's check
on a call, and the payment page's before it takes a card.

On a call, the script asks the person for their date of birth and ZIP code before anything
about the debt is said, and the screen keeps both masked until the right party is verified, so
a third party learns nothing from an agent reading them out. But then the agent could only
press "Details match" on faith. The agent types what the person said; this says whether it
matches, field by field, and never what is on file.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class IdentityCheck:
    """The verdict for each detail given: True matches, False does not, None not checked."""

    birth: bool | None
    postal: bool | None
    words: str

    @property
    def tone(self) -> str:
        """How the screen colours the verdict: a mismatch warns, a match is ok."""
        if False in (self.birth, self.postal):
            return "warn"
        return "ok" if self.birth or self.postal else "muted"


def _postal(text: str) -> str:
    """A postal code compared as letters and digits (US ZIP+4 by its first five)."""
    cleaned = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    return cleaned[:5] if cleaned.isdigit() else cleaned


def check_identity(
    said_birth: date | None,
    said_postal: str,
    on_file_birth: date | None,
    on_file_postals: list[str],
) -> IdentityCheck:
    """Compare the details the person gave with the debtor's; `words` tells the agent."""
    birth = None if said_birth is None or on_file_birth is None else said_birth == on_file_birth
    known = {_postal(p) for p in on_file_postals if _postal(p)}
    said = _postal(said_postal)
    # Compared in constant time: the payment page answers strangers holding a link.
    postal = None if not said or not known else any(hmac.compare_digest(said, k) for k in known)
    parts = []
    if said_birth is not None:
        parts.append(
            "no date of birth on file" if birth is None
            else "date of birth matches" if birth else "date of birth does NOT match"
        )  # fmt: skip
    if said_postal.strip():
        parts.append(
            "no postal code on file" if postal is None
            else "ZIP matches" if postal else "ZIP does NOT match"
        )  # fmt: skip
    words = "; ".join(parts)
    if parts and birth is not False and postal is not False and (birth or postal):
        words += ". Press “Details match”."
    elif False in (birth, postal):
        words += ". Do not discuss the debt: press “Details do not match”."
    return IdentityCheck(birth, postal, words[:1].upper() + words[1:])


def confirms(found: IdentityCheck, on_file_birth: date | None, on_file_postals: list[str]) -> bool:
    """True when the details given match every detail the file holds (a birth date, a postal
    code); never when the file holds neither. What unlocks the debt, for an agent's "Details
    match" and for the payment page alike: one matching detail of two is no proof."""
    has_postal = any(_postal(p) for p in on_file_postals)
    if on_file_birth is None and not has_postal:
        return False
    return (on_file_birth is None or found.birth is True) and (
        not has_postal or found.postal is True
    )
