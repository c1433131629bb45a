"""`concord dispositions apply` / `export`: a client's own codes reach the outcome panel."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from console_floor import Floor, login
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from console import dispositions_cli
from core.models import ContactAttempt, DispositionCode, utcnow
from core.settings import get_settings

pytestmark = [pytest.mark.integration]
Cli = Callable[..., Result]

CODES = textwrap.dedent(
    """\
    dispositions:
      - client: harbor
        code: PTP-ACH
        label: Promise to pay by bank transfer
        category: promise
      - client: harbor
        code: WN
        label: Wrong number
        category: wrong_number
        active: false
      - client: harbor
        code: WRONG
        label: Wrong number (reached someone else)
        category: wrong_number
    """
)


@pytest.fixture
def dispositions(db_url: str, floor_data: Floor, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(dispositions_cli.app, list(args))
    get_settings.cache_clear()


def _codes(engine: Engine, client_id: int) -> dict[str, DispositionCode]:
    with Session(engine) as db:
        rows = db.exec(select(DispositionCode).where(DispositionCode.client_id == client_id))
        return {row.code: row for row in rows}


@pytest.mark.db
def test_a_clients_own_code_is_added_and_one_retired_without_touching_the_others(
    dispositions: Cli, db_engine: Engine, floor_data: Floor, tmp_path: Path
) -> None:
    path = tmp_path / "codes.yaml"
    path.write_text(CODES, encoding="utf-8")

    result = dispositions("apply", str(path))
    again = dispositions("apply", str(path))
    exported = dispositions("export", "--client", "harbor")

    assert result.exit_code == 0, result.output
    assert "changed: 3 of 3 disposition(s)" in result.output
    assert "changed: 0 of 3 disposition(s)" in again.output
    codes = _codes(db_engine, floor_data.client_a.id or 0)
    assert codes["PTP-ACH"].category == "promise" and codes["PTP-ACH"].updated_by.startswith(
        "dispositions"
    )
    assert codes["WN"].active is False and codes["PTP"].active  # unlisted codes stay as they were
    assert _codes(db_engine, floor_data.client_b.id or 0)["WN"].active  # another client's too
    assert "code: PTP-ACH" in exported.output and "active: false" in exported.output


def test_the_outcome_panel_offers_the_new_code_and_no_longer_the_retired_one(
    dispositions: Cli, client: httpx.Client, tmp_path: Path
) -> None:
    path = tmp_path / "codes.yaml"
    path.write_text(CODES, encoding="utf-8")
    assert dispositions("apply", str(path)).exit_code == 0
    token = login(client, "ana")

    # the panel lists the client's codes once an account is on screen: preview one
    search = client.get("/agent/preview", params={"q": "Lopez"}).text
    account = search.split('hx-post="/agent/preview/')[1].split('"')[0]
    screen = client.post(f"/agent/preview/{account}", headers={"X-CSRF-Token": token}).text

    assert "PTP-ACH — Promise to pay by bank transfer" in screen
    assert "WN — Wrong number" not in screen


def test_a_bad_file_names_the_line_and_changes_nothing(
    dispositions: Cli, db_engine: Engine, floor_data: Floor, tmp_path: Path
) -> None:
    client_a = floor_data.client_a.id or 0
    before = {k: v.model_dump() for k, v in _codes(db_engine, client_a).items()}
    path = tmp_path / "codes.yaml"
    path.write_text(CODES.replace("category: wrong_number", "category: wrong"), encoding="utf-8")
    result = dispositions("apply", str(path))
    stranger = CODES + "  - {client: nobody, code: X, label: X, category: refused}\n"
    path.write_text(stranger, encoding="utf-8")
    unknown = dispositions("apply", str(path))

    assert result.exit_code == unknown.exit_code == 2
    assert f"{path}:9: dispositions[1] ('WN').category: 'wrong' is not a category" in (
        result.output
    )
    assert f"{path}:15: dispositions[3] ('X').client: no client with code 'nobody'" in (
        unknown.output
    )
    assert {k: v.model_dump() for k, v in _codes(db_engine, client_a).items()} == before


@pytest.mark.db
def test_a_code_already_used_keeps_its_category_and_an_unused_one_may_change(
    dispositions: Cli, db_engine: Engine, floor_data: Floor, tmp_path: Path
) -> None:
    client_a = floor_data.client_a.id or 0
    wrong_number = _codes(db_engine, client_a)["WN"]
    with Session(db_engine) as db:
        db.add(ContactAttempt(account_id=floor_data.account.id or 0, channel="call",
                              debtor_id=floor_data.debtor.id or 0, started_at=utcnow(),
                              disposition_code_id=wrong_number.id))  # fmt: skip
        db.commit()
    path = tmp_path / "codes.yaml"
    path.write_text(CODES.replace("category: wrong_number", "category: no_contact"), "utf-8")

    refused = dispositions("apply", str(path))
    unused = CODES.replace("category: wrong_number\n    active: false", "category: wrong_number")
    path.write_text(unused.replace("category: promise", "category: plan"), "utf-8")
    dispositions("apply", str(path))  # PTP-ACH is new: created as a promise code first
    path.write_text(unused, "utf-8")
    changed = dispositions("apply", str(path))

    assert refused.exit_code == 2
    said = " ".join(refused.output.split())
    assert (
        f"{path}:9: dispositions[1] ('WN').category: WN already records 1 outcome(s) as "
        "'wrong_number'; a new category would rewrite them in every report" in said
    )
    assert changed.exit_code == 0, changed.output
    codes = _codes(db_engine, client_a)
    assert (codes["WN"].category, codes["PTP-ACH"].category) == ("wrong_number", "promise")


@pytest.mark.db
def test_switching_off_a_clients_last_code_for_a_hold_it_must_record_is_refused(
    dispositions: Cli, db_engine: Engine, floor_data: Floor, tmp_path: Path
) -> None:
    """Without an active wrong-number code an agent cannot retire a number that reaches
    someone else; the same goes for a dispute, a cease request, a lawyer, a death, a
    bankruptcy."""
    client_a = floor_data.client_a.id or 0
    before = {k: v.model_dump() for k, v in _codes(db_engine, client_a).items()}
    path = tmp_path / "codes.yaml"
    path.write_text(CODES.split("  - client: harbor\n    code: WRONG")[0], "utf-8")

    result = dispositions("apply", str(path))

    assert result.exit_code == 2
    assert (
        f"{path}:10: dispositions[1] ('WN').active: harbor would have no active 'wrong_number' "
        "code: agents could not record it on a call"
    ) in result.output
    assert {k: v.model_dump() for k, v in _codes(db_engine, client_a).items()} == before
