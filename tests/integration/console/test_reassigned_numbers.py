"""The FCC reassigned-numbers database from an admin's shell: `concord numbers rnd-query` writes
the question, `concord numbers rnd-results` keeps the answers and retires reassigned numbers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from console_floor import Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from test_holds import _reasons
from typer.testing import Result

from core.models import ContactAttempt, Phone
from dialer.store import auto_dial_allowed

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _phone(db_engine: Engine, phone_id: int) -> Phone:
    with Session(db_engine) as db:
        phone = db.get(Phone, phone_id)
        assert phone is not None
        return phone


def test_a_number_the_database_says_was_disconnected_is_retired_with_the_evidence(
    client: httpx.Client,
    db_engine: Engine,
    floor_data: Floor,
    numbers: Callable[..., Result],
    tmp_path: Path,
) -> None:
    maria, account_id = pk(floor_data.phone), pk(floor_data.account)
    with Session(db_engine) as db:  # Maria's mobile, got in 2025 and last spoken on in January
        for phone in db.exec(select(Phone)).all():
            phone.created_at = datetime(2025, 6, 1, 12, tzinfo=UTC)
            db.add(phone)
        sam = pk(db.exec(select(Phone).where(Phone.number == "+13125550188")).one())
        db.add(
            ContactAttempt(
                account_id=account_id, debtor_id=floor_data.account.debtor_id, channel="call",
                to_address=floor_data.phone.number, outcome="conversation",
                started_at=datetime(2026, 1, 15, 17, tzinfo=UTC),
            )
        )  # fmt: skip
        db.commit()
    asked = tmp_path / "rnd-query.csv"

    written = numbers("rnd-query", str(asked))

    assert written.exit_code == 0, written.output
    rows = asked.read_text().splitlines()
    assert rows[0] == "number,date"
    assert "2025550143,2026-01-15" in rows and "3125550188,2025-06-01" in rows

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Phone Number,Date,Result\n2025550143,2026-01-15,Yes\n"
        "3125550188,2025-06-01,maybe\n555,2025-06-01,No\n3125550188,15/06/2025,No\n"
    )
    refused = numbers("rnd-results", str(bad))
    assert refused.exit_code == 2
    for said in (
        "line 3: result 'maybe' is not yes, no or no data",
        "line 4: number '555' is not a ten-digit US number",
        "line 5: date '15/06/2025' is not a date as YYYY-MM-DD",
        "nothing was changed",
    ):
        assert said in refused.output, refused.output
    assert _phone(db_engine, maria).wrong_number_at is None  # the good line 2 was not kept

    answers = tmp_path / "answers.csv"
    answers.write_text(
        "\ufeffPhone Number,Date,Result\n(202) 555-0143,2026-01-15,Yes\n"
        "1-312-555-0188,2025-06-01,No\n2065550100,2026-01-01,No Data\n"
    )
    imported = numbers("rnd-results", str(answers), "--by", "dana")

    assert imported.exit_code == 0, imported.output
    assert (
        "3 answer(s): 1 reassigned (retired, no calls or texts), 1 not disconnected, "
        "0 no data, 1 not on file" in imported.output
    ), imported.output
    assert "retired +12025550143" in imported.output
    retired = _phone(db_engine, maria)
    assert retired.wrong_number_at is not None and not retired.consent
    assert (retired.rnd_result, retired.rnd_since) == ("yes", date(2026, 1, 15))
    assert not auto_dial_allowed(retired)
    assert _reasons(db_engine, account_id, floor_data.phone.number) == ["wrong_number"]
    kept = _phone(db_engine, sam)
    assert (kept.rnd_result, kept.rnd_since, kept.wrong_number_at) == ("no", date(2025, 6, 1), None)

    login(client, "ana")  # the agent reads why the number is not called, and the history who
    page = client.get(f"/accounts/{account_id}").text
    phones = page.split('id="phones"')[1]
    assert "reassigned: disconnected on or after 2026-01-15 (FCC database, checked" in phones
    history = page.split('id="hold-history"')[1]
    assert "set wrong_number" in history and "dana" in history

    again = tmp_path / "again.csv"
    numbers("rnd-query", str(again))
    asked_again = again.read_text().splitlines()
    assert not any(r.startswith("2025550143,") for r in asked_again)  # retired: not asked
    checked = kept.rnd_checked_at
    assert checked is not None
    assert f"3125550188,{checked:%Y-%m-%d}" in asked_again  # asked since the last "no"
