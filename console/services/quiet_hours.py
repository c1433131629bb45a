"""Hours a debtor said not to be called, every day in their own time, as the debtor row keeps
them (`Debtor.inconvenient_times`, read by the compliance engine: 1692c(a)(1)). Said on a call
(the outcome panel) or in a text (the lead's texts list): one reader for both."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from compliance.contact import WEEKDAYS, InconvenientRange
from compliance.profiles import format_clock
from core.models import Debtor


def every_day(start: str, end: str) -> dict[str, object]:
    """[start, end) every day, as stored; ValueError naming the field when it does not read."""
    try:
        window = InconvenientRange.model_validate({"days": WEEKDAYS, "start": start, "end": end})
    except ValidationError as exc:
        loc = exc.errors()[0]["loc"]
        raise ValueError(str(loc[0]) if loc else "start") from None
    start_at, end_at = format_clock(window.start), format_clock(window.end)
    return {"days": list(WEEKDAYS), "start": start_at, "end": end_at}


def add_quiet(debtor: Debtor, window: dict[str, object], actor: str, now: datetime) -> bool:
    """Adds the window to the debtor's stated times (a new list: JSON columns do not see
    in-place edits); False when it was there already. The caller adds the row."""
    if window in debtor.inconvenient_times:
        return False
    debtor.inconvenient_times = [*debtor.inconvenient_times, window]
    debtor.updated_at, debtor.updated_by = now, actor
    return True
