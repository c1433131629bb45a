"""Shared column shapes: audit stamps, JSON columns, money in minor units.

Money is stored as integer minor units (cents) so sums are exact and fast; Decimal converts at
the edges (import, forms, reports). Every row that matters records who changed it and when.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timezone-aware now, for audit stamps written by adapters (never by domain cores)."""
    return datetime.now(UTC)


class Audited(SQLModel):
    """Who changed the row and when; set by repositories, kept on every business table."""

    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_by: str = Field(default="system", max_length=120)


def json_column(default: Any = None) -> Any:
    """A JSON column with a fresh default per row (lists and dicts are never shared)."""
    factory = list if default is list else dict
    return Field(default_factory=factory, sa_column=Column(JSON, nullable=False))


def to_minor(amount: Decimal, exponent: int = 2) -> int:
    """Decimal amount to integer minor units; refuses fractions of a minor unit."""
    scaled = amount.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more than {exponent} decimal places")
    return int(scaled)


def from_minor(minor: int, exponent: int = 2) -> Decimal:
    """Integer minor units back to a Decimal amount with the currency's places."""
    return Decimal(minor).scaleb(-exponent)
