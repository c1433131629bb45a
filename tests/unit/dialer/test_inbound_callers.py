"""A call in: the caller's number as stored, the account it leads to, the agent who takes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from core.events import PAUSING
from core.models import Account, Client, ContactAttempt, Debtor, Phone, Portfolio
from core.phones import e164
from dialer.agents import AgentView
from dialer.ami import Message
from dialer.callers import client_called, find_caller
from dialer.floor import Floor
from dialer.inbound import Caller, Desk, agent_for, campaign_for
from dialer.translate import translate

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("+12025550111", "+12025550111"),
        ("12025550111", "+12025550111"),
        ("2025550111", "+12025550111"),
        ("+442079460111", "+442079460111"),
        ("", ""),
        ("anonymous", ""),
        ("123", ""),
    ],
)
def test_a_callers_number_is_read_as_numbers_are_stored(raw: str, stored: str) -> None:
    assert (e164(raw) or "") == stored  # how the desk reads a caller ID


def test_the_dialplans_call_in_event_carries_the_caller_and_the_recording() -> None:
    message = Message(
        (("Event", "UserEvent"), ("UserEvent", "ConcordInbound"), ("CallId", "in-1"),
         ("From", "2025550111"), ("To", "+18005550100"), ("Recording", "/r/in-1.wav"),
         ("Timestamp", "1764514800.5")),
    )  # fmt: skip
    fact = translate(message)
    assert fact is not None
    assert (fact.kind, fact.uid, fact.number, fact.detail) == (
        "inbound", "in-1", "2025550111", "/r/in-1.wav"
    )  # fmt: skip


def test_the_dialplans_message_event_carries_the_file_and_its_length() -> None:
    def message(seconds: str) -> Message:
        return Message(
            (("Event", "UserEvent"), ("UserEvent", "ConcordMessage"), ("CallId", "in-2"),
             ("File", "/r/msg-in-2.wav"), ("Seconds", seconds),
             ("Timestamp", "1764514800.5")),
        )  # fmt: skip

    fact = translate(message("17"))
    assert fact is not None
    assert (fact.kind, fact.uid, fact.detail, fact.seconds) == (
        "message", "in-2", "/r/msg-in-2.wav", 17
    )  # fmt: skip
    garbled = translate(message("-"))  # a dialplan expression gone wrong: no length, not a crash
    assert garbled is not None and garbled.seconds == 0


def test_the_opt_out_key_reaches_the_dialer_as_a_fact_of_its_call() -> None:
    message = Message(
        (("Event", "UserEvent"), ("UserEvent", "ConcordOptOut"), ("CallId", "c-9"),
         ("Key", "9"), ("Timestamp", "1764514800.5")),
    )  # fmt: skip
    fact = translate(message)
    assert fact is not None and (fact.kind, fact.uid, fact.detail) == ("opt_out", "c-9", "9")


def floor() -> Floor:
    views = {
        1: AgentView(1, "ready", since=10.0, campaign_id=5),  # client 1, portfolio 11
        2: AgentView(2, "ready", since=20.0, campaign_id=6),  # client 1, portfolio 12
        3: AgentView(3, "ready", since=1.0, campaign_id=7),  # client 2, idle longest
        4: AgentView(4, "ready", since=0.5, campaign_id=5, reason=f"{PAUSING}break"),
    }
    return Floor(
        views=views, extensions={i: f"70{i}" for i in views}, in_bridge={"701", "702", "703", "704"}
    )


DESKS = {
    5: Desk(1, frozenset({11})),
    6: Desk(1, frozenset({12})),
    7: Desk(2, frozenset({21})),
}


def test_a_caller_goes_to_their_clients_agent_on_the_accounts_portfolio_first() -> None:
    caller = Caller(account_id=9, debtor_id=9, client_id=1, portfolio_id=12)
    assert agent_for(floor(), DESKS, caller) == 2  # not 3 (another client), not 1 (idle longer)
    f = floor()
    f.reserve(2, "other-call")
    assert agent_for(f, DESKS, caller) == 1  # the client's next agent before anyone else's


def test_a_caller_whose_client_has_no_free_agent_holds() -> None:
    caller = Caller(account_id=9, debtor_id=9, client_id=2, portfolio_id=21)
    f = floor()
    f.reserve(3, "other-call")
    assert agent_for(f, DESKS, caller) is None  # agent 4 waits to pause; 1 and 2 are client 1's


def test_a_caller_leaves_a_campaign_the_agents_dialled_for_and_takes_a_spare_one() -> None:
    """Campaign 6's one ready agent has a call out for them: the caller takes campaign 5's
    agent instead; with two calls out for campaign 5 too (its agent 4, waiting to pause, may
    still take one), the caller holds."""
    caller = Caller(account_id=9, debtor_id=9, client_id=1, portfolio_id=12)
    assert agent_for(floor(), DESKS, caller, dialled={6: 1}) == 1
    assert agent_for(floor(), DESKS, caller, dialled={6: 1, 5: 2}) is None
    assert agent_for(floor(), DESKS, caller, dialled={7: 3}) == 2  # another client's calls out


def test_an_agent_whose_screen_just_closed_takes_no_new_call() -> None:
    """Away (the console's mark while it waits to see whether the screen comes back): no
    placement is made for them and no caller is put through, but a call already out may still
    reach them."""
    f = floor()
    f.away = {3}
    assert agent_for(f, DESKS, None) == 1  # agent 3 idled longest, but its screen is gone
    assert f.dialable(7) == [] and f.available(7) == [3]


def test_a_caller_on_file_for_nobody_goes_to_the_longest_idle_agent() -> None:
    assert agent_for(floor(), DESKS, None) == 3


def _book(session: Session, number: str) -> tuple[Client, Portfolio, Debtor]:
    """A client's portfolio and a debtor with `number` on file."""
    client = Client(code=number[-4:], name="Acme", business_name="Acme")
    session.add(client)
    session.flush()
    portfolio = Portfolio(client_id=client.id or 0, name="P")
    session.add(portfolio)
    session.flush()
    debtor = Debtor(client_id=client.id or 0, first_name="Pat", last_name="Doe")
    session.add(debtor)
    session.flush()
    session.add(Phone(debtor_id=debtor.id or 0, number=number, type="mobile"))
    return client, portfolio, debtor


def _account(
    session: Session, debtor: Debtor, portfolio: Portfolio, balance: int, status: str = "open"
) -> Account:
    account = Account(
        client_id=debtor.client_id, portfolio_id=portfolio.id or 0, debtor_id=debtor.id or 0,
        client_account_number=f"A{balance}{status}", balance_minor=balance, status=status,
    )  # fmt: skip
    session.add(account)
    session.flush()
    return account


@pytest.mark.db
def test_the_account_a_caller_reaches_is_the_one_last_worked_on_their_number(
    session: Session,
) -> None:
    number = "+12025550111"
    client, portfolio, debtor = _book(session, number)
    small = _account(session, debtor, portfolio, 10_000)
    large = _account(session, debtor, portfolio, 90_000)
    _account(session, debtor, portfolio, 500_000, status="closed")
    session.commit()
    assert find_caller(session, number) == Caller(
        large.id or 0, debtor.id or 0, client.id or 0, portfolio.id or 0
    )  # nothing worked on it yet: the open account owing most
    session.add(
        ContactAttempt(
            account_id=small.id or 0, debtor_id=debtor.id or 0, channel="sms",
            to_address=number, started_at=NOW - timedelta(hours=2),
        )
    )  # fmt: skip
    session.commit()
    found = find_caller(session, number)
    assert found is not None and found.account_id == small.id  # the text they answer
    assert find_caller(session, "+12025550199") is None
    assert find_caller(session, "") is None


@pytest.mark.db
def test_a_number_marked_as_reaching_someone_else_leads_to_nobody(session: Session) -> None:
    number = "+12025550112"
    _, portfolio, debtor = _book(session, number)
    _account(session, debtor, portfolio, 10_000)
    session.flush()
    phone = session.exec(select(Phone)).one()
    phone.wrong_number_at = NOW
    session.add(phone)
    session.commit()
    assert find_caller(session, number) is None


def test_a_caller_on_file_for_nobody_goes_to_the_agents_of_the_client_they_dialled() -> None:
    assert agent_for(floor(), DESKS, None, client_id=1) == 1  # not 3, idle longer at client 2
    assert agent_for(floor(), DESKS, None, client_id=9) is None  # no agent of that client


@pytest.mark.db
def test_the_number_dialled_picks_the_client_and_only_its_accounts(session: Session) -> None:
    number = "+12025550113"
    client, portfolio, debtor = _book(session, number)
    client.callback_number = "(800) 555-0110"
    session.add(client)
    mine = _account(session, debtor, portfolio, 10_000)
    other_client = Client(code="oth", name="Other", business_name="Other",
                          callback_number="+18885550120")  # fmt: skip
    session.add(other_client)
    session.flush()
    other_portfolio = Portfolio(client_id=other_client.id or 0, name="P")
    session.add(other_portfolio)
    session.flush()
    other_debtor = Debtor(client_id=other_client.id or 0, first_name="Pat", last_name="Doe")
    session.add(other_debtor)
    session.flush()
    session.add(Phone(debtor_id=other_debtor.id or 0, number=number, type="mobile"))
    theirs = _account(session, other_debtor, other_portfolio, 90_000)
    session.commit()
    assert client_called(session, "+18005550110") == client.id
    assert client_called(session, "+18005550199") is None
    found = find_caller(session, number, client.id)
    assert found is not None and found.account_id == mine.id
    found = find_caller(session, number, other_client.id)
    assert found is not None and found.account_id == theirs.id
    found = find_caller(session, number)  # no client dialled: the one owing most
    assert found is not None and found.account_id == theirs.id


def test_an_agent_assigned_to_the_callers_client_takes_them_from_another_clients_campaign() -> None:
    """Review F12: a caller held for nobody while an agent assigned to their client's campaign
    sat Ready on another client's."""
    caller = Caller(account_id=9, debtor_id=9, client_id=1, portfolio_id=12)
    f = floor()
    f.reserve(1, "call-a")
    f.reserve(2, "call-b")
    assert agent_for(f, DESKS, caller) is None  # agent 3 works client 2 only, as far as known
    assert agent_for(f, DESKS, caller, assigned={3: {7, 6}}) == 3
    # working the client's own campaign still comes first when both are free
    assert agent_for(floor(), DESKS, caller, assigned={3: {6}}) == 2
    assert campaign_for(7, {6}, DESKS, caller) == (2, 6)  # taken under the client's campaign
