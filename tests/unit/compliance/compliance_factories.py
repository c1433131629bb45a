"""Builders for contacts in the compliance tests: a New York State debtor by default (Albany,
outside New York City, so only the federal caps apply), each test changing only what its case
is about."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from compliance.contact import Contact

NY_LANDLINE = "+12125550100"
ALBANY = {"state": "NY", "postal_code": "12207", "country": "US"}
BOSTON = {"state": "MA", "postal_code": "02108", "country": "US"}
BROOKLYN = {"state": "NY", "postal_code": "11201", "country": "US"}
LA_MOBILE = "+13105550100"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def attempt(
    at: str, outcome: str = "no_answer", channel: str = "call", account: str = "A1"
) -> dict[str, Any]:
    return {"at": at, "channel": channel, "account": account, "outcome": outcome}


def contact(
    *,
    channel: str = "call",
    to: str = NY_LANDLINE,
    profile: str = "us",
    addresses: list[dict[str, Any]] | None = None,
    history: list[dict[str, Any]] | None = None,
    account_flags: list[str] | None = None,
    portfolio: dict[str, Any] | None = None,
    consents: list[dict[str, Any]] | None = None,
    **debtor: Any,
) -> Contact:
    return Contact.model_validate(
        {
            "channel": channel,
            "to": to,
            "profile": profile,
            "portfolio": portfolio,
            "debtor": {
                "addresses": addresses if addresses is not None else [ALBANY],
                **debtor,
            },
            "account": {"id": "A1", "flags": account_flags or []},
            "history": history or [],
            "consents": consents or [],
        }
    )
