"""The agent screen worked keyboard-only with a screen reader, as a reviewer did for a day: typed
disposition codes, focus after a swap, notes across a reload, calls announced, Alt+L on a call.

Pops are published on the agent's channel as the dialer frames them, so no PBX is needed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import redis
from conftest import shot
from console_floor import Floor
from playwright.sync_api import Dialog, Page, expect
from test_agent_console import log_in, publish_pop

from core.events import CallEnded, agent_channel

pytestmark = pytest.mark.browser

DRAFTS = """() => Object.keys(localStorage).filter(k => k.startsWith("concord:outcome-draft:"))"""


def on_a_call(page: Page, base: str, redis_url: str, floor: Floor, call_id: str) -> None:
    log_in(page, base, "ana")
    expect(page.locator("#ws-status")).to_have_text("live")
    page.click("#btn-ready")
    expect(page.locator("#state-label")).to_have_text("Ready")
    publish_pop(redis_url, floor, call_id)
    expect(page.locator("#screen")).to_have_attribute("data-call-id", call_id)
    page.wait_for_load_state("networkidle")


def focused_id(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement ? document.activeElement.id : ''"))


def test_typing_ptp_in_the_disposition_lands_on_ptp_and_keeps_focus_there(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    on_a_call(page, console_url, redis_url, floor_data, "c-typeahead")
    page.focus("#code")
    page.keyboard.press("P")  # type-ahead: PLAN, the first code with a P, and its fields come
    expect(page.locator("input[name=plan_total]")).to_be_visible()
    page.keyboard.type("TP", delay=40)  # the same word, within the browser's 1 s buffer: PTP

    expect(page.locator("#code")).to_have_value("PTP")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#code")).to_have_value("PTP")
    expect(page.locator("#promise")).to_be_visible()
    assert focused_id(page) == "code"


def test_a_refused_save_puts_focus_on_the_field_at_fault_which_names_its_message(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    on_a_call(page, console_url, redis_url, floor_data, "c-refused")
    page.select_option("#code", "PTP")  # a right-party code, before verification
    expect(page.locator("input[name=promise_amount]")).to_be_visible()
    page.focus("textarea[name=notes]")
    page.keyboard.type("pays Friday")
    page.keyboard.press("Alt+s")

    expect(page.locator("#err-code")).to_contain_text("right-party outcome")
    expect(page.locator("#code")).to_be_focused()
    expect(page.locator("#code")).to_have_attribute("aria-describedby", "err-code")
    expect(page.locator("textarea[name=notes]")).to_have_value("pays Friday")
    shot(page, "keyboard-01-refused-save-focus")


def test_the_outcome_typed_survives_a_reload_and_is_dropped_once_saved(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    on_a_call(page, console_url, redis_url, floor_data, "c-reload")
    page.select_option("#code", "PTP")
    page.fill("input[name=promise_amount]", "200.00")
    page.fill("textarea[name=notes]", "pays Friday from payroll")

    page.reload()
    expect(page.locator("textarea[name=notes]")).to_have_value("pays Friday from payroll")
    expect(page.locator("#code")).to_have_value("PTP")
    expect(page.locator("input[name=promise_amount]")).to_have_value("200.00")
    expect(page.locator("#unsaved-notes")).to_be_hidden()  # it is on the form, not orphaned

    page.select_option("#code", "WN")
    expect(page.locator("#promise")).to_have_count(0)
    page.click("#save-outcome")
    expect(page.locator("#saved-notice")).to_contain_text("Saved: Wrong number")
    assert page.evaluate(DRAFTS) == []
    page.reload()
    expect(page.locator("#unsaved-notes")).to_be_hidden()


def test_the_outcome_typed_survives_the_tab_being_closed_and_opened_again(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    """A tab closed by mistake in wrap-up took the notes with it (they lived in the tab's
    sessionStorage); the call came back in a new tab with an empty form."""
    on_a_call(page, console_url, redis_url, floor_data, "c-closed-tab")
    page.select_option("#code", "PTP")
    page.fill("textarea[name=notes]", "wife says call after 6pm")
    context = page.context
    page.close()

    again = context.new_page()
    again.goto(f"{console_url}/agent")
    expect(again.locator("textarea[name=notes]")).to_have_value("wife says call after 6pm")
    expect(again.locator("#code")).to_have_value("PTP")
    again.close()


def test_notes_of_a_save_refused_by_the_server_are_on_the_page_after_the_reload_it_asks_for(
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
    expect(page.locator("#request-error")).to_contain_text("Reload the page")

    page.reload()
    expect(page.locator("#screen > .idle")).to_be_visible()
    kept = page.locator("#unsaved-notes")
    expect(kept).to_be_visible()
    expect(kept).to_contain_text("Maria Lopez")
    expect(kept).to_contain_text("left a message with the debtor's son")
    shot(page, "keyboard-02-notes-kept-after-refused-save")
    kept.get_by_role("button", name="Discard the notes about Maria Lopez").click()
    expect(kept).to_be_hidden()
    assert page.evaluate(DRAFTS) == []


def test_a_pop_and_the_end_of_its_call_are_announced_politely(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    on_a_call(page, console_url, redis_url, floor_data, "c-announce")
    region = page.locator("#call-announcer")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_have_text("Live call: Maria Lopez, Harbor Bank")

    ended = CallEnded(
        at=datetime.now(UTC), call_id="c-announce", account_id=floor_data.account.id or 0,
        outcome="conversation", agent_id=floor_data.agent.id,
    )  # fmt: skip
    redis.Redis.from_url(redis_url).publish(
        agent_channel(floor_data.agent.id or 0), ended.envelope()
    )
    expect(region).to_have_text("Call ended: record the outcome")


def test_alt_l_on_a_call_asks_first_and_stays_when_the_agent_says_no(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    on_a_call(page, console_url, redis_url, floor_data, "c-logout")
    asked: list[str] = []

    def say_no(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", say_no)
    page.keyboard.press("Alt+l")
    page.wait_for_timeout(500)  # a logout would be on its way to /login by now
    assert asked and "Log out anyway?" in asked[0]
    expect(page.locator("#debtor-name")).to_have_text("Maria Lopez")
    assert page.url.endswith("/agent")

    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Alt+l")
    expect(page.locator("input[name=username]")).to_be_visible()


def test_alt_l_with_no_call_on_screen_logs_out_at_once(
    page: Page, console_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    expect(page.locator("#ws-status")).to_have_text("live")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.keyboard.press("Alt+l")
    expect(page.locator("input[name=username]")).to_be_visible()
    assert asked == []


def test_notes_typed_are_gone_from_the_tab_once_the_agent_logs_out(
    page: Page, console_url: str, floor_data: Floor
) -> None:
    """A shared floor PC: the next agent must not read another's notes about a debtor."""
    log_in(page, console_url, "ana")
    expect(page.locator("#ws-status")).to_have_text("live")
    page.wait_for_load_state("networkidle")
    page.fill("#preview-search input[name=q]", "Lopez")
    page.click("#preview-search button[type=submit]")
    page.locator("#preview-results button", has_text="Preview").first.click()
    expect(page.locator("#btn-skip")).to_be_visible()
    page.fill("textarea[name=notes]", "she is in treatment; husband lost his job")
    page.wait_for_function("() => Object.keys(localStorage).length > 0")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form[action='/logout'] button")
    expect(page.locator("input[name=username]")).to_be_visible()

    assert page.evaluate(DRAFTS) == []


