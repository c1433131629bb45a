"""The issue's proof: an agent in chromium takes a call the real dialer placed on the real
Asterisk, verifies the debtor, follows the script, records a promise to pay, and the follow-up
job is in RQ. Nothing is faked but the phone network (Asterisk's simulated numbers)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

import pytest
import redis
from conftest import shot
from console_floor import PASSWORD, Floor
from dialer_floor import DialerProcess, call_in, log_in_softphone, make_dialable
from playwright.sync_api import Page, expect
from rq.job import Job
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.localservices import Asterisk
from core.models import Account, Campaign, ContactAttempt, Debtor, PromiseToPay

pytestmark = [pytest.mark.browser, pytest.mark.asterisk, pytest.mark.integration]
T = TypeVar("T")
# Ready -> the dialer's tick -> Originate -> answer after 1 s -> "hello" -> AMD HUMAN -> the
# connect: about 4 s on this machine; the rest is headroom for a busy CI box.
POP_TIMEOUT_MS = 30_000


def wait_for(what: Callable[[], T | None], timeout: float, label: str) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {label}")


def agent_state(redis_url: str, agent_id: int) -> str:
    raw = redis.Redis.from_url(redis_url).hget("concord:agent_states", str(agent_id))
    return "" if raw is None else str(json.loads(raw)["state"])


def sign_in_as_ana(page: Page, console_url: str) -> None:
    """The floor's agent signs in and the page is live (logged in, not yet ready)."""
    page.goto(f"{console_url}/login")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#state-label")).to_have_text("Logged in")
    expect(page.locator("#ws-status")).to_have_text("live")


