"""Why a number on the agent's screen is not dialled any more, in words the agent can repeat."""

from __future__ import annotations

from datetime import UTC, datetime

from console.template_helpers import phone_retired
from core.models import Phone
from core.models.parties import KEYPAD_OPT_OUT_BY

AT = datetime(2026, 11, 30, 18, 5, tzinfo=UTC)


def test_a_number_says_why_it_is_not_called_or_nothing_while_it_is() -> None:
    assert phone_retired(Phone(debtor_id=1, number="+12025550143")) == ""
    asked = Phone(debtor_id=1, number="+12025550143", no_calls_at=AT, updated_by="ana")
    assert phone_retired(asked) == "no calls here since 2026-11-30 (asked)"
    keyed = Phone(debtor_id=1, number="+12025550143", no_calls_at=AT, updated_by=KEYPAD_OPT_OUT_BY)
    assert phone_retired(keyed) == "no calls here since 2026-11-30 (pressed 9 at our message)"
    wrong = Phone(debtor_id=1, number="+12025550143", wrong_number_at=AT, no_calls_at=AT)
    assert phone_retired(wrong) == "wrong number since 2026-11-30"
