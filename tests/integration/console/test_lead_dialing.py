"""Team leads see how each campaign is really dialing and why; leads and agents both see when the
dialer has gone quiet."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta

import httpx
import pytest
import redis
from console_floor import NOW, Floor, login, pk
from redis.asyncio import Redis
from sqlalchemy.engine import Engine
from sqlmodel import Session
from test_call_flow import pop_call, wait_for_call

from core.events import (
    CAMPAIGN_STATS_KEY,
    NOTHING_TO_DIAL,
    CallEnded,
    CampaignStats,
    agent_channel,
)
from core.models import Campaign, Portfolio, User
from dialer.notifier import Notifier

pytestmark = pytest.mark.integration


def _dialer_reports(redis_url: str, stats: CampaignStats) -> None:
    """The dialer's own notifier publishes the figures (and keeps them for polling pages)."""

    async def publish() -> None:
        redis = Redis.from_url(redis_url)
        await Notifier(redis).publish(stats)
        await redis.aclose()

    asyncio.run(publish())


def _row(client: httpx.Client, campaign_id: int) -> str:
    page = client.get("/lead").text
    row = page[page.index(f'data-campaign="{campaign_id}"') :]
    return row[: row.index("</tr>")]


def _stats(floor: Floor, seconds_ago: int, mode: str, pacing: str) -> CampaignStats:
    return CampaignStats(
        at=NOW - timedelta(seconds=seconds_ago),
        campaign_id=pk(floor.campaign),
        dial_mode="predictive",
        effective_mode=mode,
        abandon_rate_30d=0.031,
        abandon_rate_today=0.02,
        agents_ready=2,
        calls_in_flight=5,
        hopper_size=40,
        pacing=pacing,
    )


def test_lead_sees_the_mode_the_dialer_is_really_in_and_why(
    client: httpx.Client, floor_data: Floor, redis_url: str
) -> None:
    login(client, "lee")
    campaign_id = pk(floor_data.campaign)
    assert "dialer not running" in _row(client, campaign_id)
    # no campaign of the lead's dials: said at the top, not only in a grey cell per row
    assert "No calls are being placed: dialer not running." in client.get("/lead").text

    why = "30-day abandon budget spent: one call per ready agent until it recovers"
    _dialer_reports(redis_url, _stats(floor_data, 3, "progressive", why))
    assert 'id="dialer-down"' not in client.get("/lead").text
    row = _row(client, campaign_id)
    assert f'<td class="dialing">progressive <span class="muted">{why}</span>' in row

    _dialer_reports(redis_url, _stats(floor_data, 300, "predictive", "dialing ahead"))
    row = _row(client, campaign_id)
    assert 'class="dialing silent"' in row
    assert "dialer silent since 14:55:00" in row
    assert "dialing ahead" not in row


