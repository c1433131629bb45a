"""`concord demo seed` on the test database: reproducibility, idempotence, reset, the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from core import demo_cli
from core.demo import catalog
from core.demo.seed import DemoExistsError, seed_demo
from core.models import (
    Account,
    Client,
    Debtor,
    Phone,
)
from core.settings import get_settings

pytestmark = [pytest.mark.db, pytest.mark.integration]
TODAY = date(2026, 11, 30)
DEBTORS = 150


@pytest.fixture
def seeded(db_engine: Engine) -> Iterator[Session]:
    """A demo of its own for a test that changes it."""
    with Session(db_engine, expire_on_commit=False) as session:
        seed_demo(session, 7, TODAY, debtors=DEBTORS)
        session.commit()
        yield session


def _book(session: Session) -> list[tuple[object, ...]]:
    """The business content of the demo, without ids and audit stamps."""
    rows = session.exec(
        select(Account, Debtor, Phone)
        .join(Debtor, col(Debtor.id) == Account.debtor_id)
        .join(Phone, col(Phone.debtor_id) == Debtor.id)
        .order_by(Account.client_account_number, Phone.position)
    ).all()
    return [
        (a.client_account_number, a.balance_minor, a.delinquency_date, a.last_payment_date,
         a.segment, a.flags, d.first_name, d.last_name, d.date_of_birth, p.number, p.type)
        for a, d, p in rows
    ]  # fmt: skip


def test_seeding_again_is_refused_and_duplicates_nothing(seeded: Session) -> None:
    before = len(seeded.exec(select(Account)).all())
    with pytest.raises(DemoExistsError, match="--reset"):
        seed_demo(seeded, 7, TODAY, debtors=DEBTORS)
    seeded.rollback()
    assert len(seeded.exec(select(Account)).all()) == before


def test_reset_with_the_same_seed_gives_the_same_book(seeded: Session) -> None:
    first = _book(seeded)
    seed_demo(seeded, 7, TODAY, debtors=DEBTORS, reset=True)
    seeded.commit()
    assert _book(seeded) == first
    assert len(seeded.exec(select(Client)).all()) == 2


def test_another_seed_gives_another_book(seeded: Session) -> None:
    first = _book(seeded)
    seed_demo(seeded, 8, TODAY, debtors=DEBTORS, reset=True)
    seeded.commit()
    assert _book(seeded) != first


def test_reset_leaves_real_clients_untouched(db_engine: Engine) -> None:
    with Session(db_engine, expire_on_commit=False) as session:
        real = Client(code="ACME", name="Acme Bank")
        session.add(real)
        session.flush()
        session.add(Debtor(client_id=real.id or 0, first_name="Ana", last_name="Real"))
        seed_demo(session, 1, TODAY, debtors=60)
        seed_demo(session, 1, TODAY, debtors=60, reset=True)
        session.commit()
        assert (
            session.exec(select(Debtor).where(Debtor.client_id == real.id)).one().last_name
            == "Real"
        )


def test_the_cli_prints_the_logins_once_and_refuses_a_second_seed(
    db_engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        first = CliRunner().invoke(demo_cli.app, ["seed", "--seed", "5", "--debtors", "60"])
        again = CliRunner().invoke(demo_cli.app, ["seed", "--seed", "5", "--debtors", "60"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    assert catalog.demo_password(5, "demo.admin") in first.output
    assert again.exit_code == 1
    assert "--reset" in again.output and catalog.demo_password(5, "demo.admin") not in again.output
