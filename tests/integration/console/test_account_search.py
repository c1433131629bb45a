"""An agent finds an account of their own campaigns by number, name or phone, however many
matches other clients have."""

from __future__ import annotations

import httpx
import pytest
from console_floor import Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import Account, Address, CampaignAgent, Debtor, User

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _search(client: httpx.Client, term: str) -> str:
    return client.get("/agent/preview", params={"q": term}).text


def test_the_agents_own_account_is_found_behind_other_clients_matches(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """Another client's 150 Lopez accounts come first in the table; Harbor's Lopez placed
    after them is still found, and none of the other client's is shown."""
    ridge = pk(floor_data.client_b)
    ridge_portfolio = floor_data.other_account.portfolio_id
    with Session(db_engine) as db:
        for n in range(150):
            debtor = Debtor(client_id=ridge, first_name="Rita", last_name="Lopez")
            db.add(debtor)
            db.flush()
            db.add(
                Account(
                    client_id=ridge, portfolio_id=ridge_portfolio, debtor_id=pk(debtor),
                    client_account_number=f"R-9{n:04d}", balance_minor=1_000,
                )
            )  # fmt: skip
        late = Account(
            client_id=pk(floor_data.client_a),
            portfolio_id=floor_data.account.portfolio_id,
            debtor_id=pk(floor_data.debtor),
            client_account_number="4000555566667777",
            balance_minor=9_900,
        )
        db.add(late)
        db.commit()

    login(client, "ana")
    found = _search(client, "Lopez")

    assert "…7777" in found and "…4821" in found
    assert "Rita" not in found


def test_a_phone_number_is_found_as_it_is_read_out(client: httpx.Client, floor_data: Floor) -> None:
    login(client, "ana")

    assert "…4821" in _search(client, "(202) 555-0143")
    assert "No account of your campaigns matches" in _search(client, "(312) 555-0188")  # Ridge's


def test_an_agent_bound_to_one_client_finds_nothing_of_another_clients_campaign(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """Put on Ridge's campaign as well (an assignment made before `campaigns apply` refused
    it), an agent bound to Harbor still never sees a Ridge debtor."""
    with Session(db_engine) as db:
        ridge_campaign = db.exec(
            select(CampaignAgent.campaign_id).where(
                CampaignAgent.user_id == pk(floor_data.other_agent)
            )
        ).one()
        db.add(CampaignAgent(campaign_id=ridge_campaign, user_id=pk(floor_data.agent)))
        db.commit()
        other = db.get(Account, floor_data.other_account.id)
        assert other is not None
        number = other.client_account_number
    login(client, "ana")
    assert f"…{number[-4:]}" in _search(client, number)  # not bound: the assignment stands

    with Session(db_engine) as db:
        ana = db.get(User, floor_data.agent.id)
        assert ana is not None
        ana.client_id = floor_data.client_a.id
        db.add(ana)
        db.commit()

    assert f"…{number[-4:]}" not in _search(client, number)
    assert "…4821" in _search(client, "4821")


def test_more_matches_than_shown_are_counted_and_look_alikes_say_where_they_live(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """68 Wrights and 20 rows: the caller in row 37 was never seen, and two Connor Wrights
    looked the same. The agent is told to narrow it, and each row says where the debtor lives."""
    harbor = pk(floor_data.client_a)
    portfolio = floor_data.account.portfolio_id
    with Session(db_engine) as db:
        for n in range(25):
            debtor = Debtor(client_id=harbor, first_name="Connor", last_name="Wright")
            db.add(debtor)
            db.flush()
            city = "Denver" if n % 2 else "Austin"
            db.add(Address(debtor_id=pk(debtor), city=city, state="CO" if n % 2 else "TX"))
            db.add(Account(client_id=harbor, portfolio_id=portfolio, debtor_id=pk(debtor),
                           client_account_number=f"H-7{n:04d}", balance_minor=1_000))  # fmt: skip
        db.commit()
    login(client, "ana")

    found = _search(client, "Wright")

    assert "20 of 25 shown" in found
    assert "Austin, TX" in found and "Denver, CO" in found
    assert "of 25 shown" not in _search(client, "H-70001")  # one match: nothing more to say
