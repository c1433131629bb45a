"""A call from screen pop to saved disposition, through real Redis pub/sub and the database."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import httpx
import pytest
import redis
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from core.events import CallConnected, agent_channel
from core.models import (
    Account,
    Campaign,
    CampaignAgent,
    ContactAttempt,
    Debtor,
    DispositionCode,
    Email,
    PaymentPlan,
    Phone,
    PlanInstallment,
    PromiseToPay,
    User,
)
from core.settings import get_settings
from core.stopped_numbers import stop_number
from dialer.gate import decide_call
from outreach.followups import recipients
from outreach.models import OutreachMessage

pytestmark = pytest.mark.integration


def pop_call(redis_url: str, floor: Floor, call_id: str = "c-1", inbound: bool = False) -> None:
    """Publish the screen pop exactly as the dialer does (`inbound`: the debtor called us)."""
    event = CallConnected(
        at=NOW,
        call_id=call_id,
        agent_id=floor.agent.id or 0,
        account_id=floor.account.id or 0,
        debtor_id=floor.debtor.id or 0,
        campaign_id=floor.campaign.id,
        number=floor.phone.number,
        answer_to_agent_ms=180,
        inbound=inbound,
    )
    redis.Redis.from_url(redis_url).publish(agent_channel(floor.agent.id or 0), event.envelope())


def wait_for_call(client: httpx.Client, call_id: str, timeout: float = 5.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snap: dict[str, object] = client.get("/agent/snapshot").json()
        if snap["call_id"] == call_id:
            return snap
        time.sleep(0.05)
    raise AssertionError(f"call {call_id} never reached the snapshot")


def htmx(client: httpx.Client, token: str, path: str, data: dict[str, str]) -> httpx.Response:
    return client.post(path, data=data, headers={"HX-Request": "true", "X-CSRF-Token": token})


# What the floor's debtor has on file, as the person on the phone gives it.
BIRTH, ZIP = "1984-03-09", "20001"


def answer(client: httpx.Client, token: str, node: str, index: int = 0) -> str:
    """Click a script answer; "Details match" (verify, 0) after checking them on the card."""
    if (node, index) == ("verify", 0):
        htmx(client, token, "/agent/identity", {"birth": BIRTH, "postal": ZIP})
    response = htmx(client, token, "/agent/script/answer", {"node": node, "index": str(index)})
    assert response.status_code == 200
    return response.text


def click(client: httpx.Client, token: str, node: str, index: int = 0) -> str:
    """Click a script answer and nothing else."""
    response = htmx(client, token, "/agent/script/answer", {"node": node, "index": str(index)})
    assert response.status_code == 200
    return response.text


def test_ready_is_stored_where_the_dialer_reads_it(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    htmx(client, token, "/agent/state", {"action": "ready"})
    raw = redis.Redis.from_url(redis_url).hget("concord:agent_states", str(floor_data.agent.id))
    assert raw is not None
    state = json.loads(raw)
    assert state["state"] == "ready" and state["campaign_id"] == floor_data.campaign.id


def test_pause_needs_a_reason_and_keeps_the_agent_ready_until_given(
    client: httpx.Client, floor_data: Floor
) -> None:
    token = login(client, "ana")
    htmx(client, token, "/agent/state", {"action": "ready"})
    refused = htmx(client, token, "/agent/state", {"action": "pause", "reason": ""})
    assert "Choose a pause reason." in refused.text
    assert client.get("/agent/snapshot").json()["state"] == "ready"
    paused = htmx(client, token, "/agent/state", {"action": "pause", "reason": "training"})
    assert "Paused: Training" in paused.text


def test_a_pop_published_while_the_screen_was_away_is_in_the_snapshot(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    login(client, "ana")
    pop_call(redis_url, floor_data, "c-away")
    snap = wait_for_call(client, "c-away")
    assert snap["state"] == "on_call" and snap["account_id"] == floor_data.account.id
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert "Maria Lopez" in screen and "1984-03-09" not in screen
    assert "Hi, this is Ana." in screen


def test_a_call_in_pops_saying_the_debtor_called_and_to_verify_the_caller(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:  # last week they called in too
        db.add(
            ContactAttempt(account_id=pk(floor_data.account), debtor_id=pk(floor_data.debtor),
                           channel="call", direction="inbound", outcome="conversation",
                           started_at=NOW - timedelta(days=7), call_id="in-0")
        )  # fmt: skip
        db.commit()
    login(client, "ana")
    pop_call(redis_url, floor_data, "in-1", inbound=True)
    wait_for_call(client, "in-1")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert "Call in: the debtor called us — verify who is calling" in screen
    assert 'data-inbound="yes"' in screen and "Maria Lopez" in screen
    assert "Hang up" in screen  # a live call's controls, as for a call placed
    assert "UTC</time> · call in ·" in screen  # the earlier call in, told from calls placed
    # the call-in script: we did not choose this caller, so it asks who is calling
    assert "Thank you for calling. This is Ana. This call may be recorded." in screen
    assert "May I have your full name, please?" in screen
    # a call refused now (a conversation a week ago) is no reason to hang up on them
    assert "They called us: the limits on calling them" in screen
    assert "Calling this number is allowed now." not in screen


def test_a_call_settled_while_no_console_listened_shows_ended_from_the_stored_attempt(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    login(client, "ana")
    pop_call(redis_url, floor_data, "c-lost")
    wait_for_call(client, "c-lost")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert '<strong id="call-banner">Live call</strong>' in screen
    with Session(db_engine) as db:  # the dialer settled it; its CallEnded reached no one
        db.add(
            ContactAttempt(account_id=pk(floor_data.account), debtor_id=pk(floor_data.debtor),
                           channel="call", started_at=NOW, ended_at=NOW + timedelta(minutes=2),
                           outcome="conversation", call_id="c-lost", agent_id=floor_data.agent.id)
        )  # fmt: skip
        db.commit()

    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text

    assert "Call ended (conversation) — record the outcome" in screen
    assert client.get("/agent/snapshot").json()["ended"] is True  # stored, not only drawn


def test_websocket_says_hello_then_forwards_the_screen_pop(
    client: httpx.Client, server: str, redis_url: str, floor_data: Floor
) -> None:
    login(client, "ana")
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    with connect(f"ws://{server}/ws/agent", additional_headers={"Cookie": cookie}) as ws:
        hello = json.loads(ws.recv(timeout=5))
        assert hello == {"op": "hello", "v": 1, "data": {"agent_id": floor_data.agent.id}}
        pop_call(redis_url, floor_data, "c-ws")
        frame = json.loads(ws.recv(timeout=5))
    assert frame["op"] == "call_connected" and frame["data"]["call_id"] == "c-ws"


def test_websocket_without_a_session_is_closed_as_unauthenticated(server: str) -> None:
    with connect(f"ws://{server}/ws/agent") as ws:
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)
        assert ws.close_code == 4401


def test_right_party_outcome_is_refused_until_verification_and_disclosure(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    due = (NOW + timedelta(days=7)).date().isoformat()
    form = {"code": "PTP", "promise_amount": "200.00", "promise_date": due, "notes": "pays Friday"}
    refused = htmx(client, token, "/agent/outcome", form)
    assert "finish right party verification, debt collector first" in refused.text
    assert "pays Friday" in refused.text  # nothing typed is lost


def test_the_script_names_the_agency_as_its_calls_in_and_letters_do(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    """A collector uses its one true name (1692e(14)): the script said "Concord Recovery
    Services", hard-coded, while the greeting and the letters said CONCORD_AGENCY_NAME."""
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    said = " ".join(answer(client, token, node) for node in ("greet", "verify", "mini_miranda"))
    name = get_settings().agency_name
    assert f"{name}." in said and "Recovery Services" not in said


