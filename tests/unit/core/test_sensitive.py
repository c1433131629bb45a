"""Card, bank account and Social Security numbers found in the free text an agent types."""

from __future__ import annotations

import pytest

from core.sensitive import Sensitive, find_sensitive, luhn_ok, redact, refusal


@pytest.mark.parametrize(
    "notes",
    [
        "paid with 4111111111111111 exp 12/28",
        "card 4111 1111 1111 1111, will call back",
        "amex 3782-822463-10005",
        "visa 4012888888881881",
        "card 4111.1111.1111.1111",
        "4111/1111/1111/1111",
        "4111\n1111\n1111\n1111",  # one group a line
    ],
)
def test_a_card_number_however_it_is_typed_is_found(notes: str) -> None:
    (found,) = find_sensitive(notes)
    assert found.kind == "card number" and len(found.last4) == 4


@pytest.mark.parametrize(
    ("notes", "last4"),
    [
        ("ssn 078-05-1120 given", "1120"),
        ("SSN 219 09 9999", "9999"),
        ("social 219.09.9999", "9999"),
        ("ssn 219099999", "9999"),  # run together, but named
        ("her Social Security number is 219-09-999 9", "9999"),
    ],
)
def test_a_social_security_number_is_found(notes: str, last4: str) -> None:
    assert find_sensitive(notes) == [Sensitive("Social Security number", last4)]


@pytest.mark.parametrize(
    ("notes", "last4"),
    [
        ("will pay by ACH, checking 123456789012 at Chase", "9012"),
        ("from her savings acct # 4433-2211-99", "1199"),
        ("bank account number is 000123456789", "6789"),
        ("routing 021000021 account 987654321", "4321"),  # the routing number itself is public
        ("ABA 021000021, acct no. 55443322", "3322"),
        ("acct 987654321 routing # 021000021", "4321"),  # either order
    ],
)
def test_a_bank_account_number_is_found_by_its_words_or_its_routing_number(
    notes: str, last4: str
) -> None:
    assert find_sensitive(notes) == [Sensitive("bank account number", last4)]


@pytest.mark.parametrize(
    "notes",
    [
        "account 4455667788 promised 200 on the 15th",  # the client's account number
        "client account 123456 paid, routing unknown",
        "checking account ending 1234",  # the last four
        "checking 1234",
        "pays from savings 2026-12-01 and checking 12-01-2026",  # dates
        "routing 021000021",  # a bank's public number, no account with it
    ],
)
def test_the_clients_account_numbers_dates_and_a_last_four_are_no_bank_account(
    notes: str,
) -> None:
    assert find_sensitive(notes) == []


def test_a_card_number_named_after_the_checking_account_is_one_card_number() -> None:
    assert find_sensitive("checking card 4111 1111 1111 1111") == [Sensitive("card number", "1111")]


@pytest.mark.parametrize(
    "notes",
    [
        "call back on 202-555-0143 after 5",  # a phone number
        "+1 (202) 555-0143",
        "card ending 1111, promised 200.00 on the 15th",  # the last four only
        "4111111111111112",  # a mistyped card: not a card number, a reference maybe
        "0000000000000000",  # one digit repeated
        "ref 2026-12-01 plan 12 x 50.00",  # dates and amounts
        "000-12-3456 and 666-12-3456 and 900-12-3456",  # never issued as SSNs
        "account 123456789",  # nine digits with no SSN shape
    ],
)
def test_phone_numbers_dates_amounts_and_the_last_four_are_left_alone(notes: str) -> None:
    assert find_sensitive(notes) == []


def test_the_checksum_is_the_card_one() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


def test_what_a_debtor_sends_keeps_its_words_without_the_numbers() -> None:
    """A text or email cannot be refused and retyped: it is kept with the card number (but its
    last four), the SSN and the security code taken out, saying so where they were."""
    said = "My card is 5555 5555 5555 4444 exp 12/27 cvv 123, charge $100. ssn 219-09-9999"
    assert redact(said) == (
        "My card is [card number ending 4444 removed] exp 12/27 cvv [removed], charge $100. "
        "ssn [SSN ending 9999 removed]"
    )
    plain = "I will pay $200 on 12/15, call me at 202-555-0143"
    assert redact(plain) == plain
    ach = "take it from routing 021000021 account 987654321 please"
    assert redact(ach) == (
        "take it from routing 021000021 account [bank account number ending 4321 removed] please"
    )


def test_every_free_text_box_answers_the_same_refusal_naming_its_field() -> None:
    said = refusal("debtor read 4111 1111 1111 1111 and ssn 219-09-9999", "the reason")
    assert said is not None and said.startswith(
        "What you wrote in the reason holds a card number ending 1111, a Social Security number "
        "ending 9999: never write one there"
    )
    assert refusal("card ending 1111, paid 50", "the reason") is None
