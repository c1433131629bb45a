"""The hopper's order and who may take a callback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dialer.hopper import CALLBACK_GRACE, Candidate, Hopper, rank

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def cand(account: int, score: float = 0.5, **kw: object) -> Candidate:
    return Candidate(account, account + 100, f"+1202555010{account % 10}", score, **kw)  # type: ignore[arg-type]


def test_due_callbacks_first_then_segment_score_then_best_time() -> None:
    order = rank(
        [
            cand(1, 0.2),
            cand(2, 0.9),
            cand(3, 0.5, best_time=True),
            cand(4, 0.5),
            cand(5, 0.1, callback_id=1, callback_due=NOW - timedelta(minutes=1)),
            cand(6, 0.1, callback_id=2, callback_due=NOW - timedelta(minutes=9)),
        ]
    )
    assert [c.account_id for c in order] == [6, 5, 2, 3, 4, 1]


def test_an_account_appears_once_with_its_callback_winning() -> None:
    order = rank([cand(1, 0.9), cand(1, 0.1, callback_id=3, callback_due=NOW)])
    assert [(c.account_id, c.callback_id) for c in order] == [(1, 3)]


def test_callback_waits_for_its_agent_then_anyone_after_the_grace_period() -> None:
    hopper = Hopper(1)
    owned = cand(1, callback_id=1, callback_due=NOW, callback_agent=42)
    hopper.refill([owned, cand(2)], busy_accounts=set())
    assert hopper.take({7}, NOW) == cand(2)  # 42 not ready: the callback stays queued
    assert hopper.take({7}, NOW) is None
    assert hopper.take({42}, NOW) == owned
    hopper.refill([owned], busy_accounts=set())
    assert hopper.take({7}, NOW + CALLBACK_GRACE) == owned


def test_refill_leaves_out_accounts_on_a_call_and_keeps_the_size() -> None:
    hopper = Hopper(1, size=3)
    hopper.refill([cand(i, i / 10) for i in range(1, 8)], busy_accounts={7})
    assert [c.account_id for c in hopper.entries] == [6, 5, 4]
    assert hopper.wants_refill(ready_agents=4) and not hopper.wants_refill(ready_agents=2)
    hopper.drop(5)
    assert [c.account_id for c in hopper.entries] == [6, 4]
