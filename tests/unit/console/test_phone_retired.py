"""Why a number on the agent's screen is not dialled any more, in words the agent can repeat."""

from __future__ import annotations

from datetime import UTC, datetime

from console.template_helpers import phone_retired
from core.models import Phone, StoppedNumber

AT = datetime(2026, 11, 30, 18, 5, tzinfo=UTC)
NUMBER = "+12025550143"


def test_a_number_says_why_it_is_not_called_or_nothing_while_it_is() -> None:
    assert phone_retired(Phone(debtor_id=1, number=NUMBER), {}) == ""
    asked = Phone(debtor_id=1, number=NUMBER, no_calls_at=AT, updated_by="ana")
    assert phone_retired(asked, {}) == "no calls here since 2026-11-30 (asked)"
    keyed = StoppedNumber(number=NUMBER, since=AT, how="keypad")
    assert (
        phone_retired(Phone(debtor_id=1, number=NUMBER), {NUMBER: keyed})
        == "no calls or texts since 2026-11-30 (pressed 9 at our message)"
    )
    wrong = Phone(debtor_id=1, number=NUMBER, wrong_number_at=AT, no_calls_at=AT)
    assert phone_retired(wrong, {NUMBER: keyed}) == "wrong number since 2026-11-30"
