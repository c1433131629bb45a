"""The Massachusetts and New York City caps follow the debtor's addresses, whatever the
portfolio's profile, and the hopper's batch gives the engine's answers for them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import numpy as np
import pytest
from compliance_factories import ALBANY, BOSTON, BROOKLYN, attempt, contact, utc

from compliance.batch import REASON_BITS, callable_now, columns_from_contacts, reasons_of
from compliance.check import answer_line
from compliance.contact import Address, Contact
from compliance.engine import blocking_reasons, decide
from compliance.local_caps import (
    NEW_YORK_CITY_START,
    may_be_in_massachusetts,
    may_be_in_new_york_city,
)
from compliance.profiles import resolve
from compliance.reasons import Reason, explain

# June and September 2026 in the East are EDT (UTC-4): 08:00 local is 12:00Z.
TWO_VOICEMAILS = [
    attempt("2026-06-01T15:00:00Z", "voicemail"),
    attempt("2026-06-03T15:00:00Z", "voicemail"),
]
THIRD = utc("2026-06-05T15:00:00Z")
# A call, a text and an email (about another account) in New York City, after the rule's start.
THREE_ATTEMPTS = [
    attempt("2026-09-08T14:00:00Z"),
    attempt("2026-09-09T14:00:00Z", channel="sms"),
    attempt("2026-09-10T14:00:00Z", channel="email", account="A2"),
]
FOURTH = utc("2026-09-11T14:00:00Z")


def _agree(accounts: list[Contact], at: datetime) -> list[tuple[Reason, ...]]:
    """The batch's reasons per account, after checking they are the engine's."""
    profile = resolve(accounts[0].profile, accounts[0].portfolio)
    bits = callable_now(columns_from_contacts(accounts, profile), profile, at)
    found = [reasons_of(int(b)) for b in bits]
    assert found == [blocking_reasons(a, at) for a in accounts]
    return found


# Massachusetts: 940 CMR 7.04(1)(f), two call communications per debt in 7 days.


def test_boston_debtors_third_call_communication_in_seven_days_is_refused_under_profile_us() -> (
    None
):
    decision = decide(contact(addresses=[BOSTON], history=TWO_VOICEMAILS), THIRD)

    assert decision.reasons == (Reason.STATE_CALL_CAP,)
    assert decision.next_allowed_at == utc("2026-06-08T12:00:00Z")


def test_boston_debtor_gets_the_same_answer_under_us_as_under_us_ma() -> None:
    under_us = decide(contact(addresses=[BOSTON], history=TWO_VOICEMAILS), THIRD)
    under_ma = decide(contact(profile="us-ma", addresses=[BOSTON], history=TWO_VOICEMAILS), THIRD)

    assert (under_us.reasons, under_us.next_allowed_at) == (
        under_ma.reasons,
        under_ma.next_allowed_at,
    )


def test_a_second_address_in_massachusetts_brings_the_cap() -> None:
    decision = decide(contact(addresses=[ALBANY, BOSTON], history=TWO_VOICEMAILS), THIRD)

    assert decision.reasons == (Reason.STATE_CALL_CAP,)


def test_debtor_with_no_massachusetts_address_has_no_state_cap_under_us() -> None:
    assert decide(contact(addresses=[ALBANY], history=TWO_VOICEMAILS), THIRD).allowed


def test_boston_text_is_held_to_the_cap_and_email_is_not() -> None:
    sms = contact(channel="sms", addresses=[BOSTON], history=TWO_VOICEMAILS)
    email = contact(channel="email", to="d@example.com", addresses=[BOSTON], history=TWO_VOICEMAILS)

    assert decide(sms, THIRD).reasons == (Reason.STATE_CALL_CAP,)
    assert decide(email, THIRD).allowed


def test_massachusetts_cap_counts_per_debt() -> None:
    other_debt = [attempt("2026-06-01T15:00:00Z", "voicemail", account="A2"), TWO_VOICEMAILS[1]]

    assert decide(contact(addresses=[BOSTON], history=other_debt), THIRD).allowed


def test_a_portfolio_cap_above_two_does_not_loosen_massachusetts_and_one_below_tightens() -> None:
    loose = contact(addresses=[BOSTON], history=TWO_VOICEMAILS, portfolio={"state_call_cap": 5})
    tight = contact(addresses=[BOSTON], history=TWO_VOICEMAILS[:1], portfolio={"state_call_cap": 1})

    assert decide(loose, THIRD).reasons == (Reason.STATE_CALL_CAP,)
    assert decide(tight, THIRD).reasons == (Reason.STATE_CALL_CAP,)


def test_compliance_check_refuses_a_boston_debtors_third_call_communication_under_us() -> None:
    line: dict[str, Any] = {
        "id": "boston",
        "channel": "call",
        "at": "2026-06-05T15:00:00Z",
        "profile": "us",
        "to": "+16175550100",
        "debtor": {"addresses": [BOSTON]},
        "account": {"id": "A1"},
        "history": TWO_VOICEMAILS,
    }

    assert answer_line(json.dumps(line), 1) == {
        "id": "boston",
        "allowed": False,
        "reasons": ["state_call_cap"],
        "next_allowed_at": "2026-06-08T12:00:00Z",
    }


# New York City: 3 attempts per debtor in 7 days on every channel, from 2026-09-01.


def test_new_york_city_debtors_fourth_attempt_across_channels_is_refused() -> None:
    decision = decide(contact(addresses=[BROOKLYN], history=THREE_ATTEMPTS), FOURTH)

    assert decision.reasons == (Reason.NYC_ATTEMPT_CAP,)
    # The first attempt (the 8th) leaves the window on the 15th; 08:00 there.
    assert decision.next_allowed_at == utc("2026-09-15T12:00:00Z")


@pytest.mark.parametrize(
    ("channel", "to"), [("call", "+12125550100"), ("sms", "+12125550100"), ("email", "d@x.com")]
)
def test_new_york_city_cap_holds_every_channel(channel: str, to: str) -> None:
    four = contact(channel=channel, to=to, addresses=[BROOKLYN], history=THREE_ATTEMPTS)

    assert decide(four, FOURTH).reasons == (Reason.NYC_ATTEMPT_CAP,)


def test_new_york_city_third_attempt_is_allowed() -> None:
    assert decide(contact(addresses=[BROOKLYN], history=THREE_ATTEMPTS[:2]), FOURTH).allowed


def test_the_same_attempts_outside_new_york_city_are_allowed() -> None:
    assert decide(contact(addresses=[ALBANY], history=THREE_ATTEMPTS), FOURTH).allowed


def test_attempts_before_the_rules_start_are_not_counted() -> None:
    before = [attempt(f"2026-08-{day}T14:00:00Z") for day in (29, 30, 31)]
    brooklyn = contact(addresses=[BROOKLYN], history=before)

    assert decide(brooklyn, utc("2026-08-31T20:00:00Z")).allowed  # decided before the start
    assert decide(brooklyn, utc("2026-09-01T14:00:00Z")).allowed  # attempts before the start
    assert utc("2026-09-01T04:00:00Z") == NEW_YORK_CITY_START


def test_attempts_that_never_connected_are_not_counted_by_new_york_city() -> None:
    failed = [*THREE_ATTEMPTS[:2], attempt("2026-09-10T14:00:00Z", "not_connected", "email")]

    assert decide(contact(addresses=[BROOKLYN], history=failed), FOURTH).allowed


def test_new_york_city_and_massachusetts_caps_are_both_named_when_both_are_reached() -> None:
    history = [attempt(f"2026-09-0{d}T14:00:00Z", "voicemail") for d in (8, 9, 9)]
    both = contact(addresses=[BROOKLYN, BOSTON], history=history)

    assert decide(both, FOURTH).reasons == (Reason.STATE_CALL_CAP, Reason.NYC_ATTEMPT_CAP)


@pytest.mark.parametrize(
    ("state", "zip_code", "in_city"),
    [
        ("NY", "10001", True),  # Manhattan
        ("NY", "10301", True),  # Staten Island
        ("NY", "10451", True),  # Bronx
        ("NY", "11201", True),  # Brooklyn
        ("NY", "11101", True),  # Long Island City, Queens
        ("NY", "11354", True),  # Flushing, Queens
        ("NY", "11432", True),  # Jamaica, Queens
        ("NY", "11691", True),  # Far Rockaway, Queens
        ("NY", "11004", True),  # Glen Oaks, Queens
        ("NY", "11201-1234", True),
        ("NY", None, True),  # a New York address with no ZIP may be in the city
        ("NY", "11010", False),  # Franklin Square, Nassau
        ("NY", "11021", False),  # Great Neck, Nassau
        ("NY", "11550", False),  # Hempstead, Nassau
        ("NY", "10701", False),  # Yonkers, Westchester
        ("NY", "12207", False),  # Albany
        ("NJ", "07030", False),  # Hoboken
        (None, "10001", True),  # no state: the ZIP places it
    ],
)
def test_new_york_city_is_recognised_by_zip(
    state: str | None, zip_code: str | None, in_city: bool
) -> None:
    address = Address(state=state, postal_code=zip_code)

    assert may_be_in_new_york_city(address) is in_city


@pytest.mark.parametrize(
    ("state", "zip_code", "in_state"),
    [("MA", "02108", True), ("MA", None, True), (None, "01103", True), (None, "02903", False),
     ("NH", "03101", False), (None, None, True)],
)  # fmt: skip
def test_massachusetts_is_recognised_by_state_or_zip(
    state: str | None, zip_code: str | None, in_state: bool
) -> None:
    assert may_be_in_massachusetts(Address(state=state, postal_code=zip_code)) is in_state


def test_an_address_abroad_brings_no_cap() -> None:
    london = Address(country="GB", postal_code="10001")

    assert not may_be_in_new_york_city(london)
    assert not may_be_in_massachusetts(london)


# The hopper's batch gives the engine's answers.


def test_batch_refuses_the_boston_third_call_and_the_new_york_city_fourth_as_the_engine_does() -> (
    None
):
    boston = contact(addresses=[BOSTON], history=[
        attempt("2026-09-08T14:00:00Z", "voicemail"), attempt("2026-09-09T14:00:00Z", "voicemail")
    ])  # fmt: skip
    accounts = [
        boston,
        contact(addresses=[BROOKLYN], history=THREE_ATTEMPTS),
        contact(addresses=[ALBANY], history=THREE_ATTEMPTS),
        contact(addresses=[BROOKLYN], history=THREE_ATTEMPTS[:2]),
    ]

    assert _agree(accounts, FOURTH) == [
        (Reason.STATE_CALL_CAP,),
        (Reason.NYC_ATTEMPT_CAP,),
        (),
        (),
    ]


def test_batch_agrees_before_the_new_york_city_start_and_under_a_portfolio_cap() -> None:
    before = [attempt(f"2026-08-{day}T14:00:00Z") for day in (29, 30, 31)]
    brooklyn = contact(addresses=[BROOKLYN], history=before)
    assert _agree([brooklyn], utc("2026-09-01T14:00:00Z")) == [()]

    rules = {"state_call_cap": 5}
    accounts = [
        contact(addresses=[a], history=TWO_VOICEMAILS, portfolio=rules) for a in (BOSTON, ALBANY)
    ]
    assert _agree(accounts, THIRD) == [(Reason.STATE_CALL_CAP,), ()]


def test_every_reason_fits_the_batchs_reason_columns() -> None:
    assert max(REASON_BITS.values()) <= np.iinfo(np.uint32).max


def test_each_cap_has_its_own_words_for_a_team_lead() -> None:
    assert "Massachusetts" in explain(Reason.STATE_CALL_CAP)
    assert "New York City" in explain(Reason.NYC_ATTEMPT_CAP)
    assert explain("nyc_attempt_cap") != explain("state_call_cap")
