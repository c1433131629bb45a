"""The agent screen in a real browser, for what the real call (test_call_on_asterisk.py) does not
show: a pop published while the page was away, the dialer's refusals in words, tenant 404s.

Pops and refusals here are published on the agent's channel exactly as the dialer frames them
(the event contract and dialer.console.refusal), so the page is tested without a PBX."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import redis
from conftest import shot
from console_floor import PASSWORD, Floor
from playwright.sync_api import Page, WebSocketRoute, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from compliance.reasons import Reason, explain
from core.events import AgentStateChanged, CallConnected, CallEnded, agent_channel
from core.models import Campaign, CampaignAgent
from dialer.console import refusal

pytestmark = pytest.mark.browser


def publish_pop(redis_url: str, floor: Floor, call_id: str) -> None:
    """The screen pop exactly as the dialer publishes it."""
    event = CallConnected(
        at=datetime.now(UTC), call_id=call_id, agent_id=floor.agent.id or 0,
        account_id=floor.account.id or 0, debtor_id=floor.debtor.id or 0,
        campaign_id=floor.campaign.id, number=floor.phone.number, answer_to_agent_ms=150,
    )  # fmt: skip
    redis.Redis.from_url(redis_url).publish(agent_channel(floor.agent.id or 0), event.envelope())


def log_in(page: Page, base: str, username: str) -> None:
    """Signs in and waits for the landing page to finish loading: a button clicked before htmx
    has taken the page in sends nothing, and the test then waits on a state never asked for."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("load")


def wait_for_keys(redis_url: str, pattern: str, timeout: float = 5.0) -> list[bytes]:
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        keys = client.keys(pattern)
        if keys:
            return list(keys)
        time.sleep(0.05)
    return []


