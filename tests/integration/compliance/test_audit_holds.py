"""QA's audit replays the hold history: a contact made while a hold was in force is a breach."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlmodel import Session, select
from test_compliance_store import MONDAY_NOON_NY, _attempt, _seed

from core.holds import record_change
from core.models import Account, Phone
from core.stopped_numbers import lift_number, stop_number
from qa.audit_store import audit

pytestmark = [pytest.mark.integration, pytest.mark.db]

ALLOWED = {"allowed": True, "reasons": []}


def test_a_call_made_while_the_debtors_bankruptcy_hold_stood_is_reported(
    session: Session,
) -> None:
    _, account, _ = _seed(session)
    sibling = Account(client_id=account.client_id, portfolio_id=account.portfolio_id,
                      debtor_id=account.debtor_id, client_account_number="A-2")  # fmt: skip
    session.add(sibling)
    session.flush()
    filed, dismissed = MONDAY_NOON_NY - timedelta(days=3), MONDAY_NOON_NY + timedelta(days=1)
    # set through the other account: a hold on the person stops every account of theirs
    record_change(session, sibling, "bankruptcy", "set", "debtor", "BK 7", "ana", filed)
    record_change(session, sibling, "bankruptcy", "lift", "debtor", "dismissed", "lee", dismissed)
    record_change(session, account, "dispute", "set", "account", "letter", "lee", filed)
    record_change(session, account, "dispute", "lift", "account", "validated", "lee", filed)
    session.add_all([
        _attempt(account, filed - timedelta(days=1), "no_answer", compliance=ALLOWED),
        _attempt(account, MONDAY_NOON_NY, "no_answer", compliance=ALLOWED),
        _attempt(account, dismissed + timedelta(days=1), "no_answer", compliance=ALLOWED),
    ])  # fmt: skip
    session.commit()
    report = audit(session, filed - timedelta(days=2), dismissed + timedelta(days=2), None)
    held = [r for r in report.findings if "bankruptcy" in dict(r.reasons)]
    assert [r.at.replace(tzinfo=UTC) for r in held] == [MONDAY_NOON_NY]
    assert not [r for r in report.findings if "dispute" in dict(r.reasons)]  # lifted at once


def test_a_call_to_a_number_retired_or_asked_off_before_it_is_reported_not_skipped(
    session: Session,
) -> None:
    """The replay's contact has no phone row for a retired number: such calls were counted
    "not replayed: no phone" and the audit came out clean."""
    _, account, person = _seed(session)
    (phone,) = session.exec(select(Phone).where(Phone.debtor_id == person.id)).all()
    phone.no_calls_at = MONDAY_NOON_NY - timedelta(days=1)  # 9 pressed, or told an agent
    session.add_all([
        phone,
        _attempt(account, MONDAY_NOON_NY - timedelta(days=2), "no_answer", compliance=ALLOWED,
                 to_address=phone.number),  # before: fine
        _attempt(account, MONDAY_NOON_NY, "no_answer", compliance=ALLOWED,
                 to_address=phone.number),  # after: a breach
    ])  # fmt: skip
    session.commit()
    report = audit(session, MONDAY_NOON_NY - timedelta(days=3), MONDAY_NOON_NY + timedelta(hours=1),
                   None)  # fmt: skip
    stopped = [r for r in report.findings if "no_calls_here" in dict(r.reasons)]
    assert [r.at.replace(tzinfo=UTC) for r in stopped] == [MONDAY_NOON_NY]
    assert stopped[0].kind == "breach"


def test_a_call_to_a_number_while_it_was_on_the_do_not_call_list_is_reported(
    session: Session,
) -> None:
    """The list keeps lifted entries with their dates, so the audit replays it as it stood:
    before the 9, and after a lead took the number off, calls are fine."""
    _, account, person = _seed(session)
    (phone,) = session.exec(select(Phone).where(Phone.debtor_id == person.id)).all()
    pressed, lifted = MONDAY_NOON_NY - timedelta(days=1), MONDAY_NOON_NY + timedelta(hours=2)
    stop_number(session, phone.number, pressed, "keypad", "pressed 9", "dialer")
    lift_number(session, phone.number, "asked to be called here again", "lee", lifted)
    calls = (pressed - timedelta(days=1), MONDAY_NOON_NY, lifted + timedelta(hours=1))
    session.add_all([_attempt(account, at, "no_answer", compliance=ALLOWED,
                              to_address=phone.number) for at in calls])  # fmt: skip
    session.commit()
    report = audit(session, calls[0] - timedelta(hours=1), calls[-1] + timedelta(hours=1), None)
    stopped = [r for r in report.findings if "stopped_number" in dict(r.reasons)]
    assert [(r.at.replace(tzinfo=UTC), r.kind) for r in stopped] == [(MONDAY_NOON_NY, "breach")]
