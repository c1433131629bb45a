"""QA's automated audit of the contact log, on the page and from `concord qa audit`: real rows
through the real queries, decisions from the real engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner, Result

from compliance.engine import decide
from compliance.store import decision_record, load_contact
from console.routes import qa as qa_routes
from core.cli import app as concord
from core.models import Account, Address, ContactAttempt, Debtor, Email
from core.settings import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.db]
Cli = Callable[..., Result]
# NOW is Wednesday 2026-03-11 15:00 UTC: 11:00 in Washington DC, 10:00 in Chicago.
MONDAY = NOW - timedelta(days=2)


@pytest.fixture
def audit_cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(concord, ["qa", "audit", *args])
    get_settings.cache_clear()


def _call(db: Session, account: Account, at: datetime, **fields: Any) -> ContactAttempt:
    """A call to the account's debtor's first phone (both debtors have one)."""
    contact = load_contact(db, pk(account), "call", at)
    assert contact is not None
    attempt = ContactAttempt(
        account_id=pk(account),
        debtor_id=account.debtor_id,
        channel="call",
        to_address=contact.to,
        started_at=at,
        outcome=fields.pop("outcome", "no_answer"),
        **fields,
    )
    db.add(attempt)
    db.flush()
    return attempt


@pytest.fixture
def logged(db_engine: Engine, floor_data: Floor) -> dict[str, int]:
    """Harbor's debtor called eight times on Monday, each call's stored decision the engine's
    with none of the others seen (as racing processes see them); one more made although
    refused; Ridge's debtor called at 03:00 with no decision stored. Ten days ago, before the
    period audited but inside its 30-day abandon windows, Harbor's campaign abandoned 3 of 30
    live answers."""
    with Session(db_engine, expire_on_commit=False) as db:
        account = db.get(Account, pk(floor_data.account))
        other = db.get(Account, pk(floor_data.other_account))
        assert account is not None and other is not None
        ids: dict[str, int] = {}
        for n in range(8):
            at = MONDAY + timedelta(hours=n)
            contact = load_contact(db, pk(account), "call", at)
            assert contact is not None
            unseen = contact.model_copy(update={"history": ()})
            record = decision_record(decide(unseen, at), unseen, at)
            assert record["allowed"] is True
            ids[f"call{n + 1}"] = pk(_call(db, account, at, compliance=record))
        refused = {"allowed": False, "reasons": ["outside_hours"]}
        second = db.get(Account, pk(floor_data.second_account))
        assert second is not None
        ids["refused"] = pk(_call(db, second, NOW - timedelta(hours=1), compliance=refused))
        ids["night"] = pk(_call(db, other, NOW - timedelta(hours=7)))  # 03:00 in Chicago
        campaign = pk(floor_data.campaign)
        for n in range(30):
            outcome = "abandoned" if n < 3 else "conversation"
            recorded = {"recording_ref": "/var/spool/asterisk/monitor/x.wav"}
            _call(db, second, NOW - timedelta(days=10, minutes=n), outcome=outcome,
                  campaign_id=campaign, compliance={"allowed": True}, **recorded)  # fmt: skip
        db.commit()
    return ids


def test_qa_page_shows_each_portfolio_the_breaches_and_the_campaign_over_its_abandon_target(
    client: httpx.Client, floor_data: Floor, logged: dict[str, int]
) -> None:
    login(client, "quinn")
    page = client.get("/qa/audit?days=7")

    assert page.status_code == 200
    text = page.text
    # The 8th call in 7 days: only the replay of the whole log shows it.
    assert f'data-attempt="{logged["call8"]}" data-kind="breach"' in text
    assert f'data-attempt="{logged["call7"]}"' not in text
    assert 'data-reason="weekly_call_cap"' in text and "called 7 times in the last 7 days" in text
    assert f'data-attempt="{logged["refused"]}" data-kind="refused"' in text
    assert f'data-attempt="{logged["night"]}" data-kind="no_decision"' in text
    assert f'data-attempt="{logged["night"]}" data-kind="breach"' in text
    # Refused first (most serious), then breaches, then calls with no decision.
    assert text.index('data-kind="refused"') < text.index('data-kind="breach"')
    assert text.index('data-kind="breach"') < text.index('data-kind="no_decision"')
    assert 'data-portfolio="Harbor cards 2025"' in text and 'data-portfolio="Ridge autos"' in text
    assert 'data-campaign="Harbor early stage"' in text and "10.00% (3 of 30" in text


def test_qa_bound_to_one_client_audits_only_that_clients_contacts(
    client: httpx.Client, db_engine: Engine, floor_data: Floor, logged: dict[str, int]
) -> None:
    with Session(db_engine) as db:
        qa = db.get(type(floor_data.qa), pk(floor_data.qa))
        assert qa is not None
        qa.client_id = pk(floor_data.client_b)
        db.commit()
    login(client, "quinn")

    text = client.get("/qa/audit?days=7").text

    assert 'data-portfolio="Ridge autos"' in text and f'data-attempt="{logged["night"]}"' in text
    assert "Harbor" not in text and f'data-attempt="{logged["call8"]}"' not in text
    assert 'id="abandons-clean"' in text


def test_the_audit_refuses_an_unknown_period_and_agents(
    client: httpx.Client, floor_data: Floor
) -> None:
    login(client, "quinn")
    bad = client.get("/qa/audit?days=5")
    assert bad.status_code == 400 and "1, 7, 30" in bad.text

    client.cookies.clear()
    login(client, "ana")
    assert client.get("/qa/audit").status_code == 403


def test_the_command_lists_findings_and_exits_1_and_a_clean_period_exits_0(
    audit_cli: Cli, logged: dict[str, int]
) -> None:
    until = NOW.isoformat()

    found = audit_cli("--days", "7", "--until", until)
    ridge = audit_cli("--days", "7", "--until", until, "--client", "ridge")
    before = audit_cli("--days", "1", "--until", "2026-03-01")

    assert found.exit_code == 1, found.output
    assert "Harbor Bank / Harbor cards 2025: 9 contacts, 1 refused, 1 breach" in found.output
    assert f"attempt {logged['call8']} " in found.output and "weekly_call_cap" in found.output
    assert "campaign Harbor early stage (Harbor Bank): 30-day abandon rate 10.00%" in found.output
    assert ridge.exit_code == 1 and "Harbor" not in ridge.output
    assert "1 no_decision" in ridge.output
    assert (before.exit_code, before.output.split(",")[0]) == (
        0,
        "0 contacts from 2026-02-28 00:00 to 2026-03-01 00:00 UTC",
    )


def test_the_command_names_a_bad_option(audit_cli: Cli, floor_data: Floor) -> None:
    unknown = audit_cli("--client", "nobody")
    bad_date = audit_cli("--until", "yesterday")

    assert unknown.exit_code == 2 and "known: harbor, ridge" in unknown.output
    assert bad_date.exit_code == 2 and "--until 'yesterday'" in bad_date.output


def test_an_email_only_debtor_is_replayed_by_their_email_and_one_with_nothing_is_counted(
    audit_cli: Cli, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        account = db.get(Account, pk(floor_data.account))
        assert account is not None
        ids = []
        for email in ("sam@example.test", None):
            debtor = Debtor(client_id=account.client_id, first_name="Sam", last_name="Reed")
            db.add(debtor)
            db.flush()
            db.add(Address(debtor_id=pk(debtor), state="IL", postal_code="60601"))
            if email:
                db.add(Email(debtor_id=pk(debtor), address=email))
            owed = Account(client_id=account.client_id, portfolio_id=account.portfolio_id,
                           debtor_id=pk(debtor), client_account_number=f"E-{len(ids)}")  # fmt: skip
            db.add(owed)
            db.flush()
            # 03:00 in Chicago
            sent = ContactAttempt(account_id=pk(owed), debtor_id=pk(debtor), channel="email",
                                  to_address=email or "", started_at=NOW - timedelta(hours=7),
                                  compliance={"allowed": True})  # fmt: skip
            db.add(sent)
            db.flush()
            ids.append(pk(sent))
        db.commit()

    result = audit_cli("--days", "1", "--until", NOW.isoformat())

    assert "2 contacts (1 not replayed: no phone or email), 1 breach" in result.output
    assert f"attempt {ids[0]} " in result.output and "(follow-up worker)" in result.output
    assert "outside_hours" in result.output
    assert "UTC (03:00 CDT there)" in result.output  # the debtor's clock, named as they name it
    assert f"attempt {ids[1]} " not in result.output


def test_a_period_too_busy_to_replay_while_the_reviewer_waits_points_to_the_command(
    client: httpx.Client, logged: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qa_routes, "AUDIT_PAGE_LIMIT", 9)
    login(client, "quinn")

    busy = client.get("/qa/audit?days=7").text
    quiet = client.get("/qa/audit?days=1").text

    assert "The last 7 days hold 10 contacts, more than this page replays" in busy
    assert "<code>concord qa audit --days 7</code>" in busy and "data-attempt=" not in busy
    assert 'id="audit-too-big"' not in quiet and f'data-attempt="{logged["refused"]}"' in quiet
