"""An agent's call in a real browser: log in, go ready, the debtor pops, verify, follow the
script, record a promise to pay, and the follow-up job is in Redis."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
import redis
from conftest import shot
from console_floor import PASSWORD, Floor
from playwright.sync_api import Page, expect

from core.events import CallConnected, agent_channel

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
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def wait_for_keys(redis_url: str, pattern: str, timeout: float = 5.0) -> list[bytes]:
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        keys = client.keys(pattern)
        if keys:
            return list(keys)
        time.sleep(0.05)
    return []


def test_agent_takes_a_call_and_records_a_promise_to_pay(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    expect(page.locator("#state-label")).to_have_text("Logged in")
    expect(page.locator("#ws-status")).to_have_text("live")
    page.click("#btn-ready")
    expect(page.locator("#state-label")).to_have_text("Ready")
    shot(page, "01-ready")

    publish_pop(redis_url, floor_data, "c-browser-1")
    expect(page.locator("#debtor-name")).to_have_text("Maria Lopez")
    expect(page.locator("#state-label")).to_have_text("On call")
    expect(page.locator("#dob")).not_to_contain_text("1984")
    expect(page.locator("#script-node")).to_contain_text("Hi, this is Ana.")
    shot(page, "02-screen-pop-masked")

    page.get_by_role("button", name="1. Speaking").click()
    expect(page.locator("#script-node")).to_have_attribute("data-node", "verify")
    page.get_by_role("button", name="1. Details match").click()
    expect(page.locator("#dob")).to_have_text("1984-03-09")
    expect(page.locator("#accounts")).to_contain_text("4000123412344821")
    page.get_by_role("button", name="1. Disclosure read").click()
    expect(page.locator("#script-node")).to_contain_text("The balance is $1,240.50")
    expect(page.locator("#outcome-lock")).to_contain_text("Required disclosures done.")
    page.get_by_role("button", name="2. Needs a payment plan").click()
    expect(page.locator("#script-node")).to_have_attribute("data-node", "plan")
    page.click("#script-back")
    expect(page.locator("#script-node")).to_have_attribute("data-node", "explain")
    shot(page, "03-verified-script")

    page.fill("textarea[name=notes]", "Paying Friday from payroll.")
    page.select_option("#code", "PTP")
    amount = page.locator("input[name=promise_amount]")
    expect(amount).to_be_visible()
    expect(page.locator("textarea[name=notes]")).to_have_value("Paying Friday from payroll.")
    amount.fill("5000.00")
    due = (date.today() + timedelta(days=7)).isoformat()
    page.fill("input[name=promise_date]", due)
    page.click("#save-outcome")
    expect(page.locator("#err-promise_amount")).to_contain_text("more than the balance")
    expect(page.locator("textarea[name=notes]")).to_have_value("Paying Friday from payroll.")
    shot(page, "04-promise-too-large")
    page.fill("input[name=promise_amount]", "200.00")
    page.click("#save-outcome")
    expect(page.locator("#saved-notice")).to_contain_text("Promise to pay: promise of $200.00")
    expect(page.locator("#state-label")).to_have_text("Ready")
    shot(page, "05-saved-back-to-ready")

    assert wait_for_keys(redis_url, "rq:job:outreach-*"), "no follow-up job queued in Redis"


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
    shot(page, "06-pop-after-reload")


def test_keyboard_shortcut_alt_r_goes_ready(
    page: Page, console_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    expect(page.locator("#state-label")).to_have_text("Logged in")
    page.keyboard.press("Alt+r")
    expect(page.locator("#state-label")).to_have_text("Ready")


def test_agent_of_client_a_asking_for_client_b_account_by_url_gets_404(
    page: Page, console_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    expect(page.locator("#state-label")).to_be_visible()
    own = page.goto(f"{console_url}/accounts/{floor_data.account.id}")
    assert own is not None and own.status == 200
    other = page.goto(f"{console_url}/accounts/{floor_data.other_account.id}")
    assert other is not None and other.status == 404
    shot(page, "07-tenant-404")
