"""The QA reviewer's page over real HTTP: every kind of stored call renders, in words."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from compliance.engine import decide
from compliance.store import decision_record, load_contact
from core.models import Account, ContactAttempt, DispositionCode

pytestmark = pytest.mark.integration


def _attempt(
    db: Session, account: Account, code: str, minutes_ago: int, **fields: object
) -> ContactAttempt:
    disposition = db.exec(
        select(DispositionCode).where(
            DispositionCode.client_id == account.client_id, DispositionCode.code == code
        )
    ).one()
    attempt = ContactAttempt(
        account_id=pk(account),
        debtor_id=account.debtor_id,
        channel="call",
        to_address="+12025550143",
        started_at=NOW - timedelta(minutes=minutes_ago),
        outcome="conversation",
        disposition_code_id=pk(disposition),
        **fields,
    )
    db.add(attempt)
    return attempt


def _decided(db: Session, account: Account, hours_later: int) -> dict[str, object]:
    """The record the dialer stores, from the real engine (03:00 in DC is outside hours)."""
    at = NOW + timedelta(hours=hours_later)
    contact = load_contact(db, pk(account), "call", at, "+12025550143")
    assert contact is not None
    return decision_record(decide(contact, at), contact, at)


def test_qa_sees_imported_history_allowed_and_refused_calls_in_words(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        account = db.get(Account, pk(floor_data.account))
        other = db.get(Account, pk(floor_data.other_account))
        assert account is not None and other is not None
        allowed, refused = _decided(db, account, 0), _decided(db, account, 13)
        assert allowed["allowed"] is True and refused["allowed"] is False
        # Imported (or seeded) history: no script version, no path, no decision.
        _attempt(db, account, "PTP", 30, script_name="early_reminder")
        _attempt(
            db,
            account,
            "RPC",
            20,
            agent_id=pk(floor_data.agent),
            script_name="third_party_first_contact",
            script_version="3",
            script_path=["greeting", "mini_miranda", "close"],
            compliance=allowed,
        )
        _attempt(db, account, "WN", 10, compliance=refused)
        _attempt(db, other, "RPC", 5, compliance=allowed)
        db.commit()

    login(client, "quinn")
    page = client.get("/qa")

    assert page.status_code == 200
    text = page.text
    assert text.count('data-account="') == 4  # QA of the agency sees both clients
    assert "no decision recorded" in text and ">early_reminder<" in text
    assert "third_party_first_contact@3" in text and "greeting › mini_miranda › close" in text
    assert ">ana<" in text and ">dialer<" in text
    assert "refused: " in text and "Ridge Credit Union" in text
    # Newest first: the other client's call (5 minutes ago) leads, the imported one is last.
    assert text.index(f'data-account="{pk(floor_data.other_account)}"') < text.index(
        "no decision recorded"
    )


def test_qa_bound_to_one_client_sees_only_that_clients_calls(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        account = db.get(Account, pk(floor_data.account))
        other = db.get(Account, pk(floor_data.other_account))
        assert account is not None and other is not None
        _attempt(db, account, "RPC", 20)
        _attempt(db, other, "RPC", 5)
        qa = db.get(type(floor_data.qa), pk(floor_data.qa))
        assert qa is not None
        qa.client_id = pk(floor_data.client_a)
        db.commit()

    login(client, "quinn")
    page = client.get("/qa")

    assert page.status_code == 200
    assert f'data-account="{pk(floor_data.account)}"' in page.text
    assert f'data-account="{pk(floor_data.other_account)}"' not in page.text
    assert "Ridge Credit Union" not in page.text
