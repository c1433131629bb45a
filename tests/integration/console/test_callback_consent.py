"""A callback the debtor asked for: Reg F lets that call through the 7 days after a
conversation (1006.14(b)(3)(i)); one only the agent planned waits for the 8th day. The console
checks it with the engine, stores the consent, and the dialer's own check reads it back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from test_call_flow import answer, htmx, pop_call, wait_for_call

from console.services.qa_review import compliance_verdict
from core.models import Account, Callback, ContactAttempt
from dialer.gate import decide_call
from qa.audit_store import audit

pytestmark = [pytest.mark.integration, pytest.mark.db]
# Friday 2026-03-13 15:00 UTC is 11:00 in Washington DC: two days after this conversation.
FRIDAY_11_DC = datetime(2026, 3, 13, 15, 0, tzinfo=UTC)


@pytest.fixture
def talked(db_engine: Engine, floor_data: Floor) -> None:
    """The conversation on the call on screen, as the dialer stored it."""
    with Session(db_engine) as db:
        db.add(ContactAttempt(account_id=pk(floor_data.account), debtor_id=pk(floor_data.debtor),
                              channel="call", to_address=floor_data.phone.number,
                              started_at=NOW - timedelta(minutes=5), outcome="conversation",
                              call_id="c-1"))  # fmt: skip
        db.commit()


def _callback(
    client: httpx.Client, token: str, consent: bool, at: str = "2026-03-13T11:00"
) -> httpx.Response:
    form = {"code": "CB", "callback_at": at, "tz": "America/New_York"}
    if consent:
        form["callback_consent"] = "yes"
    return htmx(client, token, "/agent/outcome", form)


def test_a_callback_the_debtor_asked_for_is_allowed_inside_the_week_and_the_dialer_agrees(
    client: httpx.Client, redis_url: str, db_engine: Engine, floor_data: Floor, talked: None
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    # Only the debtor, verified, can ask: a spouse's "call back later" is no consent.
    unverified = _callback(client, token, consent=True)
    assert "Only the debtor can ask to be called back" in unverified.text
    for node in ("greet", "verify"):
        answer(client, token, node)

    planned = _callback(client, token, consent=False)
    asked = _callback(client, token, consent=True)

    # The debtor's own clock beside the field: "6 pm" is theirs, typed in the agent's.
    assert "Their time now: 11:00 in New York" in planned.text
    assert "A call then is not allowed: We spoke with the debtor" in planned.text
    assert "If the debtor asked to be called then, tick that they asked." in planned.text
    assert 'name="callback_consent"' in planned.text
    assert "A call then is not allowed" not in asked.text
    with Session(db_engine) as db:
        stored = db.exec(select(Callback)).one()
        account = db.get(Account, pk(floor_data.account))
        assert account is not None
        assert (stored.consent, stored.due_at.replace(tzinfo=UTC)) == (True, FRIDAY_11_DC)
        number = floor_data.phone.number
        on_time = decide_call(db, account, number, FRIDAY_11_DC + timedelta(minutes=40))
        next_day = decide_call(db, account, number, FRIDAY_11_DC + timedelta(days=1))
    assert on_time.allowed and on_time.record["on_request"] is True
    assert compliance_verdict(on_time.record) == ("allowed: the debtor asked for this call", False)
    assert [str(r) for r in next_day.decision.reasons] == ["recent_conversation"]
    # QA's audit replays the call the dialer then makes with the same consent: no breach.
    with Session(db_engine) as db:
        db.add(ContactAttempt(account_id=pk(floor_data.account), debtor_id=pk(floor_data.debtor),
                              channel="call", to_address=number, started_at=FRIDAY_11_DC,
                              outcome="no_answer", compliance=on_time.record))  # fmt: skip
        db.commit()
        report = audit(
            db, FRIDAY_11_DC - timedelta(hours=1), FRIDAY_11_DC + timedelta(hours=1), None
        )
    assert (report.contacts, report.total_findings) == (1, 0)


def test_a_refused_callback_gives_the_next_allowed_time_in_the_agents_own_clock(
    client: httpx.Client, redis_url: str, floor_data: Floor, talked: None
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")

    refused = _callback(client, token, consent=False)  # typed as New York time

    # The week after Wednesday's conversation ends Wednesday 18th, 08:00 in DC (EDT).
    assert "The next allowed time is 2026-03-18 08:00 EDT." in refused.text


def test_a_refused_callback_the_debtor_asked_for_gives_no_date_a_week_out(
    client: httpx.Client, redis_url: str, floor_data: Floor, talked: None
) -> None:
    """The engine's next time counts no request, so it pointed a week out, where the debtor
    could ask for any lawful hour the next morning."""
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")

    for node in ("greet", "verify"):
        answer(client, token, node)
    late = _callback(client, token, consent=True, at="2026-03-13T22:30")  # after 21:00 in DC

    assert "A call then is not allowed" in late.text
    assert "2026-03-18" not in late.text and "pick another time they ask for" in late.text


def test_a_refused_preview_dial_gives_the_next_allowed_time_in_the_agents_own_clock(
    client: httpx.Client, floor_data: Floor, talked: None
) -> None:
    token = login(client, "ana")
    htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {})

    form = {"phone_id": str(pk(floor_data.phone)), "tz": "America/Chicago"}
    refused = htmx(client, token, "/agent/dial", form)

    assert 'id="dial-refused"' in refused.text
    # 08:00 in DC (EDT) on the 18th, a week after the conversation, is 07:00 in Chicago.
    assert "Next allowed: <time>2026-03-18 07:00 CDT</time>" in refused.text


def test_a_callback_booked_on_the_call_itself_counts_that_conversation(
    client: httpx.Client, redis_url: str, db_engine: Engine, floor_data: Floor
) -> None:
    # No conversation stored yet: the one on screen becomes one only when its outcome is saved.
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    for node in ("greet", "verify"):  # only the debtor, verified, can ask
        answer(client, token, node)

    planned = _callback(client, token, consent=False)
    asked = _callback(client, token, consent=True)

    # Booked, the planned one would pass here and be refused by the dialer on Friday.
    assert "A call then is not allowed: We spoke with the debtor" in planned.text
    assert "A call then is not allowed" not in asked.text
    with Session(db_engine) as db:
        assert db.exec(select(Callback)).one().consent is True
