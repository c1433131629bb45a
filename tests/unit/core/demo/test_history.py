import random
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.demo.catalog import demo_password
from core.demo.history import payment_history

TODAY = date(2026, 11, 30)


@given(
    st.integers(0, 10**6),
    st.integers(25_00, 60_000_00),
    st.integers(1, 2_000),
    st.sampled_from([50, 70, 100]),
)
def test_histories_never_pay_more_than_owed_nor_in_the_future(
    seed: int, owed: int, age: int, settlement_pct: int
) -> None:
    delinquent = TODAY - timedelta(days=age)
    history = payment_history(random.Random(seed), owed, delinquent, TODAY, 0.6, settlement_pct)
    paid = sum(p.amount_minor for p in history.payments)
    assert 0 <= history.balance_minor <= owed
    assert paid <= owed
    assert all(delinquent <= p.paid_on <= TODAY for p in history.payments)
    if history.promise is not None:
        assert history.promise.made_on <= history.promise.due
        kept = [p for p in history.payments if p.keeps == "promise"]
        assert (history.promise.status == "kept") == bool(kept)
        assert (history.promise.status == "pending") == (history.promise.due >= TODAY)
    if history.plan is not None:
        assert sum(i.amount_minor for i in history.plan.installments) == history.plan.total_minor
        paid_seqs = {p.keeps for p in history.payments if p.keeps.startswith("installment:")}
        assert paid_seqs == {
            f"installment:{i.seq}" for i in history.plan.installments if i.status == "paid"
        }


def test_the_same_seed_gives_the_same_history() -> None:
    def make(seed: int) -> object:
        return payment_history(random.Random(seed), 1_000_00, date(2026, 1, 1), TODAY, 1.0, 70)

    assert make(3) == make(3)


def test_demo_passwords_follow_the_seed_and_differ_per_user() -> None:
    assert demo_password(42, "demo.agent1") == demo_password(42, "demo.agent1")
    assert demo_password(42, "demo.agent1") != demo_password(43, "demo.agent1")
    assert demo_password(42, "demo.agent1") != demo_password(42, "demo.agent2")
    assert len(demo_password(42, "demo.admin")) == 14
