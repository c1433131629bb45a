"""The database adapter on a real database: contacts load from the core tables, the engine's
decision on them matches the data, and the decision record survives on the attempt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from compliance.batch import callable_now, reasons_of
from compliance.engine import decide
from compliance.reasons import Reason
from compliance.store import hopper_columns, load_contact, record_decision
from core.models import (
    Account,
    Address,
    Client,
    ContactAttempt,
    Debtor,
    DispositionCategory,
    DispositionCode,
    Phone,
    Portfolio,
)

pytestmark = [pytest.mark.integration, pytest.mark.db]

MONDAY_NOON_NY = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)


def _seed(session: Session, profile: str = "us", overrides: dict[str, Any] | None = None,
          **debtor: Any) -> tuple[Portfolio, Account, Debtor]:  # fmt: skip
    client = Client(code="ACME", name="Acme Bank")
    session.add(client)
    session.flush()
    portfolio = Portfolio(client_id=client.id or 0, name="P1", calling_profile=profile,
                          compliance_overrides=overrides or {})  # fmt: skip
    person = Debtor(client_id=client.id or 0, first_name="Ana", last_name="Diaz", **debtor)
    session.add_all([portfolio, person])
    session.flush()
    session.add_all(
        [
            Address(debtor_id=person.id or 0, position=0, state="NY", postal_code="10001"),
            Phone(debtor_id=person.id or 0, position=0, number="+13105550100", type="mobile"),
        ]
    )
    account = Account(client_id=client.id or 0, portfolio_id=portfolio.id or 0,
                      debtor_id=person.id or 0, client_account_number="A-1")  # fmt: skip
    session.add(account)
    session.flush()
    return portfolio, account, person


def _attempt(account: Account, at: datetime, outcome: str, **extra: Any) -> ContactAttempt:
    return ContactAttempt(account_id=account.id or 0, debtor_id=account.debtor_id, channel="call",
                          started_at=at, outcome=outcome, **extra)  # fmt: skip


def test_ny_debtor_with_la_mobile_loads_both_zones_and_waits_for_0800_pacific(
    session: Session,
) -> None:
    _, account, _ = _seed(session)
    session.commit()
    contact = load_contact(
        session, account.id or 0, "call", datetime(2026, 6, 15, 14, 30, tzinfo=UTC)
    )
    assert contact is not None and contact.to == "+13105550100"
    decision = decide(contact, datetime(2026, 6, 15, 14, 30, tzinfo=UTC))  # 07:30 in Los Angeles
    assert decision.reasons == (Reason.OUTSIDE_HOURS,)
    assert decision.next_allowed_at == datetime(2026, 6, 15, 15, 0, tzinfo=UTC)


def test_conversation_three_days_ago_blocks_calls_and_inbound_missed_call_does_not_count(
    session: Session,
) -> None:
    _, account, _ = _seed(session)
    session.add_all([
        _attempt(account, MONDAY_NOON_NY - timedelta(days=3), "conversation"),
        _attempt(account, MONDAY_NOON_NY - timedelta(days=1), "no_answer", direction="inbound"),
    ])  # fmt: skip
    session.commit()
    contact = load_contact(session, account.id or 0, "call", MONDAY_NOON_NY)
    assert contact is not None
    assert [a.outcome for a in contact.history] == ["conversation"]
    assert decide(contact, MONDAY_NOON_NY).reasons == (Reason.RECENT_CONVERSATION,)


@pytest.mark.parametrize(
    ("category", "engine_sees", "refused"),
    [
        (None, "conversation", (Reason.RECENT_CONVERSATION,)),  # not saved yet: errs safe
        (DispositionCategory.RIGHT_PARTY, "conversation", (Reason.RECENT_CONVERSATION,)),
        (DispositionCategory.THIRD_PARTY, "other_party", ()),
        (DispositionCategory.WRONG_NUMBER, "other_party", ()),
        (DispositionCategory.NO_CONTACT, "other_party", ()),
    ],
)
def test_only_a_conversation_that_may_have_been_with_the_debtor_starts_the_weeks_rest(
    session: Session,
    category: DispositionCategory | None,
    engine_sees: str,
    refused: tuple[Reason, ...],
) -> None:
    """Reg F's rest follows a conversation with the person: a call the agent saved as a third
    party (a housemate took a message) left the debtor a week without a call for nothing."""
    _, account, _ = _seed(session)
    code = None
    if category is not None:
        code = DispositionCode(client_id=account.client_id, code="X", label="x",
                               category=category.value)  # fmt: skip
        session.add(code)
        session.flush()
    session.add(_attempt(account, MONDAY_NOON_NY - timedelta(days=2), "conversation",
                         disposition_code_id=code.id if code else None))  # fmt: skip
    session.commit()
    contact = load_contact(session, account.id or 0, "call", MONDAY_NOON_NY)
    assert contact is not None
    assert [a.outcome for a in contact.history] == [engine_sees]
    assert decide(contact, MONDAY_NOON_NY).reasons == refused
    # the call still counts toward 7 in 7: six more calls this week and the seventh is refused
    session.add_all([_attempt(account, MONDAY_NOON_NY - timedelta(hours=h), "no_answer")
                     for h in range(1, 7)])  # fmt: skip
    session.commit()
    full = load_contact(session, account.id or 0, "call", MONDAY_NOON_NY)
    assert full is not None
    assert Reason.WEEKLY_CALL_CAP in decide(full, MONDAY_NOON_NY).reasons


def test_debtor_and_account_flags_from_the_database_block_the_contact(session: Session) -> None:
    _, account, _ = _seed(session, flags=["attorney", "vip"], dnc=True)
    account.flags = ["dispute"]
    session.commit()
    contact = load_contact(session, account.id or 0, "call", MONDAY_NOON_NY)
    assert contact is not None
    reasons = decide(contact, MONDAY_NOON_NY).reasons
    assert reasons == (Reason.ATTORNEY, Reason.DISPUTE, Reason.DNC)


def test_portfolio_overrides_tighten_the_profile(session: Session) -> None:
    _, account, _ = _seed(session, profile="us-ma", overrides={"start": "13:00"})
    session.commit()
    contact = load_contact(session, account.id or 0, "call", MONDAY_NOON_NY)
    assert contact is not None
    decision = decide(contact, MONDAY_NOON_NY)  # 12:00 New York, 09:00 Los Angeles
    assert decision.reasons == (Reason.OUTSIDE_HOURS,)
    assert decision.next_allowed_at == datetime(2026, 6, 15, 20, 0, tzinfo=UTC)  # 13:00 Pacific


def test_decision_recorded_on_the_attempt_survives_a_commit(session: Session) -> None:
    _, account, _ = _seed(session, profile="us-ma")
    session.commit()
    contact = load_contact(session, account.id or 0, "call", MONDAY_NOON_NY)
    assert contact is not None
    decision = decide(contact, MONDAY_NOON_NY)
    attempt = record_decision(
        _attempt(account, MONDAY_NOON_NY, ""), decision, contact, MONDAY_NOON_NY
    )
    session.add(attempt)
    session.commit()
    session.expire_all()
    stored = session.get(ContactAttempt, attempt.id)
    assert stored is not None
    assert stored.compliance["allowed"] is True
    assert stored.compliance["profile"] == "us-ma"
    assert stored.compliance["rules_version"] == decision.rules_version
    assert stored.compliance["reasons"] == []


def test_hopper_columns_from_the_database_agree_with_the_engine(session: Session) -> None:
    portfolio, account, _ = _seed(session)
    session.add_all(
        _attempt(account, MONDAY_NOON_NY - timedelta(days=d, hours=1), "no_answer")
        for d in range(7)
    )
    session.commit()
    ids, columns, profile = hopper_columns(session, portfolio, [account], MONDAY_NOON_NY)
    bits = callable_now(columns, profile, MONDAY_NOON_NY)
    contact = load_contact(session, account.id or 0, "call", MONDAY_NOON_NY)
    assert contact is not None
    assert ids == [account.id]
    assert (
        reasons_of(int(bits[0]))
        == decide(contact, MONDAY_NOON_NY).reasons
        == (Reason.WEEKLY_CALL_CAP,)
    )


def test_unknown_account_is_a_lookup_error(session: Session) -> None:
    with pytest.raises(LookupError, match="account 999 does not exist"):
        load_contact(session, 999, "call", MONDAY_NOON_NY)
