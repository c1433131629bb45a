"""The QA reviewer's page over real HTTP: every kind of stored call renders, in words."""

from __future__ import annotations

import wave
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from compliance.engine import decide
from compliance.store import decision_record, load_contact
from core.models import Account, ContactAttempt, DispositionCode, PaymentPlan, PlanInstallment
from core.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def app_settings(app_settings: Settings, tmp_path: Path) -> Settings:
    """The console reads recordings from a directory of this test's own."""
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    return app_settings.model_copy(update={"recordings_dir": recordings})


def _record(directory: Path, call_id: str, seconds: float = 0.5) -> bytes:
    """A WAV as MixMonitor names it: <call id>.wav, 8 kHz 16-bit mono."""
    path = directory / f"{call_id}.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x01\x00" * int(8000 * seconds))
    return path.read_bytes()


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


def _accounts(db: Session, floor: Floor) -> tuple[Account, Account]:
    """Client A's account and client B's, in this session."""
    account, other = db.get(Account, pk(floor.account)), db.get(Account, pk(floor.other_account))
    assert account is not None and other is not None
    return account, other


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
        account, other = _accounts(db, floor_data)
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
        account, other = _accounts(db, floor_data)
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


def test_qa_plays_a_recorded_call_and_the_page_offers_only_recorded_ones(
    client: httpx.Client, db_engine: Engine, floor_data: Floor, app_settings: Settings
) -> None:
    audio = _record(app_settings.recordings_dir, "c-0001")
    with Session(db_engine) as db:
        account = db.get(Account, pk(floor_data.account))
        assert account is not None
        recorded = _attempt(
            db, account, "RPC", 10, recording_ref="/var/spool/asterisk/monitor/concord/c-0001.wav"
        )
        silent = _attempt(db, account, "WN", 5)
        db.commit()
        recorded_id, silent_id = pk(recorded), pk(silent)

    login(client, "quinn")
    page = client.get("/qa").text
    played = client.get(f"/qa/calls/{recorded_id}/recording")
    part = client.get(f"/qa/calls/{recorded_id}/recording", headers={"Range": "bytes=0-43"})
    none = client.get(f"/qa/calls/{silent_id}/recording")

    assert f'src="/qa/calls/{recorded_id}/recording"' in page
    assert f'src="/qa/calls/{silent_id}/recording"' not in page
    assert played.status_code == 200 and played.headers["content-type"] == "audio/wav"
    assert played.content == audio
    assert part.status_code == 206 and part.content == audio[:44]  # the browser can seek
    assert none.status_code == 404 and "has no recording" in none.text


def test_a_recording_outside_the_reviewers_reach_or_the_directory_is_not_served(
    client: httpx.Client, db_engine: Engine, floor_data: Floor, app_settings: Settings
) -> None:
    _record(app_settings.recordings_dir, "c-0002")
    secret = app_settings.recordings_dir.parent / "secret.wav"
    secret.write_bytes(b"RIFF not for QA")
    with Session(db_engine) as db:
        account, other = _accounts(db, floor_data)
        other_client = _attempt(db, other, "RPC", 10, recording_ref="/x/c-0002.wav")
        escaping = _attempt(db, account, "RPC", 8, recording_ref="/x/../secret.wav/..")
        gone = _attempt(db, account, "RPC", 6, recording_ref="/x/c-0404.wav")
        qa = db.get(type(floor_data.qa), pk(floor_data.qa))
        assert qa is not None
        qa.client_id = pk(floor_data.client_a)
        db.commit()
        ids = pk(other_client), pk(escaping), pk(gone)

    login(client, "quinn")
    other_call, escape, missing = (client.get(f"/qa/calls/{i}/recording") for i in ids)
    login(client, "ana")
    agent = client.get(f"/qa/calls/{ids[0]}/recording")

    assert other_call.status_code == 404 and "No such call." in other_call.text
    assert escape.status_code == 404 and b"not for QA" not in escape.content
    assert missing.status_code == 404 and "CONCORD_RECORDINGS_DIR" in missing.text
    assert agent.status_code == 403


def test_the_scorecard_page_shows_what_the_call_left_on_file(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """'Stated the terms' is judged against the plan as saved, the notes and the length."""
    with Session(db_engine) as db:
        account = db.get(Account, pk(floor_data.account))
        assert account is not None
        call = _attempt(
            db, account, "PLAN", 10, ended_at=NOW - timedelta(minutes=10) + timedelta(seconds=754),
            notes="Lost hours at work; two payments suit her",
        )  # fmt: skip
        db.flush()
        plan = PaymentPlan(account_id=pk(account), total_minor=40_000, contact_attempt_id=pk(call))
        db.add(plan)
        db.flush()
        db.add_all(
            [
                PlanInstallment(plan_id=pk(plan), seq=1, due_date=date(2026, 3, 20),
                                amount_minor=20_000),
                PlanInstallment(plan_id=pk(plan), seq=2, due_date=date(2026, 4, 20),
                                amount_minor=20_000),
            ]
        )  # fmt: skip
        db.commit()
        call_id = pk(call)
    login(client, "quinn")

    record = client.get(f"/qa/calls/{call_id}").text.split('id="call-record"')[1].split("</dl>")[0]

    assert "<dd>12:34</dd>" in record
    assert "plan of $400.00: 2026-03-20 $200.00; 2026-04-20 $200.00" in record
    assert "Lost hours at work; two payments suit her" in record
    assert "<dd>$1,240.50</dd>" in record
