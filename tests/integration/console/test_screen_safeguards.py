"""What the agent screen keeps from going wrong: a card number in the notes, a balance nobody
itemised."""

from __future__ import annotations

import httpx
import pytest
from console_floor import Floor, login
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from test_call_flow import answer, htmx, pop_call, wait_for_call

from core.models import Account, ContactAttempt

pytestmark = pytest.mark.integration


def test_a_card_number_in_the_notes_is_refused_and_the_last_four_are_kept(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data, "c-card")
    wait_for_call(client, "c-card")
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)
    notes = "wanted to pay now with 4111 1111 1111 1111, sent the link instead"

    refused = htmx(client, token, "/agent/outcome", {"code": "RPC", "notes": notes})

    assert "the notes holds a card number ending 1111: never write one there" in refused.text
    with Session(db_engine) as db:
        assert db.exec(select(ContactAttempt)).all() == []  # nothing stored
    assert "4111 1111 1111 1111" in refused.text  # the form keeps what they typed, to fix
    fixed = {"code": "RPC", "notes": "wanted to pay with card ending 1111; link sent"}
    kept = htmx(client, token, "/agent/outcome", fixed)
    assert "Saved:" in kept.text, kept.text


def test_a_balance_above_the_itemisation_is_flagged_where_the_agent_reads_the_debt(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    """The client's file says $1,240.50 owed on $1,000 + $200 + $40.50; then a balance of
    $1,300.00 carries $59.50 nobody explained, which the agent must not quote (1692f(1))."""
    with Session(db_engine) as db:
        account = db.get(Account, floor_data.account.id)
        assert account is not None
        account.balance_minor = 130_000
        db.add(account)
        db.commit()
    login(client, "ana")
    pop_call(redis_url, floor_data, "c-above")
    wait_for_call(client, "c-above")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert 'data-flag="balance above itemisation"' in screen
    assert "$1,300.00 is $59.50 more than the principal, interest and fees on file" in screen
    page = client.get(f"/accounts/{floor_data.account.id}").text
    assert "balance above itemisation" in page
    with Session(db_engine) as db:  # as placed (principal + interest + fees): nothing said
        account = db.get(Account, floor_data.account.id)
        assert account is not None
        account.balance_minor = 124_050
        db.add(account)
        db.commit()
    assert "balance above itemisation" not in client.get(f"/accounts/{floor_data.account.id}").text
