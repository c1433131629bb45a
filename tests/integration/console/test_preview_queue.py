"""A preview campaign offers each agent the next account the dialer would take, one agent per
account, on numbers predictive dialling may not call, and says why when there is none."""

from __future__ import annotations

import html

import httpx
import pytest
import redis
from console_floor import Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from test_call_flow import htmx

from console.gateways import live_call_key
from console.live import LiveCall
from console.routes.outcome import NOT_DIALLED
from core.models import Account, Campaign, CampaignAgent, ContactAttempt, Debtor

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _preview_floor(db_engine: Engine, floor: Floor, dnc: bool = False) -> None:
    """The floor's campaign worked by preview, with Ben on it too. Maria's only number is a
    mobile, which a person may dial; her second account is scored first."""
    with Session(db_engine) as db:
        campaign = db.get(Campaign, pk(floor.campaign))
        second = db.get(Account, pk(floor.second_account))
        debtor = db.get(Debtor, pk(floor.debtor))
        assert campaign is not None and second is not None and debtor is not None
        campaign.dial_mode = "preview"
        second.segment_score = 90.0
        debtor.dnc = dnc
        ben = CampaignAgent(campaign_id=pk(campaign), user_id=pk(floor.other_agent))
        db.add_all([campaign, second, debtor, ben])
        db.commit()


def _ready(client: httpx.Client, username: str, floor: Floor) -> str:
    token = login(client, username)
    ready = {"action": "ready", "campaign_id": str(pk(floor.campaign))}
    response = htmx(client, token, "/agent/state", ready)
    assert response.status_code == 200
    # the idle screen follows the campaign chosen, without a reload
    assert '<section id="screen" hx-swap-oob="true"' in response.text
    return token


def _on_screen(html: str) -> str:
    return html.split('data-account-id="', 1)[1].split('"', 1)[0]


def test_agents_are_offered_different_accounts_best_first_and_may_skip_one(
    client: httpx.Client, server: str, floor_data: Floor, db_engine: Engine
) -> None:
    _preview_floor(db_engine, floor_data)
    token = _ready(client, "ana", floor_data)
    idle = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert "Preview: Harbor early stage" in idle and 'id="btn-next-account"' in idle

    first = htmx(client, token, "/agent/preview/next", {})
    assert 'id="debtor-name">Maria Lopez' in first.text and 'id="btn-skip"' in first.text
    assert _on_screen(first.text) == str(pk(floor_data.second_account))  # the best score
    assert htmx(client, token, "/agent/preview/next", {}).status_code == 409  # one at a time

    with httpx.Client(base_url=f"http://{server}", follow_redirects=True) as ben:
        ben_token = _ready(ben, "ben", floor_data)
        offered = htmx(ben, ben_token, "/agent/preview/next", {})
        assert _on_screen(offered.text) == str(pk(floor_data.account))  # not Ana's

        skipped = htmx(ben, ben_token, "/agent/preview/skip", {})
        assert _on_screen(skipped.text) == "" and 'id="btn-next-account"' in skipped.text
        none_left = htmx(ben, ben_token, "/agent/preview/next", {})
    assert (
        "Nothing to preview now: every account that may be called now is open on another "
        "agent&#39;s screen." in none_left.text
    )


def test_a_preview_campaign_with_nothing_callable_says_why(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    _preview_floor(db_engine, floor_data, dnc=True)
    token = _ready(client, "ana", floor_data)

    screen = htmx(client, token, "/agent/preview/next", {}).text

    assert (
        "Nothing to preview now: none of the 2 accounts read may be called now (2 dnc)." in screen
    )
    assert _on_screen(screen) == ""


def test_next_account_is_refused_outside_a_preview_campaign(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        campaign = db.get(Campaign, pk(floor_data.campaign))
        assert campaign is not None
        campaign.dial_mode = "progressive"
        db.add(campaign)
        db.commit()
    token = _ready(client, "ana", floor_data)
    idle = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert "Waiting for a call" in idle and "btn-next-account" not in idle

    refused = htmx(client, token, "/agent/preview/next", {})

    assert refused.status_code == 409 and "preview campaign" in refused.text


def test_an_account_on_screen_and_not_dialled_goes_back_at_logout(
    client: httpx.Client, server: str, floor_data: Floor, db_engine: Engine
) -> None:
    _preview_floor(db_engine, floor_data)
    token = _ready(client, "ana", floor_data)
    offered = htmx(client, token, "/agent/preview/next", {})
    best = str(pk(floor_data.second_account))
    assert _on_screen(offered.text) == best

    client.post("/logout", data={"csrf_token": token})

    with httpx.Client(base_url=f"http://{server}", follow_redirects=True) as ben:
        ben_token = _ready(ben, "ben", floor_data)
        assert _on_screen(htmx(ben, ben_token, "/agent/preview/next", {}).text) == best
    token = _ready(client, "ana", floor_data)
    idle = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert _on_screen(idle) == ""  # not left on her screen either


def test_an_outcome_for_an_account_not_dialled_is_refused_and_nothing_stored(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    _preview_floor(db_engine, floor_data)
    token = _ready(client, "ana", floor_data)
    assert _on_screen(htmx(client, token, "/agent/preview/next", {}).text)

    refused = htmx(client, token, "/agent/outcome", {"code": "NA", "notes": "no one there"})

    assert NOT_DIALLED in html.unescape(refused.text)
    assert "no one there" in refused.text  # what was typed stays
    with Session(db_engine) as db:
        assert db.exec(select(ContactAttempt)).all() == []


def test_an_account_found_by_search_is_worked_under_its_own_campaign(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        ridge = pk(db.exec(select(Campaign).where(Campaign.name == "Ridge autos")).one())
        db.add(CampaignAgent(campaign_id=ridge, user_id=pk(floor_data.agent)))
        db.commit()
    token = _ready(client, "ana", floor_data)  # ready on Harbor's campaign

    screen = htmx(client, token, f"/agent/preview/{pk(floor_data.other_account)}", {})

    assert _on_screen(screen.text) == str(pk(floor_data.other_account))
    stored = redis.Redis.from_url(redis_url).get(live_call_key(pk(floor_data.agent)))
    assert stored is not None
    assert LiveCall.model_validate_json(stored).campaign_id == ridge
