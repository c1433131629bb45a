"""The `concord compliance check` line protocol: one JSON object in, one JSON object out.

Kept apart from the CLI so tests, the console and batch jobs answer lines the same way. A bad
line gets an error naming the field and never stops the other lines being answered.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import AwareDatetime, ValidationError

from compliance.contact import Contact
from compliance.engine import Decision, decide


class CheckLine(Contact):
    """A contact plus the line's id and the instant to decide about."""

    id: str | int
    at: AwareDatetime

    def contact(self) -> Contact:
        return Contact.model_validate(self.model_dump(exclude={"id", "at"}))


def utc_text(at: datetime) -> str:
    """ISO 8601 in UTC with a Z, as compliance officers' tools expect."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _field_errors(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"]) or "line"
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{field}: {message}")
    return "; ".join(parts)


def answer(decision: Decision, line_id: str | int) -> dict[str, Any]:
    when = decision.next_allowed_at
    return {
        "id": line_id,
        "allowed": decision.allowed,
        "reasons": [str(r) for r in decision.reasons],
        "next_allowed_at": None if when is None else utc_text(when),
    }


def answer_line(text: str, number: int) -> dict[str, Any]:
    """The answer to one input line (`number` counts from 1, to name a line that has no id)."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        why = f"not valid JSON ({exc.msg}, column {exc.colno})"
        return {"id": None, "error": f"line {number}: {why}"}
    if not isinstance(raw, dict):
        return {"id": None, "error": f"line {number}: expected a JSON object"}
    line_id = raw.get("id")
    try:
        line = CheckLine.model_validate(raw)
    except ValidationError as exc:
        return {"id": line_id, "error": _field_errors(exc)}
    return answer(decide(line.contact(), line.at), line.id)
