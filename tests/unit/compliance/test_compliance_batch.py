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
    STOPPED,
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
from compliance.search import offset_changes
from compliance.zones import zone


@st.composite
def portfolio_snapshots(draw: st.DrawFn) -> tuple[list[Contact], datetime]:
    """Call contacts of one portfolio (one profile, one set of portfolio rules) at one instant."""
    at = draw(instants())
    profile = draw(PROFILES)
    shared = draw(PORTFOLIOS[profile])
    size = draw(st.integers(1, 30))
    accounts = [
        contact_near(
            at, profile, "call", draw(NUMBER), shared, draw(DEBTORS), draw(HISTORY), draw(STOPPED)
        )
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


def test_the_local_day_of_a_call_on_a_dst_morning_is_that_of_the_zone_at_that_instant() -> None:
    # Adak springs forward at 02:00 local on 2025-03-09, which is 12:00 UTC. Seven calls from
    # 22:00 to 23:30 local on the 8th (08:00-09:30 UTC on the 9th) fill the 8th; reading UTC
    # instants as local wall times put the change at 02:00 UTC and them on the 9th.
    calls = [attempt(f"2025-03-09T0{8 + n // 4}:{n % 4 * 15:02d}:00Z") for n in range(7)]
    adak = contact(to="+19075550100", addresses=[], history=calls)
    at = utc("2025-03-09T09:47:00Z")  # 23:47 on the 8th in Adak
    profile = resolve("us")
    (bits,) = callable_now(columns_from_contacts([adak], profile), profile, at)
    assert reasons_of(int(bits)) == blocking_reasons(adak, at)
    assert Reason.WEEKLY_CALL_CAP in reasons_of(int(bits))
    assert [
        c.isoformat() for c in offset_changes(zone("America/Adak"), at, utc("2025-03-10T00:00:00Z"))
    ] == ["2025-03-09T12:00:00+00:00"]


def test_a_recalled_account_is_refused_on_every_channel_by_the_engine_and_the_hopper() -> None:
    """The last reason's bit (the 17th) survives the hopper's columns."""
    at = utc("2026-06-09T16:00:00Z")
    recalled = contact(account_flags=["recalled"])
    profile = resolve("us")

    (bits,) = callable_now(columns_from_contacts([recalled], profile), profile, at)

    assert reasons_of(int(bits)) == (Reason.RECALLED,)
    for channel, to in (("call", LA_MOBILE), ("sms", LA_MOBILE), ("email", "d@example.com")):
        held = contact(channel=channel, to=to, account_flags=["recalled"])
        assert blocking_reasons(held, at) == (Reason.RECALLED,)
