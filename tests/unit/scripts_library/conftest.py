"""Builders for small scripts written to disk, so each lint test changes one thing only."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

# A clean collector first-contact script: greet -> verify -> full disclosure -> the debt -> ends.
CLEAN: dict[str, Any] = {
    "name": "tiny",
    "version": 1,
    "title": "Tiny test script",
    "language": "en",
    "contact_type": "collector_first_contact",
    "start": "greet",
    "nodes": {
        "greet": {
            "say": "Hi, this is {{ agent.first_name }}. This call may be recorded. Is this "
            "{{ debtor.first_name }}?",
            "answers": [
                {"label": "Yes", "next": "verify"},
                {"label": "No", "next": "bye"},
            ],
        },
        "verify": {
            "kind": "disclosure",
            "disclosure": "right_party_verification",
            "say": "Can you tell me your date of birth?",
            "answers": [
                {"label": "Matches", "next": "miranda", "completes": True},
                {"label": "Does not match", "next": "bye"},
            ],
        },
        "miranda": {
            "kind": "disclosure",
            "disclosure": "debt_collector_first",
            "say": "I work for {{ agency.name }}. We are a debt collector. This is an "
            "attempt to collect a debt. We will use what you tell us for that purpose.",
            "answers": [{"label": "Read", "next": "balance", "completes": True}],
        },
        "balance": {
            "say": "Your balance is {{ account.balance }}. Can you pay it?",
            "answers": [
                {"label": "Yes", "next": "promise"},
                {"label": "No", "next": "bye"},
            ],
        },
        "promise": {"kind": "end", "disposition": "promise", "say": "Thank you. Goodbye."},
        "bye": {"kind": "end", "disposition": "third_party", "say": "Thank you. Have a good day."},
    },
}


@pytest.fixture
def clean() -> dict[str, Any]:
    """A fresh copy of the clean script to break in one place."""
    return copy.deepcopy(CLEAN)


@pytest.fixture
def write_script(tmp_path: Path) -> Callable[..., Path]:
    """Write a script dict (or raw text) as YAML and return its path."""

    def write(data: dict[str, Any] | str, name: str = "tiny.en.v1.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
