"""What an empty hopper's alert says, from the refusals a search counted."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta, timezone

from dialer.candidates import Search


def test_the_alert_names_the_commonest_refusals_and_the_earliest_time_one_frees_up() -> None:
    search = Search(read=9, refused=Counter(outside_hours=6, weekly_call_cap=2, dnc=1))
    search.note_next(datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    search.note_next(datetime(2026, 11, 30, 8, 0, tzinfo=timezone(timedelta(hours=-5))))
    search.note_next(None)  # refused for good: frees up never

    assert search.why_none() == (
        "none of the 9 accounts read may be called now (6 outside hours, 2 weekly call cap,"
        " 1 dnc); the first may be called at 13:00 UTC"
    )


def test_a_search_that_read_nothing_names_what_leaves_accounts_out() -> None:
    assert Search().why_none() == (
        "no account of this campaign is left to dial (its filter, the retry interval, nothing "
        "owed, promises not yet due, payment plans in good standing)"
    )