def test_promise_above_the_balance_marks_the_field_and_keeps_the_input(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)
    due = (NOW + timedelta(days=7)).date().isoformat()
    form = {"code": "PTP", "promise_amount": "2000.00", "promise_date": due, "notes": "keep me"}
    response = htmx(client, token, "/agent/outcome", form)
    assert "A promise cannot be more than the balance, $1,240.50." in response.text
    assert 'value="2000.00"' in response.text and "keep me" in response.text


def test_promise_past_the_portfolio_window_is_refused(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)
    late = (NOW + timedelta(days=31)).date().isoformat()
    response = htmx(
        client,
        token,
        "/agent/outcome",
        {"code": "PTP", "promise_amount": "100", "promise_date": late},
    )
    assert "The client allows promises up to 30 days out" in response.text


def test_details_match_is_refused_until_the_identity_card_matches_every_detail(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    click(client, token, "greet")

    unchecked = click(client, token, "verify")
    htmx(client, token, "/agent/identity", {"birth": "1984-03-10", "postal": ZIP})
    wrong = click(client, token, "verify")
    htmx(client, token, "/agent/identity", {"birth": BIRTH})
    half = click(client, token, "verify")
    htmx(client, token, "/agent/identity", {"birth": BIRTH, "postal": ZIP})
    checked = click(client, token, "verify")

    for refused in (unchecked, wrong, half):
        assert "The details are not confirmed" in refused and BIRTH not in refused
    assert "The details are not confirmed" not in checked and BIRTH in checked


def test_verified_promise_is_saved_with_script_path_followups_and_the_call_hung_up(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    token = login(client, "ana")
    htmx(client, token, "/agent/state", {"action": "ready"})
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    answer(client, token, "greet")
    verified = answer(client, token, "verify")
    assert "1984-03-09" in verified  # identity unmasked once the right party is verified
    answer(client, token, "mini_miranda")
    due = (NOW + timedelta(days=7)).date()
    response = htmx(
        client,
        token,
        "/agent/outcome",
        {
            "code": "PTP",
            "promise_amount": "200.00",
            "promise_date": due.isoformat(),
            "notes": "Paying Friday from payroll.",
        },
    )
    assert "Saved: Promise to pay: promise of $200.00" in response.text
    with Session(db_engine) as db:
        attempt = db.exec(select(ContactAttempt).where(ContactAttempt.call_id == "c-1")).one()
        promise = db.exec(select(PromiseToPay)).one()
        messages = db.exec(select(OutreachMessage)).all()
    assert attempt.script_name == "third_party_first_contact"
    assert attempt.script_path[:4] == ["greet", "verify", "mini_miranda", "explain"]
    assert attempt.compliance["allowed"] is True
    assert promise.amount_minor == 20000 and promise.due_date == due
    assert promise.contact_attempt_id == attempt.id
    assert messages, "no follow-up messages were written"
    jobs = redis.Redis.from_url(redis_url).keys("rq:job:outreach-*")
    assert jobs, "no follow-up job reached RQ"
    snap = client.get("/agent/snapshot").json()
    assert snap["call_id"] == ""  # off the screen; the state follows the call's end
    command = redis.Redis.from_url(redis_url).lpop("concord:call_commands")
    assert command is not None
    assert json.loads(command) == {
        "call_id": "c-1",
        "action": "hangup",
        "agent_id": floor_data.agent.id,
    }


def test_the_agent_checks_what_the_caller_said_without_the_file_being_shown(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")

    right = htmx(client, token, "/agent/identity", {"birth": "1984-03-09", "postal": "20001"})
    wrong = htmx(client, token, "/agent/identity", {"birth": "1984-09-03", "postal": "20001"})

    assert "Date of birth matches; ZIP matches. Press “Details match”." in right.text
    assert 'class="ok"' in right.text
    assert "Date of birth does NOT match; ZIP matches." in wrong.text
    assert "1984-03-09" not in wrong.text  # what is on file is never sent back
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert 'id="identity-form"' in screen and "1984-03-09" not in screen


def test_transfer_goes_to_a_lead_with_a_phone_and_says_so_when_none_has_one(
    client: httpx.Client, redis_url: str, db_engine: Engine, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    sent = htmx(client, token, "/agent/call/transfer", {}).text
    with Session(db_engine) as db:
        lee = db.get(User, floor_data.lead.id)
        assert lee is not None
        lee.extension = ""  # a lead who never set up a phone
        db.add(lee)
        db.commit()
    refused = htmx(client, token, "/agent/call/transfer", {}).text

    assert "Transferring to your team lead" in sent
    assert "No team lead of your team has a phone on the floor" in refused


def test_a_promise_on_top_of_a_plan_is_refused_and_a_new_plan_replaces_it(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    account_id = pk(floor_data.account)
    with Session(db_engine) as db:
        old = PaymentPlan(account_id=account_id, total_minor=124050)
        db.add(old)
        db.flush()
        for seq in (1, 2):
            due = (NOW + timedelta(days=10 * seq)).date()
            db.add(PlanInstallment(plan_id=pk(old), seq=seq, due_date=due, amount_minor=62025))
        db.commit()
        old_id = pk(old)
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)
    due = (NOW + timedelta(days=5)).date().isoformat()
    form = {"code": "PTP", "promise_amount": "100.00", "promise_date": due}
    refused = htmx(client, token, "/agent/outcome", form)
    assert "This account has a payment plan in force (2 installments to pay; next " in (
        refused.text
    )
    first = (NOW + timedelta(days=14)).date().isoformat()
    second = (NOW + timedelta(days=44)).date().isoformat()
    plan = {"code": "PLAN", "plan_total": "1240.50", "plan_count": "2", "plan_first_date": first,
            "plan_date_1": first, "plan_amount_1": "620.25", "plan_date_2": second,
            "plan_amount_2": "620.25"}  # fmt: skip
    saved = htmx(client, token, "/agent/outcome", plan)
    assert "it replaces the plan that was in force" in saved.text, saved.text
    with Session(db_engine) as db:
        plans = db.exec(select(PaymentPlan).where(PaymentPlan.account_id == account_id)).all()
        assert sorted((p.id == old_id, p.status) for p in plans) == [
            (False, "active"), (True, "replaced")
        ]  # fmt: skip
        items = db.exec(select(PlanInstallment).where(PlanInstallment.plan_id == old_id)).all()
        assert [i.status for i in items] == ["cancelled", "cancelled"]


def test_hours_the_debtor_asks_not_to_be_called_are_saved_with_the_outcome(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    """The script says 'I will update it right now'; nothing on the screen could, and the
    dialer called at 08:30 the next week (1692c(a)(1))."""
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)
    half = htmx(client, token, "/agent/outcome", {"code": "RPC", "quiet_from": "08:00"})
    assert "Give both times in the debtor&#39;s own clock" in half.text
    said = {"code": "RPC", "quiet_from": "08:00", "quiet_to": "11:00", "notes": "works nights"}
    saved = htmx(client, token, "/agent/outcome", said)
    assert "Saved:" in saved.text, saved.text
    with Session(db_engine) as db:
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None
        assert {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "start": "08:00", "end": "11:00"} in debtor.inconvenient_times  # fmt: skip


def test_a_number_the_debtor_asks_not_to_be_called_on_is_refused_from_then(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    """'Never call me at work, my employer does not allow it' could only go in the notes, and
    the work number was dialled again (1692c(a)(3))."""
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)
    said = {"code": "RPC", "no_calls_here": "yes", "notes": "employer does not allow calls"}
    assert "Saved:" in htmx(client, token, "/agent/outcome", said).text
    later = NOW + timedelta(days=9)
    with Session(db_engine) as db:
        account = db.get(Account, pk(floor_data.account))
        assert account is not None
        verdict = decide_call(db, account, floor_data.phone.number, later)
    assert [str(r) for r in verdict.decision.reasons] == ["no_calls_here"]
    # The next call about them (say they call in) shows why that number is not dialled.
    pop_call(redis_url, floor_data, call_id="c-2", inbound=True)
    wait_for_call(client, "c-2")
    phones = client.get("/agent").text.split("<dt>Phones</dt>", 1)[1].split("</dd>", 1)[0]
    assert f"no calls here since {NOW:%Y-%m-%d} (asked)" in phones, phones


def pop_unknown_caller(redis_url: str, floor: Floor, call_id: str) -> None:
    """A call in from a number on file for nobody, popped as the dialer pops it."""
    event = CallConnected(
        at=NOW, call_id=call_id, agent_id=floor.agent.id or 0, account_id=0, debtor_id=0,
        campaign_id=floor.campaign.id, number="+13035550166", answer_to_agent_ms=4000,
        inbound=True,
    )  # fmt: skip
    redis.Redis.from_url(redis_url).publish(agent_channel(floor.agent.id or 0), event.envelope())


def test_an_agent_finds_the_account_of_a_caller_on_file_for_nobody_and_works_it(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    token = login(client, "ana")
    pop_unknown_caller(redis_url, floor_data, "in-unknown")
    wait_for_call(client, "in-unknown")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert "Call in from +13035550166: on file for nobody" in screen
    assert "Who is calling?" in screen and "Maria Lopez" not in screen
    found = client.get("/agent/preview", params={"q": "Lopez"}, headers={"HX-Request": "true"})
    assert "This is the caller" in found.text
    chosen = htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {})
    assert "Call in: the debtor called us — verify who is calling" in chosen.text
    assert "Maria Lopez" in chosen.text
    command = json.loads(redis.Redis.from_url(redis_url).lpop("concord:call_commands") or b"")
    assert command == {
        "call_id": "in-unknown",
        "action": "identify",
        "agent_id": floor_data.agent.id,
        "account_id": pk(floor_data.account),
    }
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)
    due = (NOW + timedelta(days=5)).date().isoformat()
    saved = htmx(client, token, "/agent/outcome",
                 {"code": "PTP", "promise_amount": "100.00", "promise_date": due})  # fmt: skip
    assert "Saved" in saved.text, saved.text
    with Session(db_engine) as db:
        row = db.exec(select(ContactAttempt).where(ContactAttempt.call_id == "in-unknown")).one()
    assert (row.account_id, row.direction, row.campaign_id) == (
        pk(floor_data.account), "inbound", None
    )  # fmt: skip
    assert row.compliance == {}  # no dial decision: they called us (QA read one as refused)


def test_a_caller_with_no_account_here_is_closed_without_one(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    token = login(client, "ana")
    pop_unknown_caller(redis_url, floor_data, "in-nobody")
    wait_for_call(client, "in-nobody")
    closed = htmx(client, token, "/agent/caller/close", {})
    assert 'data-call-id=""' in closed.text and "Who is calling?" not in closed.text
    command = json.loads(redis.Redis.from_url(redis_url).lpop("concord:call_commands") or b"")
    assert (command["call_id"], command["action"]) == ("in-nobody", "hangup")
    assert client.get("/agent/snapshot").json()["call_id"] in ("", None)
    refused = htmx(client, token, "/agent/caller/close", {})
    assert refused.status_code == 409
    with Session(db_engine) as db:
        assert db.exec(select(ContactAttempt)).all() == []


def test_a_verified_caller_from_a_new_number_has_it_kept_among_their_phones(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    token = login(client, "ana")
    pop_unknown_caller(redis_url, floor_data, "in-new")
    wait_for_call(client, "in-new")
    htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {})
    assert (
        'name="new_phone" id="new-phone-number" inputmode="tel" value=""'
        in client.get("/agent/screen", headers={"HX-Request": "true"}).text
    )  # not offered before the caller is verified
    answer(client, token, "greet")
    verified = answer(client, token, "verify")
    assert 'value="+13035550166"' in verified  # offered once verified: they called from it
    answer(client, token, "mini_miranda")
    said = {"code": "RPC", "notes": "new job", "new_phone_type": "work"}
    bad = htmx(client, token, "/agent/outcome", {**said, "new_phone": "555-01"})
    assert "That is not a valid phone number" in bad.text
    theirs = htmx(client, token, "/agent/outcome", {**said, "new_phone": "+13125550188"})
    assert "That number is on file for another person" in theirs.text  # Sam Reed's
    with Session(db_engine) as db:  # a number whose owner told us to stop, held by no one
        stop_number(db, "+13035550177", NOW, "asked", "letter", "lee")
        db.commit()
    listed = htmx(client, token, "/agent/outcome", {**said, "new_phone": "(303) 555-0177"})
    assert "on the agency&#39;s do-not-call list" in listed.text, listed.text
    # the work phone they called from, where they also ask not to be called
    saved = htmx(client, token, "/agent/outcome",
                 {**said, "new_phone": "(303) 555-0166", "no_calls_here": "yes"})  # fmt: skip
    assert "Saved" in saved.text, saved.text
    with Session(db_engine) as db:
        phones = db.exec(select(Phone).where(Phone.debtor_id == pk(floor_data.debtor))).all()
    added = [p for p in phones if p.number == "+13035550166"]
    assert [(p.type, p.consent) for p in added] == [("work", False)]
    assert added[0].no_calls_at is not None  # the request reached the number it was about
    assert added[0].position > max(p.position for p in phones if p is not added[0])


def test_a_number_from_someone_not_verified_is_not_kept(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data, "c-new")
    wait_for_call(client, "c-new")
    said = {"code": "WN", "new_phone": "(303) 555-0166", "new_phone_type": "mobile"}
    refused = htmx(client, token, "/agent/outcome", said)
    assert "A new number is kept only from the debtor: verify them in the script first." in (
        refused.text
    )


def test_an_address_marked_as_the_employers_is_never_written_to(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        email = Email(debtor_id=pk(floor_data.debtor), address="mlopez@acme-logistics.com")
        db.add(email)
        db.commit()
        email_id = pk(email)
    token = login(client, "ana")
    pop_call(redis_url, floor_data, "c-work-mail")
    wait_for_call(client, "c-work-mail")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert "…@acme-logistics.com is their work address: never write to it" in screen
    assert "mlopez@" not in screen  # the address itself stays off the screen
    saved = htmx(client, token, "/agent/outcome", {"code": "WN", f"work_email_{email_id}": "yes"})
    assert "Saved" in saved.text, saved.text
    with Session(db_engine) as db:
        stored = db.get(Email, email_id)
        assert stored is not None and stored.work
        assert "email" not in recipients(db, pk(floor_data.debtor))  # no follow-up goes there


def test_a_call_in_cannot_be_saved_as_no_answer(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    """Saved as no contact, a call in would hide the debtor's conversation (the validation
    notice's clock starts at the first one) and report 'no answer' for a call they made."""
    with Session(db_engine) as db:
        db.add(DispositionCode(client_id=floor_data.account.client_id, code="NA",
                               label="No answer", category="no_contact"))  # fmt: skip
        db.commit()
    token = login(client, "ana")
    pop_call(redis_url, floor_data, "in-na", inbound=True)
    wait_for_call(client, "in-na")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert 'value="NA"' not in screen  # not offered on a call in
    refused = htmx(client, token, "/agent/outcome", {"code": "NA"})
    assert "No answer cannot describe a call in: the debtor called us." in refused.text
    pop_call(redis_url, floor_data, "c-na")  # a call we placed: still fine
    wait_for_call(client, "c-na")
    assert 'value="NA"' in client.get("/agent/screen", headers={"HX-Request": "true"}).text


def test_after_a_call_in_about_another_clients_account_the_agent_keeps_their_campaign(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    """Identifying a caller as another client's debtor moved the agent onto that client's
    campaign after the outcome; their own client's callers then held for nobody."""
    ridge = floor_data.other_account
    with Session(db_engine) as db:
        ridge_campaign = db.exec(
            select(Campaign).where(Campaign.client_id == ridge.client_id)
        ).one()
        db.add(CampaignAgent(campaign_id=pk(ridge_campaign), user_id=pk(floor_data.agent)))
        db.commit()
    token = login(client, "ana")
    htmx(client, token, "/agent/state",
         {"action": "ready", "campaign_id": str(pk(floor_data.campaign))})  # fmt: skip
    pop_unknown_caller(redis_url, floor_data, "in-ridge")
    wait_for_call(client, "in-ridge")
    chosen = htmx(client, token, f"/agent/preview/{pk(ridge)}", {})
    assert "Sam Reed" in chosen.text
    saved = htmx(client, token, "/agent/outcome", {"code": "WN"})
    assert "Saved" in saved.text, saved.text
    state = json.loads(
        redis.Redis.from_url(redis_url).hget("concord:agent_states", str(pk(floor_data.agent)))
        or b"{}"
    )
    assert state["campaign_id"] == pk(floor_data.campaign)  # Harbor's, as before the call


def test_a_call_in_under_another_campaign_leaves_the_agent_on_the_one_they_work(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        side = Campaign(client_id=floor_data.account.client_id, name="Harbor side",
                        portfolio_ids=[floor_data.account.portfolio_id])  # fmt: skip
        db.add(side)
        db.flush()
        db.add(CampaignAgent(campaign_id=pk(side), user_id=pk(floor_data.agent)))
        db.commit()
        side_id = pk(side)
    token = login(client, "ana")
    htmx(client, token, "/agent/state",
         {"action": "ready", "campaign_id": str(pk(floor_data.campaign))})  # fmt: skip
    event = CallConnected(
        at=NOW, call_id="in-side", agent_id=pk(floor_data.agent), account_id=pk(floor_data.account),
        debtor_id=pk(floor_data.debtor), campaign_id=side_id, number=floor_data.phone.number,
        answer_to_agent_ms=3000, inbound=True,
    )  # fmt: skip
    redis.Redis.from_url(redis_url).publish(agent_channel(pk(floor_data.agent)), event.envelope())
    snap = wait_for_call(client, "in-side")
    assert snap["state"] == "on_call"
    raw = redis.Redis.from_url(redis_url).hget("concord:agent_states", str(pk(floor_data.agent)))
    assert json.loads(raw or b"{}")["campaign_id"] == pk(floor_data.campaign)  # still theirs


def test_a_call_in_from_a_number_other_people_have_says_the_account_may_not_be_theirs(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:  # Sam Reed has Maria's number on file too (a household line)
        db.add(Phone(debtor_id=floor_data.other_account.debtor_id,
                     number=floor_data.phone.number, type="landline"))  # fmt: skip
        db.commit()
    login(client, "ana")
    pop_call(redis_url, floor_data, "in-shared", inbound=True)
    wait_for_call(client, "in-shared")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert 'data-flag="shared number"' in screen
    assert "is on file for 1 other person too: the account shown may not be theirs" in screen
    assert "press Not this caller" in screen and 'id="not-the-caller"' in screen
    pop_call(redis_url, floor_data, "c-shared")  # a call we placed to it: we chose the person
    wait_for_call(client, "c-shared")
    assert "shared number" not in client.get("/agent/screen", headers={"HX-Request": "true"}).text
