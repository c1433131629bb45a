"""`concord scripts lint` and `concord scripts preview`, run through the real Typer app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from core.models import Account, Client, Debtor, Portfolio
from core.settings import get_settings
from scripts_library.cli import app

runner = CliRunner()


def test_lint_of_the_shipped_scripts_passes() -> None:
    result = runner.invoke(app, ["lint"])
    assert result.exit_code == 0, result.output
    assert "clean" in result.output


def test_lint_fails_with_file_node_and_reason(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["balance"]["say"] = "Pay today or we will have you arrested."
    path = write_script(clean)
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 1
    assert f"{path}: balance: [banned_language] say: 'arrested' threatens arrest" in result.output


def test_lint_of_a_missing_path_says_so() -> None:
    result = runner.invoke(app, ["lint", "/nonexistent/scripts"])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


@pytest.fixture
def settings_on_test_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def seed_account(session: Session, language: str) -> int:
    client = Client(code="HARBOR", name="Harbor Bank", callback_number="(555) 010-7777")
    session.add(client)
    session.flush()
    assert client.id is not None
    portfolio = Portfolio(client_id=client.id, name="2026-Q4", settlement_min_pct=55)
    debtor = Debtor(
        client_id=client.id, first_name="Rosa", last_name="Diaz", preferred_language=language
    )
    session.add_all([portfolio, debtor])
    session.flush()
    assert portfolio.id is not None and debtor.id is not None
    account = Account(
        client_id=client.id,
        portfolio_id=portfolio.id,
        debtor_id=debtor.id,
        client_account_number="HB-99-3141",
        balance_minor=200_000,
    )
    session.add(account)
    session.commit()
    assert account.id is not None
    return account.id


@pytest.mark.db
@pytest.mark.usefixtures("settings_on_test_db")
def test_preview_fills_the_script_for_a_real_account(session: Session) -> None:
    account_id = seed_account(session, "en")
    result = runner.invoke(app, ["preview", "settlement_offer", "--account", str(account_id)])
    assert result.exit_code == 0, result.output
    assert "Rosa Diaz" in result.output
    assert (
        "Harbor Bank is willing to settle your account for less than the full balance of $2,000.00"
        in result.output
    )
    assert "as little as $1,100.00. That is up to 45 percent off" in result.output


@pytest.mark.db
@pytest.mark.usefixtures("settings_on_test_db")
def test_preview_uses_the_debtors_language(session: Session) -> None:
    account_id = seed_account(session, "es")
    result = runner.invoke(app, ["preview", "dispute", "--account", str(account_id)])
    assert result.exit_code == 0, result.output
    assert "termina en 3141" in result.output


@pytest.mark.db
@pytest.mark.usefixtures("settings_on_test_db")
def test_preview_of_an_unknown_account_fails_clearly(session: Session) -> None:
    result = runner.invoke(app, ["preview", "dispute", "--account", "424242"])
    assert result.exit_code == 1
    assert "no account with id 424242" in result.output


@pytest.mark.db
@pytest.mark.usefixtures("settings_on_test_db")
def test_preview_of_a_draft_with_a_misspelt_field_or_a_broken_sibling_says_so(
    session: Session, tmp_path: Path, write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    """The author's draft tool answers in words, never with a traceback."""
    account_id = seed_account(session, "en")
    clean["nodes"]["greet"]["say"] = "May I speak with {{ debtor.firstname }}?"
    draft = write_script(clean)
    broken = tmp_path.parent / f"{tmp_path.name}-broken"
    broken.mkdir()
    (broken / "colon.yaml").write_text("name: x\nnodes:\n  greet\n    say: Hi\n", "utf-8")

    misspelt = runner.invoke(
        app, ["preview", "tiny", "--account", str(account_id), "--path", str(draft.parent)]
    )
    unreadable = runner.invoke(
        app, ["preview", "tiny", "--account", str(account_id), "--path", str(broken)]
    )

    assert misspelt.exit_code == 2 and isinstance(misspelt.exception, SystemExit)
    assert "tiny@1: cannot be filled for account" in misspelt.output
    assert "firstname" in misspelt.output
    assert unreadable.exit_code == 2 and "colon.yaml" in unreadable.output
