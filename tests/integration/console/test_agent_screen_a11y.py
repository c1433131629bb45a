"""What the agent screen's HTML owes a keyboard and screen-reader user, and the amounts it shows:
every field at fault names its message, every Alt shortcut is in the legend, money is in the
account's currency. What the browser does with it is in tests/browser/test_agent_keyboard.py."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session
from test_call_flow import answer, htmx, pop_call, wait_for_call

from core.models import Account, PaymentPlan, PlanInstallment, PromiseToPay

pytestmark = pytest.mark.integration


class Tags(HTMLParser):
    """Every start tag's attributes, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def described_faults(html: str) -> dict[str, str]:
    """Each invalid field's name and the id its aria-describedby points at ('' if none)."""
    tags = Tags(html).tags
    ids = {attrs["id"] for _, attrs in tags if "id" in attrs}
    faults = {}
    for _, attrs in tags:
        if attrs.get("aria-invalid") == "true":
            pointed = attrs.get("aria-describedby", "")
            faults[attrs.get("name", "?")] = pointed if pointed in ids else ""
    return faults


def test_a_right_party_code_refused_before_verification_names_its_message(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    refused = htmx(client, token, "/agent/outcome", {"code": "PTP", "notes": "pays Friday"})
    assert described_faults(refused.text)["code"] == "err-code"


def test_a_promise_above_the_balance_names_its_message_on_the_amount_field(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)
    due = (NOW + timedelta(days=7)).date().isoformat()
    form = {"code": "PTP", "promise_amount": "2000.00", "promise_date": due}
    refused = htmx(client, token, "/agent/outcome", form)
    assert described_faults(refused.text) == {"promise_amount": "err-promise_amount"}


def test_a_schedule_row_at_fault_names_its_message(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    first = (NOW + timedelta(days=3)).date().isoformat()
    form = {"code": "PLAN", "plan_total": "1240.50", "plan_count": "2", "plan_first_date": first,
            "plan_date_1": first, "plan_amount_1": "abc", "plan_date_2": first,
            "plan_amount_2": "620.25"}  # fmt: skip
    refused = htmx(client, token, "/agent/outcome", form)
    assert described_faults(refused.text)["plan_amount_1"] == "err-plan_row_1"


def shortcut_keys(html: str) -> set[str]:
    return {attrs["data-key"] for _, attrs in Tags(html).tags if "data-key" in attrs}


def legend(html: str) -> str:
    found = re.search(r'<aside class="shortcuts[^>]*>(.*?)</aside>', html, re.S)
    assert found, "the agent page has no shortcuts legend"
    return found.group(1)


def listed(key: str, words: str) -> bool:
    return (f"Alt+{key.upper()} " in words) or (key.isdigit() and "Alt+1…9" in words)


def test_every_alt_shortcut_on_the_idle_and_the_call_screen_is_in_the_legend(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    login(client, "ana")
    idle = client.get("/agent").text
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    on_call = client.get("/agent").text
    keys = shortcut_keys(idle) | shortcut_keys(on_call)
    assert {"l", "s", "d", "1"} <= keys  # log out, save, disposition, a script answer
    words = legend(on_call)
    assert [k for k in sorted(keys) if not listed(k, words)] == []


def test_promises_and_plans_of_a_gbp_account_show_in_pounds(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        account = db.get(Account, pk(floor_data.account))
        assert account is not None
        account.currency = "GBP"
        promise = PromiseToPay(
            account_id=pk(account), amount_minor=4000, due_date=date(2026, 3, 20)
        )
        plan = PaymentPlan(account_id=pk(account), total_minor=8000)
        db.add_all([account, promise, plan])
        db.flush()
        db.add_all([PlanInstallment(plan_id=pk(plan), seq=seq, due_date=date(2026, 3 + seq, 1),
                                    amount_minor=4000) for seq in (1, 2)])  # fmt: skip
        db.commit()
    login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert "Promise 40.00 GBP by 2026-03-20" in screen
    assert "Plan 80.00 GBP" in screen and "2026-04-01 40.00 GBP; 2026-05-01 40.00 GBP" in screen
    assert "$40.00" not in screen and "$80.00" not in screen


def test_a_saved_outcome_names_its_call_so_the_browser_drops_the_notes_draft(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data, "c-draft")
    wait_for_call(client, "c-draft")
    saved = htmx(client, token, "/agent/outcome", {"code": "WN", "notes": "a pizza shop"})
    assert "Saved: Wrong number" in saved.text
    said = json.loads(saved.headers["HX-Trigger"])["dispositionSaved"]
    assert said["call_id"] == "c-draft" and said["account_id"] == floor_data.account.id