def test_a_pop_sent_while_the_page_was_closed_shows_after_reload(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    page.click("#btn-ready")
    expect(page.locator("#state-label")).to_have_text("Ready")
    page.goto("about:blank")
    publish_pop(redis_url, floor_data, "c-browser-2")
    page.goto(f"{console_url}/agent")
    expect(page.locator("#debtor-name")).to_have_text("Maria Lopez")
    expect(page.locator("#screen")).to_have_attribute("data-call-id", "c-browser-2")
    shot(page, "page-01-pop-after-reload")


def test_when_the_debtor_hangs_up_the_call_controls_go_quiet_and_the_outcome_stays_open(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    page.click("#btn-ready")
    expect(page.locator("#state-label")).to_have_text("Ready")
    publish_pop(redis_url, floor_data, "c-browser-end")
    expect(page.locator("#call-banner")).to_have_text("Live call")
    hang_up = page.get_by_role("button", name="Hang up")
    expect(hang_up).to_be_enabled()

    ended = CallEnded(
        at=datetime.now(UTC), call_id="c-browser-end", account_id=floor_data.account.id or 0,
        outcome="conversation", agent_id=floor_data.agent.id,
    )  # fmt: skip
    channel = agent_channel(floor_data.agent.id or 0)
    redis.Redis.from_url(redis_url).publish(channel, ended.envelope())

    expect(page.locator("#call-banner")).to_have_text(
        "Call ended (conversation) — record the outcome"
    )
    for name in ("Hang up", "Hold", "Resume", "Transfer to lead"):
        expect(page.get_by_role("button", name=name)).to_be_disabled()
    expect(page.locator("#call-message")).to_have_text("")
    expect(page.locator("#save-outcome")).to_be_enabled()
    shot(page, "page-02-debtor-hung-up")


def test_a_pause_reason_picked_and_not_sent_survives_a_reload_of_the_state_bar(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    expect(page.locator("#ws-status")).to_have_text("live")
    page.wait_for_load_state("networkidle")
    page.select_option("#pause-reason", index=2)
    chosen = page.locator("#pause-reason").input_value()
    assert chosen  # a reason, not the "Pause reason…" prompt
    page.evaluate("() => { document.querySelector('#state-bar').dataset.before = '1'; }")

    # Any event of the agent's reloads the state bar (here: another tab logged the agent in).
    changed = AgentStateChanged(at=datetime.now(UTC), agent_id=floor_data.agent.id or 0,
                                state="paused", reason="login")  # fmt: skip
    channel = agent_channel(floor_data.agent.id or 0)
    redis.Redis.from_url(redis_url).publish(channel, changed.envelope())

    expect(page.locator("#state-bar:not([data-before])")).to_be_attached()  # reloaded
    expect(page.locator("#pause-reason")).to_have_value(chosen)


def test_agent_of_client_a_asking_for_client_b_account_by_url_gets_404(
    page: Page, console_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    expect(page.locator("#state-label")).to_be_visible()
    own = page.goto(f"{console_url}/accounts/{floor_data.account.id}")
    assert own is not None and own.status == 200
    other = page.goto(f"{console_url}/accounts/{floor_data.other_account.id}")
    assert other is not None and other.status == 404
    shot(page, "page-02-tenant-404")


def test_dialer_refusals_show_the_reasons_in_words_and_the_next_allowed_time(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    expect(page.locator("#ws-status")).to_have_text("live")
    reasons = [Reason.WEEKLY_CALL_CAP, Reason.RECENT_CONVERSATION]
    channel = agent_channel(floor_data.agent.id or 0)
    client = redis.Redis.from_url(redis_url)
    client.publish(channel, refusal(
        "dial_refused", "The compliance engine does not allow this call now.",
        account_id=floor_data.account.id, number=floor_data.phone.number,
        reasons=[str(r) for r in reasons], explanations=[explain(r) for r in reasons],
        next_allowed_at="2026-03-18T14:00:00+00:00",
    ))  # fmt: skip
    notice = page.locator("#dialer-notice")
    expect(notice).to_contain_text("The call was not placed.")
    expect(notice.locator("li[data-reason=weekly_call_cap]")).to_have_text(
        explain(Reason.WEEKLY_CALL_CAP)
    )
    expect(notice.locator("li[data-reason=recent_conversation]")).to_be_visible()
    expect(page.locator("#dialer-notice-next")).to_have_text("Next allowed: 2026-03-18 14:00 UTC")
    shot(page, "page-03-dial-refused-reasons")

    client.publish(channel, refusal("command_refused", "hold failed: no such channel"))
    expect(notice).to_contain_text("The call control did not work.")
    expect(page.locator("#dialer-notice-message")).to_have_text("hold failed: no such channel")
    expect(notice.locator("li")).to_have_count(0)
    page.click("#dialer-notice-close")
    expect(notice).to_be_hidden()


def _requests_to(page: Page, path: str) -> list[float]:
    """When the page asks for `path`, filled in as it goes."""
    asked: list[float] = []
    page.on(
        "request", lambda request: asked.append(time.monotonic()) if path in request.url else None
    )
    return asked


def test_the_dialer_health_line_is_asked_once_at_load_then_every_ten_seconds(
    page: Page, console_url: str, floor_data: Floor
) -> None:
    # Swapping the polling element itself re-fired its "load" trigger: every agent screen
    # asked /agent/dialer some thirty times a second for as long as it was open.
    asked = _requests_to(page, "/agent/dialer")
    log_in(page, console_url, "ana")
    expect(page.locator("#dialer-down")).to_contain_text("The dialer is not answering")
    page.wait_for_timeout(3000)
    assert len(asked) == 1, f"{len(asked)} requests in {asked[-1] - asked[0]:.1f} s"


def test_the_leads_day_panel_is_asked_once_at_load_then_every_minute(
    page: Page, console_url: str, floor_data: Floor
) -> None:
    asked = _requests_to(page, "/lead/day")
    log_in(page, console_url, "lee")
    expect(page.locator("#agent-day")).to_contain_text("Ana Park")
    page.wait_for_timeout(3000)
    assert len(asked) == 1, f"{len(asked)} requests in {asked[-1] - asked[0]:.1f} s"


def test_choosing_a_preview_campaign_offers_next_account_at_once_and_alt_n_takes_it(
    page: Page, console_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:  # Ana works a progressive campaign and a preview one
        campaign = db.get(Campaign, floor_data.campaign.id)
        assert campaign is not None
        campaign.dial_mode = "progressive"
        preview = Campaign(client_id=campaign.client_id, name="Harbor by hand",
                           portfolio_ids=campaign.portfolio_ids, dial_mode="preview")  # fmt: skip
        db.add_all([campaign, preview])
        db.flush()
        db.add(CampaignAgent(campaign_id=preview.id or 0, user_id=floor_data.agent.id or 0))
        db.commit()
    log_in(page, console_url, "ana")
    expect(page.locator("#screen > .idle")).to_contain_text("Waiting for a call")
    expect(page.locator("#ws-status")).to_have_text("live")
    page.wait_for_load_state("networkidle")  # the state bar reloaded on connect: choose after it
    page.select_option("select[name=campaign_id]", label="Harbor by hand")
    page.click("#btn-ready")
    expect(page.locator("#btn-next-account")).to_be_visible()  # no reload needed
    # htmx wires a swapped-in button once the swap has settled; a person is never that quick
    page.wait_for_function("() => !document.querySelector('.htmx-added, .htmx-settling')")
    page.keyboard.press("Alt+n")
    # Maria if she may be called at this hour (the real clock), else the reason why not
    expect(page.locator("#debtor-name, #preview-none")).to_be_visible()
    shot(page, "page-04-preview-next-account")


def test_a_save_the_server_refuses_says_why_instead_of_nothing(
    page: Page, console_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    expect(page.locator("#ws-status")).to_have_text("live")
    page.wait_for_load_state("networkidle")
    page.fill("#preview-search input[name=q]", "Lopez")
    page.click("#preview-search button[type=submit]")
    page.locator("#preview-results button", has_text="Preview").first.click()
    expect(page.locator("#btn-skip")).to_be_visible()
    other_tab = page.context.new_page()  # the same agent, a second tab: puts the account back
    other_tab.goto(f"{console_url}/agent")
    other_tab.click("#btn-skip")
    expect(other_tab.locator("#btn-skip")).to_have_count(0)
    other_tab.close()

    page.fill("textarea[name=notes]", "left a message with the debtor's son")
    page.click("#save-outcome")

    alert = page.locator("#request-error")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("There is no account on screen to record an outcome for")
    expect(page.locator("textarea[name=notes]")).to_have_value(
        "left a message with the debtor's son"
    )
    shot(page, "page-07-refused-save-says-why")
    page.click("#request-error-close")
    expect(alert).to_be_hidden()


def test_a_link_gone_silent_says_so_and_dials_in_again(
    page: Page, console_url: str, floor_data: Floor
) -> None:
    """A dropped network leaves the socket half-open: frames stop and no close comes. The page
    must not keep saying "live" (it did, for minutes, while the floor paused the seat)."""
    silent = {"on": False}
    lost = "connection lost: no calls reach you until it is back"

    def relay(ws: WebSocketRoute) -> None:
        if silent["on"]:  # the network is still down: dialling in again fails
            ws.close()
            return
        server = ws.connect_to_server()
        server.on_message(lambda message: None if silent["on"] else ws.send(message))

    page.route_web_socket("**/ws/agent", relay)
    log_in(page, console_url, "ana")
    status = page.locator("#ws-status")
    expect(status).to_have_text("live")
    silent["on"] = True
    expect(status).to_contain_text(lost, timeout=15_000)
    shot(page, "page-09-connection-lost")
    # Dialling in again is not being back: while the tries fail, the page still says lost.
    page.wait_for_timeout(2_000)
    expect(status).to_contain_text(lost)
    silent["on"] = False
    expect(status).to_have_text("live", timeout=20_000)


def test_an_outcome_saved_in_one_window_clears_the_call_from_the_agents_other_window(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    expect(page.locator("#ws-status")).to_have_text("live")
    other = page.context.new_page()  # the same agent's second window (same sign-in)
    other.goto(f"{console_url}/agent")
    expect(other.locator("#ws-status")).to_have_text("live")
    publish_pop(redis_url, floor_data, "c-two-windows")
    for window in (page, other):
        expect(window.locator("#debtor-name")).to_have_text("Maria Lopez")
    other.fill("textarea[name=notes]", "draft typed in the second window")
    page.select_option("#code", "WN")
    page.click("#save-outcome")
    expect(page.locator("#saved-notice")).to_contain_text("Wrong number")
    expect(other.locator("#saved-elsewhere")).to_have_text(
        "The outcome of this call was saved in another window."
    )
    expect(other.locator("#debtor-name")).to_have_count(0)
    expect(page.locator("#saved-elsewhere")).to_have_count(0)  # not in the window that saved
    shot(other, "page-10-saved-in-another-window")
    other.close()
