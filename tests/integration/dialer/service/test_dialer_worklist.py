"""No automatic dial goes to a debtor who owes nothing, has a promise to pay not yet due or keeps
to a payment plan, and the last word before a dial sees a payment or a filter change that
landed after the hopper was filled (dialer.worklist)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from dialer_rig import Floor
from sqlmodel import col, select

from core.models import (
    Account,
    Callback,
    PaymentPlan,
    Phone,
    PlanInstallment,
    PromiseToPay,
    utcnow,
)
from dialer.campaigns import plan
from dialer.candidates import Cleared, callable_now, clear_to_dial
from outreach.payments import record_payment

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _promise(floor: Floor, account: Account, days: int, status: str = "pending") -> None:
    due = utcnow().date() + timedelta(days=days)
    floor.session.add(
        PromiseToPay(account_id=account.id or 0, amount_minor=10_000, due_date=due, status=status)
    )
    floor.session.commit()


def _plan(floor: Floor, account: Account, *due_in_days: int, settlement: bool = False) -> int:
    row = PaymentPlan(account_id=account.id or 0, total_minor=30_000, settlement=settlement)
    floor.session.add(row)
    floor.session.flush()
    for seq, days in enumerate(due_in_days, 1):
        floor.session.add(
            PlanInstallment(
                plan_id=row.id or 0,
                seq=seq,
                due_date=utcnow().date() + timedelta(days=days),
                amount_minor=10_000,
            )
        )
    floor.session.commit()
    return row.id or 0


def test_the_hopper_leaves_out_the_paid_up_the_promised_and_plans_in_good_standing(
    floor: Floor,
) -> None:
    plain = floor.account(1)
    floor.account(1, balance=0)
    _promise(floor, floor.account(1), days=3)
    _promise(floor, broken := floor.account(1), days=-1)  # past due, not yet marked broken
    _promise(floor, kept := floor.account(1), days=-5, status="kept")
    _plan(floor, floor.account(1), 5, 35)
    _plan(floor, behind := floor.account(1), -2, 28)

    search = callable_now(floor.session, plan(floor.campaign), utcnow(), want=20)

    assert {c.account_id for c in search.found} == {plain.id, broken.id, kept.id, behind.id}


def test_a_debtor_who_pays_in_full_after_the_refill_is_not_dialled(floor: Floor) -> None:
    paying, other = floor.account(1), floor.account(1)
    campaign = plan(floor.campaign)
    now = utcnow()
    entries = {c.account_id: c for c in callable_now(floor.session, campaign, now, 20).found}
    assert set(entries) == {paying.id, other.id}

    record_payment(
        floor.session, paying.id or 0, 50_000, reference="pay-1", paid_at=now, queue=None
    )
    floor.session.commit()

    assert clear_to_dial(floor.session, campaign, entries[paying.id or 0], now) == "nothing owed"
    cleared = clear_to_dial(floor.session, campaign, entries[other.id or 0], now)
    assert isinstance(cleared, Cleared) and cleared.record["allowed"] is True
    floor.session.refresh(paying)
    assert (paying.status, paying.segment) == ("paid", "paid")


def test_a_narrowed_filter_holds_back_what_the_hopper_already_took(floor: Floor) -> None:
    account = floor.account(1)
    campaign = plan(floor.campaign)
    now = utcnow()
    (entry,) = callable_now(floor.session, campaign, now, 20).found

    narrowed = replace(campaign, segments=("high",), max_balance_minor=40_000)

    assert clear_to_dial(floor.session, narrowed, entry, now) == (
        "segment not in the campaign's (high)"
    )
    account.segment = "high"
    floor.session.commit()
    assert clear_to_dial(floor.session, narrowed, entry, now) == (
        "balance over the campaign's 400.00"
    )


def test_a_callback_keeps_its_place_under_a_new_filter_but_not_once_the_debt_is_paid(
    floor: Floor,
) -> None:
    account = floor.account(1)
    now = utcnow()
    callback = Callback(account_id=account.id or 0, campaign_id=floor.campaign.id, due_at=now)
    floor.session.add(callback)
    floor.session.commit()
    campaign = plan(floor.campaign)
    (entry,) = [c for c in callable_now(floor.session, campaign, now, 20).found if c.callback_id]
    narrowed = replace(campaign, segments=("high",))

    assert isinstance(clear_to_dial(floor.session, narrowed, entry, now), Cleared)
    floor.session.rollback()  # not dialled after all: the callback stays pending
    account.balance_minor = 0
    floor.session.commit()
    assert clear_to_dial(floor.session, narrowed, entry, now) == "nothing owed"
    floor.session.commit()  # as the dialer's unit of work does
    floor.session.refresh(callback)
    assert callback.status == "paid"


def test_partial_payments_move_the_segment_and_a_completed_settlement_settles(
    floor: Floor,
) -> None:
    account = floor.account(1, balance=30_000)
    account.segment = "low"
    plan_id = _plan(floor, account, 0, 30, settlement=True)
    first, second = floor.session.exec(
        select(PlanInstallment)
        .where(PlanInstallment.plan_id == plan_id)
        .order_by(col(PlanInstallment.seq))
    ).all()
    now = utcnow()

    record_payment(
        floor.session, account.id or 0, 10_000, reference="i-1", paid_at=now,
        installment_id=first.id, queue=None,
    )  # fmt: skip
    floor.session.commit()
    floor.session.refresh(account)
    assert (account.status, account.segment, account.balance_minor) == ("open", "paying", 20_000)

    record_payment(
        floor.session, account.id or 0, 10_000, reference="i-2", paid_at=now,
        installment_id=second.id, queue=None,
    )  # fmt: skip
    floor.session.commit()
    floor.session.refresh(account)
    assert (account.status, account.balance_minor) == ("settled", 10_000)
    assert callable_now(floor.session, plan(floor.campaign), now, 20).found == []


def test_a_number_reported_wrong_is_passed_over_for_the_debtors_next_one(floor: Floor) -> None:
    account = floor.account(1)
    first = floor.session.exec(select(Phone).where(Phone.debtor_id == account.debtor_id)).one()
    second = Phone(debtor_id=account.debtor_id, number=floor.number(2), type="landline",
                   position=1)  # fmt: skip
    first.wrong_number_at = utcnow()
    floor.session.add_all([first, second])
    floor.session.commit()

    (entry,) = callable_now(floor.session, plan(floor.campaign), utcnow(), want=20).found

    assert entry.number == second.number


def test_a_number_with_an_extension_is_left_to_a_person(floor: Floor) -> None:
    """A switchboard answers it: the dialer takes the debtor's next number, and an account
    with no other is not dialled by the machine at all."""
    account = floor.account(1)
    switchboard = floor.session.exec(
        select(Phone).where(Phone.debtor_id == account.debtor_id)
    ).one()
    switchboard.extension = "204"
    floor.session.add(switchboard)
    floor.session.commit()
    assert callable_now(floor.session, plan(floor.campaign), utcnow(), want=20).found == []

    home = Phone(debtor_id=account.debtor_id, number=floor.number(2), type="landline",
                 position=1)  # fmt: skip
    floor.session.add(home)
    floor.session.commit()
    (entry,) = callable_now(floor.session, plan(floor.campaign), utcnow(), want=20).found
    assert entry.number == home.number