def test_agent_takes_a_call_from_the_real_dialer_and_records_a_promise_to_pay(
    page: Page,
    console_url: str,
    redis_url: str,
    floor_data: Floor,
    db_engine: Engine,
    asterisk: Asterisk,
    dialer: DialerProcess,
) -> None:
    agent_id = floor_data.agent.id or 0
    make_dialable(db_engine, floor_data)
    sign_in_as_ana(page, console_url)

    # A preview dial before the softphone is in its conference: the dialer refuses, and says so.
    page.fill("input[name=q]", "Lopez")
    page.click("#preview-search button[type=submit]")
    page.locator("#preview-results button").first.click()
    page.click("#btn-dial")
    notice = page.locator("#dialer-notice")
    expect(notice).to_contain_text("your phone is not connected", timeout=POP_TIMEOUT_MS)
    expect(notice).to_have_attribute("data-op", "dial_refused")
    shot(page, "call-01-dial-refused-phone-not-connected")
    page.click("#dialer-notice-close")
    expect(notice).to_be_hidden()

    log_in_softphone(asterisk, floor_data.agent.extension or "")
    page.keyboard.press("Alt+r")  # the Ready shortcut
    expect(page.locator("#state-label")).to_have_text("Ready")
    shot(page, "call-02-ready")

    expect(page.locator("#state-label")).to_have_text("On call", timeout=POP_TIMEOUT_MS)
    expect(page.locator("#debtor-name")).to_have_text("Maria Lopez")
    expect(page.locator("#call-banner")).to_have_text("Live call")
    call_id = page.locator("#screen").get_attribute("data-call-id") or ""
    assert call_id.startswith("cc-"), f"no progressive call id on the screen: {call_id!r}"
    expect(page.locator("#dob")).not_to_contain_text("1984")
    expect(page.locator("#script-node")).to_contain_text("Hi, this is Ana.")
    shot(page, "call-03-screen-pop-masked")

    page.get_by_role("button", name="1. Speaking").click()
    expect(page.locator("#script-node")).to_have_attribute("data-node", "verify")
    page.get_by_role("button", name="1. Details match").click()  # not checked yet: refused
    expect(page.locator("#script-node")).to_have_attribute("data-node", "verify")
    expect(page.locator("#dob")).not_to_contain_text("1984")
    page.fill("#identity-form input[name=birth]", "1984-03-09")
    page.fill("#identity-form input[name=postal]", "20001")
    page.click("#btn-identity-check")
    expect(page.locator("#identity-check")).to_contain_text("ZIP matches")
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
    shot(page, "call-04-verified-script")

    page.fill("textarea[name=notes]", "Paying Friday from payroll.")
    page.select_option("#code", "PTP")
    amount = page.locator("input[name=promise_amount]")
    expect(amount).to_be_visible()
    expect(page.locator("textarea[name=notes]")).to_have_value("Paying Friday from payroll.")
    amount.fill("5000.00")
    due = date.today() + timedelta(days=7)
    page.fill("input[name=promise_date]", due.isoformat())
    page.click("#save-outcome")
    expect(page.locator("#err-promise_amount")).to_contain_text("more than the balance")
    expect(page.locator("textarea[name=notes]")).to_have_value("Paying Friday from payroll.")
    shot(page, "call-05-promise-too-large")
    page.fill("input[name=promise_amount]", "200.00")
    page.click("#save-outcome")
    expect(page.locator("#saved-notice")).to_contain_text("Promise to pay: promise of $200.00")
    expect(page.locator("#screen > .idle")).to_contain_text("Waiting for a call")
    expect(page.locator("#debtor-name")).to_have_count(0)  # the whole screen was swapped

    # The save hung the debtor up through the dialer, which settles the attempt and writes
    # wrap_up; the campaign has no wrap-up time, so the agent must end ready with no click.
    def settled() -> ContactAttempt | None:
        with Session(db_engine) as db:
            row = db.exec(select(ContactAttempt).where(ContactAttempt.call_id == call_id)).one()
            return row if row.ended_at is not None else None

    attempt = wait_for(settled, 15, "the dialer to settle the call")
    wait_for(lambda: agent_state(redis_url, agent_id) == "ready", 5, "the agent ready")
    time.sleep(0.5)  # nothing later may put the agent back into wrap-up
    assert agent_state(redis_url, agent_id) == "ready"
    expect(page.locator("#state-label")).to_have_text("Ready")
    shot(page, "call-06-saved-back-to-ready")

    assert attempt.outcome == "conversation" and attempt.agent_id == agent_id
    assert attempt.account_id == floor_data.account.id
    assert attempt.script_path[:4] == ["greet", "verify", "mini_miranda", "explain"]
    assert attempt.recording_ref.endswith(f"{call_id}.wav")
    # the decision the dialer dialled on, not one the screen made later
    assert attempt.compliance["allowed"] is True and "decided_at" in attempt.compliance
    with Session(db_engine) as db:
        promise = db.exec(select(PromiseToPay)).one()
    assert (promise.amount_minor, promise.due_date) == (20_000, due)
    assert promise.contact_attempt_id == attempt.id

    connection = redis.Redis.from_url(redis_url)
    keys = connection.keys("rq:job:outreach-*")
    jobs = [Job.fetch(k.decode().removeprefix("rq:job:"), connection=connection) for k in keys]
    assert jobs, "no follow-up job queued in Redis"
    assert {job.origin for job in jobs} == {"outreach"}
    assert all(job.get_status() in {"queued", "scheduled", "deferred"} for job in jobs)

    # QA reviews the call: its row carries the dialer's decision, and MixMonitor's WAV plays.
    browser = page.context.browser
    assert browser is not None
    review = browser.new_context().new_page()  # another user's session
    review.goto(f"{console_url}/login")
    review.fill("input[name=username]", "quinn")
    review.fill("input[name=password]", PASSWORD)
    review.click("button[type=submit]")
    row = review.locator(f'tr[data-account="{floor_data.account.id}"]')
    expect(row).to_contain_text("allowed")
    expect(row).to_contain_text("ana")
    audio = row.locator("audio")
    played = review.request.get(f"{console_url}{audio.get_attribute('src')}")
    assert played.status == 200 and played.headers["content-type"] == "audio/wav"
    assert played.body()[:4] == b"RIFF"
    seconds = audio.evaluate(
        "a => new Promise((ok, bad) => { a.onloadedmetadata = () => ok(a.duration);"
        " a.onerror = () => bad('audio error ' + (a.error && a.error.code)); a.load(); })"
    )
    assert seconds > 1, f"the recording lasts {seconds} s"
    shot(review, "call-07-qa-review")
    review.context.close()