def test_notes_typed_on_a_skipped_preview_do_not_come_back_with_the_account(
    page: Page, console_url: str, floor_data: Floor
) -> None:
    log_in(page, console_url, "ana")
    expect(page.locator("#ws-status")).to_have_text("live")
    page.wait_for_load_state("networkidle")
    page.fill("#preview-search input[name=q]", "Lopez")
    page.click("#preview-search button[type=submit]")
    page.locator("#preview-results button", has_text="Preview").first.click()
    expect(page.locator("#btn-skip")).to_be_visible()
    page.fill("textarea[name=notes]", "said to call back next week")
    page.wait_for_function("() => Object.keys(localStorage).length > 0")

    page.click("#btn-skip")
    expect(page.locator("#btn-skip")).to_have_count(0)

    assert page.evaluate(DRAFTS) == []


def test_a_script_answer_by_keyboard_lands_on_what_to_say_next(
    page: Page, console_url: str, redis_url: str, floor_data: Floor
) -> None:
    on_a_call(page, console_url, redis_url, floor_data, "c-script-focus")
    first = page.locator("#script-node").get_attribute("data-node")
    page.locator("#script-node .answers button").first.focus()

    page.keyboard.press("Enter")

    expect(page.locator("#script-node")).not_to_have_attribute("data-node", first or "")
    page.wait_for_function("() => document.activeElement && document.activeElement.id")
    assert focused_id(page) == "script-say"
