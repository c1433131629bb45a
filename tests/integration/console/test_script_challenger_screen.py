"""A campaign testing a challenger script: the agent reads it to the accounts the split gives
it, the call is kept under it, and the lead sees the test's figures."""

from __future__ import annotations

import httpx
import pytest
import redis
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session
from test_call_flow import wait_for_call

from core.events import CallConnected, agent_channel
from core.models import Account, Campaign
from scripts_library.challenger import bucket

pytestmark = pytest.mark.integration
OPTIONS = "Collections, first contact (options first)"  # the challenger's title


def _test_script(db_engine: Engine, floor: Floor) -> None:
    """The floor's campaign reads first_contact_options to half its accounts."""
    with Session(db_engine) as db:
        campaign = db.get(Campaign, pk(floor.campaign))
        assert campaign is not None
        campaign.challenger_script, campaign.challenger_share = "first_contact_options", 50
        db.add(campaign)
        db.commit()


def _account_in(db_engine: Engine, floor: Floor, challenged: bool) -> int:
    """An account of the floor's debtor on the given side of the split (added until one is)."""
    campaign = pk(floor.campaign)
    if (bucket(campaign, pk(floor.account)) < 50) == challenged:
        return pk(floor.account)
    with Session(db_engine) as db:
        for n in range(50):
            account = Account(client_id=floor.account.client_id,
                              portfolio_id=floor.account.portfolio_id,
                              debtor_id=floor.account.debtor_id,
                              client_account_number=f"4000555500000{n:03d}",
                              principal_minor=10_000, balance_minor=10_000)  # fmt: skip
            db.add(account)
            db.commit()
            if (bucket(campaign, pk(account)) < 50) == challenged:
                return pk(account)
    raise AssertionError("no account fell on that side of the split in 50 tries")


@pytest.mark.parametrize("challenged", [True, False])
def test_the_agent_reads_the_script_the_split_gives_the_account(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine, challenged: bool
) -> None:
    _test_script(db_engine, floor_data)
    account_id = _account_in(db_engine, floor_data, challenged)
    login(client, "ana")
    event = CallConnected(
        at=NOW, call_id="c-test", agent_id=pk(floor_data.agent), account_id=account_id,
        debtor_id=pk(floor_data.debtor), campaign_id=floor_data.campaign.id,
        number=floor_data.phone.number, answer_to_agent_ms=180,
    )  # fmt: skip
    redis.Redis.from_url(redis_url).publish(agent_channel(pk(floor_data.agent)), event.envelope())
    wait_for_call(client, "c-test")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert (OPTIONS in screen) == challenged
    assert "Maria Lopez" in screen


def test_the_lead_sees_the_script_test_with_the_days_figures(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    login(client, "lee")
    assert 'hx-get="/lead/script-tests"' in client.get("/lead").text
    day = client.get("/lead/script-tests", headers={"HX-Request": "true"}).text
    assert "Script tests" not in day  # no campaign tests one
    _test_script(db_engine, floor_data)
    day = client.get("/lead/script-tests", headers={"HX-Request": "true"}).text
    test = day.split(f'class="script-test" data-campaign="{pk(floor_data.campaign)}"', 1)[1]
    assert "Harbor early stage" in test and "50% of its accounts hear the challenger" in test
    challenger = "Challenger first_contact_options: 0 calls to 0 accounts, no right-party contact"
    assert challenger in test
    assert "Too early to tell" in test
