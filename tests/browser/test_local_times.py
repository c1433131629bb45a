"""Times on the console's pages read in the reader's own clock: stored and rendered in UTC,
rewritten by the page's script into the browser's time zone, the UTC kept as the title."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from console_floor import Floor
from playwright.sync_api import Browser, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session
from test_agent_console import log_in

from core.models import ContactAttempt

CALLED = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)  # 10:00 in Chicago (daylight time since 8 March)


def test_an_agent_in_chicago_reads_a_call_of_15_00_utc_as_10_00_cdt(
    chromium: Browser, console_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        db.add(ContactAttempt(account_id=floor_data.account.id or 0,
                              debtor_id=floor_data.debtor.id or 0, channel="call",
                              outcome="no_answer", started_at=CALLED))  # fmt: skip
        db.commit()
    seen = {}
    for zone in ("America/Chicago", "UTC"):
        context = chromium.new_context(timezone_id=zone, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, console_url, "ana")
        expect(page.locator("#state-label")).to_be_visible()
        page.goto(f"{console_url}/accounts/{floor_data.account.id}")
        called = page.locator("#contacts time").first
        expect(called).to_have_attribute("data-local", zone)
        seen[zone] = (called.inner_text(), called.get_attribute("title"))
        context.close()
    assert seen["America/Chicago"] == ("2026-03-11 10:00 CDT", "2026-03-11 15:00 UTC")
    assert seen["UTC"] == ("2026-03-11 15:00 UTC", "2026-03-11 15:00 UTC")


def test_a_lead_in_chicago_reads_the_days_start_in_their_clock_after_the_panel_loads(
    chromium: Browser, console_url: str, floor_data: Floor
) -> None:
    """The day panel arrives by htmx after the page: its times are rewritten as they land."""
    context = chromium.new_context(timezone_id="America/Chicago", locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, console_url, "lee")
    page.goto(f"{console_url}/lead")
    start = page.locator("#day h2 time")
    expect(start).to_have_attribute("data-local", "America/Chicago")
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    local = midnight.astimezone(ZoneInfo("America/Chicago"))
    assert start.inner_text() == f"{local:%H:%M} {local.tzname()}"  # 18:00 CST in winter
    expect(page.locator("#agents th .zone")).to_have_text(local.tzname() or "")
    context.close()
