"""The validation notice on a real database: an account whose first conversation is more than
five business days old with no notice on record is held on every channel, by the per-contact
engine and the hopper's batch alike; QA's audit shows contacts made in that gap; and `concord
accounts validation` records notices (one, or a letter vendor's mailing report) and lists the
letters due."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from test_compliance_store import MONDAY_NOON_NY, _attempt, _seed
from typer.testing import CliRunner, Result

from compliance.batch import callable_now, reasons_of
from compliance.engine import decide
from compliance.reasons import Reason
from compliance.store import hopper_columns, load_contact
from core.cli import app as concord
from core.models import Account, DispositionCode, Email, HoldChange, utcnow
from core.settings import get_settings
from qa.audit_store import audit

pytestmark = [pytest.mark.integration, pytest.mark.db]

# Friday 5 June 2026: the notice was due by Friday 12 June; Monday 15 June it is late.
FIRST_SPOKE = MONDAY_NOON_NY - timedelta(days=10)


def _reasons(session: Session, account: Account, channel: str = "call") -> tuple[Reason, ...]:
    contact = load_contact(session, account.id or 0, channel, MONDAY_NOON_NY)  # type: ignore[arg-type]
    assert contact is not None
    return decide(contact, MONDAY_NOON_NY).reasons


def test_a_late_notice_holds_calls_texts_and_email_and_the_hopper_agrees(session: Session) -> None:
    portfolio, account, debtor = _seed(session)
    session.add_all([
        _attempt(account, FIRST_SPOKE, "conversation"),
        Email(debtor_id=debtor.id or 0, address="ana@example.com"),
    ])  # fmt: skip
    session.commit()
    for channel in ("call", "sms", "email"):
        assert _reasons(session, account, channel) == (Reason.VALIDATION_OVERDUE,), channel
    _, columns, profile = hopper_columns(session, portfolio, [account], MONDAY_NOON_NY)
    assert reasons_of(int(callable_now(columns, profile, MONDAY_NOON_NY)[0])) == (
        Reason.VALIDATION_OVERDUE,
    )
    account.validation_notice_on = date(2026, 6, 12)  # sent on the last day
    session.add(account)
    session.commit()
    assert _reasons(session, account) == ()


def test_a_conversation_with_someone_else_is_no_initial_communication(session: Session) -> None:
    _, account, _ = _seed(session)
    third = DispositionCode(client_id=account.client_id, code="3P", label="Third party",
                            category="third_party")  # fmt: skip
    session.add(third)
    session.flush()
    session.add(_attempt(account, FIRST_SPOKE, "conversation", disposition_code_id=third.id))
    session.commit()
    assert _reasons(session, account) == ()


def test_the_audit_shows_a_call_made_while_the_notice_was_late(session: Session) -> None:
    _, account, _ = _seed(session)
    allowed = {"allowed": True, "reasons": []}
    session.add_all([
        _attempt(account, FIRST_SPOKE, "conversation", compliance=allowed),
        _attempt(account, MONDAY_NOON_NY, "no_answer", compliance=allowed),
    ])  # fmt: skip
    account.validation_notice_on = date(2026, 6, 16)  # mailed the day after that call
    session.add(account)
    session.commit()
    report = audit(
        session, MONDAY_NOON_NY - timedelta(days=12), MONDAY_NOON_NY + timedelta(hours=1), None
    )
    late = [r for r in report.findings if "validation_overdue" in dict(r.reasons)]
    assert [r.at.replace(tzinfo=UTC) for r in late] == [MONDAY_NOON_NY]


@pytest.fixture
def validation(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Result]]:
    """`concord accounts validation ARGS...` on the test database."""
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_engine.url.render_as_string(False))
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(concord, ["accounts", "validation", *args])
    get_settings.cache_clear()


def test_the_command_lists_late_letters_records_them_and_refuses_bad_lines(
    session: Session, validation: Callable[..., Result], tmp_path: Path
) -> None:
    _, account, _ = _seed(session)
    account.created_at = utcnow() - timedelta(days=30)  # placed a month ago
    spoke = utcnow() - timedelta(days=20)
    session.add_all([account, _attempt(account, spoke, "conversation")])
    session.commit()
    listed = validation("ACME", "--due")
    assert listed.exit_code == 1, listed.output
    assert "1 accounts wait for a validation notice, 1 late" in listed.output
    assert "A-1  LATE, contact held" in listed.output

    report = tmp_path / "mailed.csv"
    report.write_text("account_number,sent_on\nA-1,2026-01-02\nA-9,2026-01-02\nA-1,tomorrow\n")
    refused = validation("ACME", "--mailed", str(report))
    assert refused.exit_code == 2
    assert f"{report}:3: account_number: ACME has no account 'A-9'" in refused.output
    assert f"{report}:4: account_number: A-1 is also on line 2" in refused.output
    session.expire_all()
    assert session.get(Account, account.id).validation_notice_on is None  # type: ignore[union-attr]

    future = (utcnow() + timedelta(days=2)).date().isoformat()
    assert "is in the future" in validation("ACME", "A-1", "--sent", future).output
    too_early = (utcnow() - timedelta(days=40)).date().isoformat()
    assert (
        "before the account was placed here"
        in validation("ACME", "A-1", "--sent", too_early).output
    )
    sent_on = spoke.date() + timedelta(days=1)
    recorded = validation("ACME", "A-1", "--sent", sent_on.isoformat(), "--by", "kai")
    assert recorded.exit_code == 0, recorded.output
    assert f"Validation notice sent {sent_on:%b %-d, %Y}" in recorded.output
    other_day = validation("ACME", "A-1", "--sent", spoke.date().isoformat())
    assert other_day.exit_code == 2 and "already has a notice sent on" in other_day.output
    assert validation("ACME", "--due").exit_code == 0
    session.expire_all()
    stored = session.get(Account, account.id)
    assert stored is not None and stored.validation_notice_on == sent_on
    assert stored.updated_by == "kai"
    history = session.exec(select(HoldChange).where(HoldChange.account_id == account.id)).all()
    assert [(h.hold, h.reason, h.actor) for h in history] == [
        ("validation_notice", f"validation notice sent {sent_on}", "kai")
    ]
