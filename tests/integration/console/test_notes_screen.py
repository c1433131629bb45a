"""Notes with a card or Social Security number are refused before anything is stored."""

from __future__ import annotations

import httpx
import pytest
from console_floor import Floor, login
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from test_call_flow import answer, htmx, pop_call, wait_for_call

from core.models import ContactAttempt

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

    assert "The notes hold a card number ending 1111: never write one in notes" in refused.text
    with Session(db_engine) as db:
        assert db.exec(select(ContactAttempt)).all() == []  # nothing stored
    assert "4111 1111 1111 1111" in refused.text  # the form keeps what they typed, to fix
    fixed = {"code": "RPC", "notes": "wanted to pay with card ending 1111; link sent"}
    kept = htmx(client, token, "/agent/outcome", fixed)
    assert "Saved:" in kept.text, kept.text
