"""A debt that may be past the limit to sue: the agent is told, and a script step allowed to
speak of a lawsuit is not read on it (Reg F 1006.26(b))."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
import pytest
from console_floor import Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session
from test_call_flow import pop_call, wait_for_call

from core.models import Account, Portfolio
from core.settings import Settings

pytestmark = pytest.mark.integration

# A client variant that tells the debtor of a lawsuit the client decided on: lawful on a debt
# the client may still sue on, never on one that may be time-barred.
LEGAL = """\
kind: script
name: third_party_first_contact
version: 9
client: harbor
title: Legal review
language: en
contact_type: collector_first_contact
start: greet
nodes:
  greet:
    say: This call may be recorded. Our client has filed a lawsuit about this account.
    allow:
      - rule: lawsuit
        reason: The client decided to sue on this account and counsel approved the filing.
    answers:
      - {label: "Understood", next: done}
  done:
    kind: end
    disposition: right_party
    say: Thank you for your time.
"""


@pytest.fixture
def app_settings(app_settings: Settings, tmp_path: Path) -> Settings:
    published = tmp_path / "scripts"
    published.mkdir(exist_ok=True)
    (published / "third_party_first_contact.harbor.en.v9.yaml").write_text(LEGAL)
    return app_settings


def _age(db_engine: Engine, floor: Floor, delinquent: date, years: int = 3) -> None:
    with Session(db_engine) as db:
        account = db.get(Account, pk(floor.account))
        portfolio = db.get(Portfolio, floor.account.portfolio_id)
        assert account is not None and portfolio is not None
        account.delinquency_date, portfolio.limitation_years = delinquent, years
        db.add_all([account, portfolio])
        db.commit()


def test_an_old_debt_is_flagged_and_a_step_about_a_lawsuit_is_not_read(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    _age(db_engine, floor_data, date(2019, 5, 2))
    login(client, "ana")
    pop_call(redis_url, floor_data, "c-old")
    wait_for_call(client, "c-old")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert 'data-flag="time-barred?"' in screen
    assert "may be past the 3-year limit to sue (since 2022-05-02)" in screen
    assert "Do not read this step: it speaks of a lawsuit or garnishment" in screen
    assert "has filed a lawsuit" not in screen


def test_a_debt_inside_the_portfolios_period_is_not_flagged(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    _age(db_engine, floor_data, date(2019, 5, 2), years=10)  # counsel: ten years here
    login(client, "ana")
    pop_call(redis_url, floor_data, "c-young")
    wait_for_call(client, "c-young")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert "time-barred?" not in screen
    assert "Our client has filed a lawsuit about this account." in screen  # lawful here