def test_lead_sees_a_uk_campaigns_limit_on_any_single_day(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    login(client, "lee")
    campaign_id = pk(floor_data.campaign)
    assert "on any day" not in _row(client, campaign_id)  # a US book: 30 days only
    with Session(db_engine) as db:
        portfolio = db.get(Portfolio, floor_data.campaign.portfolio_ids[0])
        assert portfolio is not None
        portfolio.calling_profile = "uk"
        db.add(portfolio)
        db.commit()
    limit = '3.0% <span class="muted">and at most 3.0% on any day</span>'
    assert limit in _row(client, campaign_id)


def test_agent_is_warned_while_the_dialer_of_their_campaign_is_silent(
    client: httpx.Client, floor_data: Floor, redis_url: str
) -> None:
    login(client, "ana")
    assert 'hx-get="/agent/dialer"' in client.get("/agent").text  # the page polls for it

    def warning() -> str:
        return client.get("/agent/dialer", headers={"HX-Request": "true"}).text

    assert "The dialer is not answering (dialer not running)" in warning()
    _dialer_reports(redis_url, _stats(floor_data, 3, "predictive", "dialing ahead"))
    assert 'id="dialer-down"' not in warning()
    _dialer_reports(redis_url, _stats(floor_data, 60, "predictive", "dialing ahead"))
    assert "not answering (dialer silent since 14:59:00)" in warning()


def test_agent_sitting_ready_is_told_why_no_call_comes(
    client: httpx.Client, floor_data: Floor, redis_url: str
) -> None:
    login(client, "ana")

    def notice() -> str:
        return client.get("/agent/dialer", headers={"HX-Request": "true"}).text

    why = "nothing to dial: none of the 3 accounts read may be called now (3 dnc)"
    _dialer_reports(redis_url, _stats(floor_data, 3, "predictive", why))
    assert f"No calls are coming now: {why}." in notice()
    _dialer_reports(redis_url, _stats(floor_data, 3, "predictive", "dialing ahead"))
    assert 'id="dialer-idle"' not in notice()
    schedule = "outside the campaign's calling schedule"
    _dialer_reports(redis_url, _stats(floor_data, 3, "predictive", schedule))
    assert "No calls are coming now: outside the campaign&#39;s calling schedule." in notice()
    _dialer_reports(redis_url, _stats(floor_data, 60, "predictive", why))  # stale: not believed
    page = notice()
    assert 'id="dialer-idle"' not in page and 'id="dialer-down"' in page


def test_a_stats_frame_the_console_cannot_read_counts_as_no_figures_not_a_broken_page(
    client: httpx.Client, floor_data: Floor, redis_url: str
) -> None:
    frame = json.loads(_stats(floor_data, 3, "predictive", "dialing ahead").envelope())
    frame["v"] = 2  # a newer dialer, mid-upgrade
    redis.Redis.from_url(redis_url).hset(
        CAMPAIGN_STATS_KEY, str(pk(floor_data.campaign)), json.dumps(frame)
    )
    login(client, "lee")
    assert "dialer not running" in _row(client, pk(floor_data.campaign))


def test_agent_on_a_campaign_made_inactive_is_told_to_choose_another(
    client: httpx.Client, floor_data: Floor, redis_url: str, db_engine: Engine
) -> None:
    token = login(client, "ana")
    client.post("/agent/state", data={"action": "ready"}, headers={"X-CSRF-Token": token})
    _dialer_reports(redis_url, _stats(floor_data, 60, "predictive", "dialing ahead"))
    with Session(db_engine) as db:
        campaign = db.get(Campaign, pk(floor_data.campaign))
        assert campaign is not None
        campaign.active = False  # the dialer retires it and stops reporting on it
        db.add(campaign)
        db.commit()

    page = client.get("/agent/dialer", headers={"HX-Request": "true"}).text

    assert (
        "No calls are coming now: this campaign is paused or taken off the floor; choose another"
        in page
    )
    assert 'id="dialer-down"' not in page  # not "the dialer is silent": it is not


def test_a_pause_waits_for_the_calls_out_through_the_call_one_brings_to_its_outcome(
    client: httpx.Client, floor_data: Floor, redis_url: str
) -> None:
    token = login(client, "ana")
    _htmx(client, token, {"action": "ready"})
    _dialer_reports(redis_url, _stats(floor_data, 2, "predictive", "dialing ahead"))

    waiting = _htmx(client, token, {"action": "pause", "reason": "break"})
    again = _htmx(client, token, {"action": "pause", "reason": "lunch"})

    assert "Pausing (Break) once the calls already ringing end" in waiting
    assert "Pausing (Lunch) once the calls already ringing end" in again  # still waiting
    states = redis.Redis.from_url(redis_url)
    agent = str(pk(floor_data.agent))
    stored = json.loads(states.hget("concord:agent_states", agent) or "{}")
    assert (stored["state"], stored["reason"]) == ("ready", "pausing:lunch")
    # A call out before the press is answered: the dialer joins the agent, keeping the reason
    # on on_call (dialer.service.set_agent_state), and then publishes the pop.
    states.hset("concord:agent_states", agent, json.dumps(
        {**stored, "state": "on_call", "since": NOW.timestamp()}))  # fmt: skip
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    assert "On call, then paused: Lunch" in client.get("/agent/state").text
    saved = _htmx(client, token, {"code": "WN", "notes": "his cousin"}, "/agent/outcome")
    assert "err-code" not in saved
    ended = CallEnded(at=NOW, call_id="c-1", account_id=pk(floor_data.account),
                      agent_id=pk(floor_data.agent), outcome="no_answer")  # fmt: skip
    states.publish(agent_channel(pk(floor_data.agent)), ended.envelope())
    deadline = time.monotonic() + 5
    while client.get("/agent/snapshot").json()["state"] != "paused":
        assert time.monotonic() < deadline, client.get("/agent/snapshot").json()
        time.sleep(0.05)
    assert "Paused: Lunch" in client.get("/agent/state").text


def test_with_the_dialer_silent_a_pause_is_at_once(
    client: httpx.Client, floor_data: Floor, redis_url: str
) -> None:
    token = login(client, "ana")
    _htmx(client, token, {"action": "ready"})
    _dialer_reports(redis_url, _stats(floor_data, 300, "predictive", "dialing ahead"))
    assert "Paused: Break" in _htmx(client, token, {"action": "pause", "reason": "break"})


def _htmx(
    client: httpx.Client, token: str, form: dict[str, str], path: str = "/agent/state"
) -> str:
    headers = {"HX-Request": "true", "X-CSRF-Token": token}
    return client.post(path, data=form, headers=headers).text


def test_lead_sees_a_campaign_with_nothing_to_dial_and_its_queue_at_a_glance(
    client: httpx.Client, floor_data: Floor, redis_url: str
) -> None:
    login(client, "lee")
    campaign_id = pk(floor_data.campaign)
    why = NOTHING_TO_DIAL + "no account of this campaign is left to dial"

    _dialer_reports(redis_url, _stats(floor_data, 3, "progressive", why))

    row = _row(client, campaign_id)
    assert 'class="dialing idle"' in row and "No calls: " in row
    assert "40 in the hopper · 5 calls up" in row


def test_lead_pauses_a_campaign_sees_it_paused_and_resumes_it(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    token = login(client, "lee")
    campaign_id = pk(floor_data.campaign)

    paused = client.post(
        f"/lead/campaigns/{campaign_id}/pause",
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )

    assert paused.status_code == 200
    with Session(db_engine) as db:
        stored = db.get(Campaign, campaign_id)
        assert stored is not None and stored.active is False and stored.updated_by == "lead lee"
    row = _row(client, campaign_id)
    assert 'class="paused"' in row and "<strong>Paused</strong>" in row and ">Resume<" in row
    client.post(f"/lead/campaigns/{campaign_id}/resume", headers={"X-CSRF-Token": token})
    with Session(db_engine) as db:
        stored = db.get(Campaign, campaign_id)
        assert stored is not None and stored.active is True


def test_a_lead_bound_to_another_client_cannot_pause_this_campaign(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        lee = db.get(User, floor_data.lead.id)
        assert lee is not None
        lee.client_id = floor_data.client_b.id
        db.add(lee)
        db.commit()
    token = login(client, "lee")

    refused = client.post(
        f"/lead/campaigns/{pk(floor_data.campaign)}/pause", headers={"X-CSRF-Token": token}
    )

    assert refused.status_code == 404
    with Session(db_engine) as db:
        stored = db.get(Campaign, pk(floor_data.campaign))
        assert stored is not None and stored.active is True


def test_a_campaign_an_admin_retired_is_not_resumed_from_the_lead_page(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    campaign_id = pk(floor_data.campaign)
    with Session(db_engine) as db:
        stored = db.get(Campaign, campaign_id)
        assert stored is not None
        stored.active, stored.updated_by = False, "campaigns contract-end.yaml"
        db.add(stored)
        db.commit()
    token = login(client, "lee")

    row = _row(client, campaign_id)
    refused = client.post(f"/lead/campaigns/{campaign_id}/resume", headers={"X-CSRF-Token": token})

    assert "<strong>Retired</strong>" in row and ">Resume<" not in row
    assert "an admin resumes it" in row
    assert refused.status_code == 409 and "not paused by a lead" in refused.text
    with Session(db_engine) as db:
        stored = db.get(Campaign, campaign_id)
        assert stored is not None and stored.active is False


def test_log_out_while_calls_ring_for_the_agent_is_refused_until_they_pause(
    client: httpx.Client, floor_data: Floor, redis_url: str
) -> None:
    """Pause waited for the calls placed counting on the agent; Log out did not, and a debtor
    answering one found nobody (an abandoned call)."""
    token = login(client, "ana")
    _htmx(client, token, {"action": "ready"})
    _dialer_reports(redis_url, _stats(floor_data, 2, "predictive", "dialing ahead"))

    state_bar = _htmx(client, token, {"action": "logout"})
    header = client.post("/logout", headers={"X-CSRF-Token": token}, follow_redirects=False)

    assert "Calls are ringing for you: press Pause first" in state_bar
    assert header.status_code == 409 and "press Pause first" in header.text
    stored = json.loads(
        redis.Redis.from_url(redis_url).hget("concord:agent_states", str(pk(floor_data.agent)))
        or "{}"
    )
    assert stored["state"] == "ready"
    assert client.get("/agent").status_code == 200  # still signed in