def test_a_caller_on_file_for_nobody_is_found_by_the_agent_and_kept_as_a_call_in(
    page: Page,
    console_url: str,
    floor_data: Floor,
    db_engine: Engine,
    asterisk: Asterisk,
    dialer: DialerProcess,
) -> None:
    with Session(db_engine) as db:  # a campaign worked by hand: the dialer places nothing
        campaign = db.get(Campaign, floor_data.campaign.id)
        assert campaign is not None
        campaign.dial_mode = "preview"
        db.add(campaign)
        db.commit()
    sign_in_as_ana(page, console_url)
    log_in_softphone(asterisk, floor_data.agent.extension or "")
    page.click("#btn-ready")
    expect(page.locator("#state-label")).to_have_text("Ready")

    call_in(asterisk, "+13035550166", "in-browser-1")  # a work phone we never had
    banner = page.locator("#call-banner")
    expect(banner).to_have_text(
        "Call in from +13035550166: on file for nobody", timeout=POP_TIMEOUT_MS
    )
    expect(page.locator("#state-label")).to_have_text("On call")
    expect(page.locator("#who-is-calling")).to_be_visible()
    shot(page, "call-07-call-in-caller-not-on-file")
    page.fill("input[name=q]", "Lopez")
    page.click("#preview-search button[type=submit]")
    page.get_by_role("button", name="This is the caller").first.click()
    expect(page.locator("#debtor-name")).to_have_text("Maria Lopez")
    expect(banner).to_have_text("Call in: the debtor called us — verify who is calling")
    shot(page, "call-08-call-in-account-found")

    def stored() -> ContactAttempt | None:
        with Session(db_engine) as db:
            return db.exec(
                select(ContactAttempt).where(ContactAttempt.call_id == "in-browser-1")
            ).first()

    row = wait_for(stored, 10, "the dialer to store the call in")
    assert (row.direction, row.account_id, row.campaign_id) == (
        "inbound", floor_data.account.id, None
    )  # fmt: skip
    page.get_by_role("button", name="Hang up").click()
    expect(banner).to_have_text("Call ended (conversation) — record the outcome", timeout=10_000)


def test_a_call_in_that_popped_the_wrong_person_is_moved_to_the_caller(
    page: Page,
    console_url: str,
    floor_data: Floor,
    db_engine: Engine,
    asterisk: Asterisk,
    dialer: DialerProcess,
) -> None:
    """Maria's number, but Rosa on the line (a phone they share): one button takes the call off
    Maria's file and the search files it under Rosa, on the real PBX."""
    with Session(db_engine) as db:
        campaign = db.get(Campaign, floor_data.campaign.id)
        assert campaign is not None
        campaign.dial_mode = "preview"  # the dialer places nothing; only the call in rings
        rosa = Debtor(client_id=floor_data.account.client_id, first_name="Rosa",
                      last_name="Vidal")  # fmt: skip
        db.add_all([campaign, rosa])
        db.flush()
        db.add(Account(client_id=floor_data.account.client_id,
                       portfolio_id=floor_data.account.portfolio_id, debtor_id=rosa.id or 0,
                       client_account_number="4000999988887777", principal_minor=20000,
                       balance_minor=20000))  # fmt: skip
        db.commit()
        rosa_id = rosa.id
    sign_in_as_ana(page, console_url)
    log_in_softphone(asterisk, floor_data.agent.extension or "")
    page.click("#btn-ready")
    expect(page.locator("#state-label")).to_have_text("Ready")

    call_in(asterisk, floor_data.phone.number, "in-browser-2")
    expect(page.locator("#debtor-name")).to_have_text("Maria Lopez", timeout=POP_TIMEOUT_MS)

    def filed() -> list[tuple[int, int]]:
        with Session(db_engine) as db:
            return [
                (row.account_id, row.debtor_id)
                for row in db.exec(
                    select(ContactAttempt).where(ContactAttempt.call_id == "in-browser-2")
                )
            ]

    wait_for(filed, 10, "the dialer to file the call under Maria")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Not this caller").click()
    expect(page.locator("#who-is-calling")).to_be_visible()
    expect(page.locator("#debtor-name")).to_have_count(0)
    wait_for(lambda: filed() == [] or None, 10, "the call taken off Maria's file")
    page.fill("input[name=q]", "Vidal")
    page.click("#preview-search button[type=submit]")
    page.get_by_role("button", name="This is the caller").first.click()
    expect(page.locator("#debtor-name")).to_have_text("Rosa Vidal")
    shot(page, "call-09-call-in-moved-to-the-caller")
    (where,) = wait_for(filed, 10, "the call filed under Rosa")
    assert where[1] == rosa_id
