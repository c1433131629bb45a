"""The hopper's vectorised batch gives the per-contact engine's answers, account by account."""

from __future__ import annotations

from datetime import datetime

from compliance_factories import LA_MOBILE, attempt, contact, utc
from compliance_strategies import (
    DEBTORS,
    HISTORY,
    NUMBER,
    PORTFOLIOS,
    PROFILES,
    contact_near,
    instants,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.batch import callable_now, columns_from_contacts, reasons_of
from compliance.contact import Contact
from compliance.engine import blocking_reasons
from compliance.profiles import resolve
from compliance.reasons import Reason


@st.composite
def portfolio_snapshots(draw: st.DrawFn) -> tuple[list[Contact], datetime]:
    """Call contacts of one portfolio (one profile, one set of portfolio rules) at one instant."""
    at = draw(instants())
    profile = draw(PROFILES)
    shared = draw(PORTFOLIOS[profile])
    size = draw(st.integers(1, 30))
    accounts = [
        contact_near(at, profile, "call", draw(NUMBER), shared, draw(DEBTORS), draw(HISTORY))
        for _ in range(size)
    ]
    return accounts, at


@settings(max_examples=25, deadline=None)
@given(portfolio_snapshots())
def test_batch_reasons_equal_the_engine_for_every_account_of_a_random_portfolio(
    snapshot: tuple[list[Contact], datetime],
) -> None:
    accounts, at = snapshot
    profile = resolve(accounts[0].profile, accounts[0].portfolio)
    bits = callable_now(columns_from_contacts(accounts, profile), profile, at)
    for account, got in zip(accounts, bits, strict=True):
        assert reasons_of(int(got)) == blocking_reasons(account, at)


def test_batch_blocks_the_eighth_call_and_the_los_angeles_morning_and_passes_the_rest() -> None:
    week = [attempt(f"2026-06-0{day}T13:00:00Z") for day in range(1, 8)]  # 09:00 New York
    accounts = [contact(), contact(history=week), contact(to=LA_MOBILE), contact(flags=["cease"])]
    profile = resolve("us")
    bits = callable_now(
        columns_from_contacts(accounts, profile), profile, utc("2026-06-07T14:00:00Z")
    )
    assert [reasons_of(int(b)) for b in bits] == [
        (),
        (Reason.WEEKLY_CALL_CAP,),
        (Reason.OUTSIDE_HOURS,),
        (Reason.CEASE,),
    ]


def test_empty_portfolio_has_no_callable_accounts() -> None:
    profile = resolve("us")
    assert (
        len(callable_now(columns_from_contacts([], profile), profile, utc("2026-06-07T14:00:00Z")))
        == 0
    )
