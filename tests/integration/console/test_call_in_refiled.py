"""A call in that popped the wrong person: a number two people share, or one passed on.

The agent says "Not this caller", finds the caller, and the call is filed under them; or, no one
here, it is kept as a call no account matched. The wrong account keeps no trace of a call it
never had (its 7-in-7 count, the 7 days after a conversation, its history).
"""

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
from test_call_flow import answer, htmx, pop_call, pop_unknown_caller, wait_for_call

from core.events import CallConnected, CallEnded, agent_channel
from core.models import Account, ContactAttempt, Debtor
from dialer.models import UnmatchedCall

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _dialer_row(db_engine: Engine, floor: Floor, call_id: str, **settled: object) -> None:
    """The attempt the dialer stores for a call in, under the account the number found."""
    with Session(db_engine) as db:
        db.add(
            ContactAttempt(account_id=pk(floor.account), debtor_id=pk(floor.debtor),
                           channel="call", direction="inbound", to_address=floor.phone.number,
                           started_at=NOW, call_id=call_id, agent_id=pk(floor.agent),
                           recording_ref=f"/var/spool/asterisk/monitor/concord/{call_id}.wav",
                           **settled)  # type: ignore[arg-type]
        )  # fmt: skip
        db.commit()


def _stranger(db_engine: Engine, floor: Floor) -> Account:
    """Another of the client's debtors: the person really calling."""
    with Session(db_engine) as db:
        debtor = Debtor(client_id=floor.account.client_id, first_name="Rosa", last_name="Vidal")
        db.add(debtor)
        db.flush()
        account = Account(client_id=floor.account.client_id,
                          portfolio_id=floor.account.portfolio_id, debtor_id=pk(debtor),
                          client_account_number="4000999988887777", principal_minor=20000,
                          balance_minor=20000, validation_notice_on=NOW.date())  # fmt: skip
        db.add(account)
        db.commit()
        db.refresh(account)
        return account


def _commands(redis_url: str) -> list[dict[str, object]]:
    queue = redis.Redis.from_url(redis_url)
    return [json.loads(raw) for raw in queue.lrange("concord:call_commands", 0, -1)]


def _row(db_engine: Engine, call_id: str) -> ContactAttempt | None:
    with Session(db_engine) as db:
        return db.exec(select(ContactAttempt).where(ContactAttempt.call_id == call_id)).first()


def test_not_this_caller_asks_who_is_calling_and_tells_the_dialer(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data, "in-wrong", inbound=True)
    wait_for_call(client, "in-wrong")
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert 'id="not-the-caller"' in screen and "Not Maria Lopez?" in screen

    asked = htmx(client, token, "/agent/caller/not-them", {})

    assert asked.status_code == 200
    assert "Who is calling?" in asked.text
    # the number is Maria's: not "on file for nobody", and masked like any number on file
    assert "not the person on file for this number" in asked.text
    assert floor_data.phone.number not in asked.text and "on file for nobody" not in asked.text
    assert "Maria Lopez" not in asked.text  # nothing of the wrong file stays on screen
    assert _commands(redis_url) == [
        {"call_id": "in-wrong", "action": "not_caller", "agent_id": pk(floor_data.agent)}
    ]
    rosa = _stranger(db_engine, floor_data)
    chosen = htmx(client, token, f"/agent/preview/{pk(rosa)}", {})
    assert "Rosa Vidal" in chosen.text and "Call in: the debtor called us" in chosen.text
    # Rosa was found by the agent, not by the number (Maria's): no shared-number warning, and
    # Maria's number is not offered as a new number of Rosa's (saving it would be refused)
    assert 'data-flag="shared number"' not in chosen.text
    assert "They called from a number we did not have" not in chosen.text
    assert _commands(redis_url)[-1] == {
        "call_id": "in-wrong", "action": "identify", "agent_id": pk(floor_data.agent),
        "account_id": pk(rosa),
    }  # fmt: skip


def test_only_a_live_call_in_about_an_account_is_filed_elsewhere(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data, "c-out")  # a call we placed: we chose whom to call
    wait_for_call(client, "c-out")
    assert 'id="not-the-caller"' not in client.get("/agent/screen").text
    refused = htmx(client, token, "/agent/caller/not-them", {})
    assert refused.status_code == 409
    assert "Only a call in about an account can be filed elsewhere." in refused.text
    assert _commands(redis_url) == []


def test_a_call_in_that_ended_as_the_agent_said_not_them_is_kept_as_unmatched_on_close(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    """The caller hung up as the agent pressed the button: the dialer had settled the call
    under the wrong person before it heard. Closed with no account, the call leaves that file
    and is kept, recording and all, as a call no account matched."""
    token = login(client, "ana")
    pop_call(redis_url, floor_data, "in-gone", inbound=True)
    wait_for_call(client, "in-gone")
    htmx(client, token, "/agent/caller/not-them", {})
    _dialer_row(db_engine, floor_data, "in-gone", outcome="conversation",
                ended_at=NOW + timedelta(minutes=1))  # fmt: skip

    closed = htmx(client, token, "/agent/caller/close", {})

    assert closed.status_code == 200
    assert _row(db_engine, "in-gone") is None
    with Session(db_engine) as db:
        kept = db.exec(select(UnmatchedCall).where(UnmatchedCall.call_id == "in-gone")).one()
    assert (kept.number, kept.outcome, kept.agent_id) == (
        floor_data.phone.number, "conversation", pk(floor_data.agent)
    )  # fmt: skip
    assert kept.recording_ref.endswith("in-gone.wav")


def test_a_caller_found_after_the_call_ended_takes_the_call_off_the_wrong_file(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    """Rosa's number popped Rosa, but Maria was calling; the dialer settled the call under
    Rosa before it heard "not this caller". Maria's outcome files the call under Maria."""
    rosa = _stranger(db_engine, floor_data)
    token = login(client, "ana")
    event = CallConnected(
        at=NOW, call_id="in-late", agent_id=pk(floor_data.agent), account_id=pk(rosa),
        debtor_id=rosa.debtor_id, campaign_id=floor_data.campaign.id,
        number=floor_data.phone.number, answer_to_agent_ms=900, inbound=True,
    )  # fmt: skip
    redis.Redis.from_url(redis_url).publish(agent_channel(pk(floor_data.agent)), event.envelope())
    wait_for_call(client, "in-late")
    assert "Rosa Vidal" in client.get("/agent/screen").text
    htmx(client, token, "/agent/caller/not-them", {})
    with Session(db_engine) as db:
        db.add(
            ContactAttempt(account_id=pk(rosa), debtor_id=rosa.debtor_id, channel="call",
                           direction="inbound", to_address=floor_data.phone.number,
                           started_at=NOW, ended_at=NOW + timedelta(minutes=1),
                           outcome="conversation", call_id="in-late",
                           recording_ref="/r/in-late.wav")
        )  # fmt: skip
        db.commit()
    htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {})
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)

    saved = htmx(client, token, "/agent/outcome", {"code": "RPC", "notes": "Maria, not Rosa"})

    assert "Saved:" in saved.text, saved.text
    row = _row(db_engine, "in-late")
    assert row is not None and row.disposition_code_id is not None
    assert (row.account_id, row.debtor_id) == (pk(floor_data.account), pk(floor_data.debtor))
    assert row.recording_ref == "/r/in-late.wav"  # the dialer's settlement kept
    with Session(db_engine) as db:  # Rosa's file has no call she never made
        assert (
            db.exec(select(ContactAttempt).where(ContactAttempt.account_id == pk(rosa))).all() == []
        )


def test_a_caller_identified_after_hanging_up_takes_over_the_unmatched_record(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    """A number on file for nobody, found only after the hang-up: the dialer had kept the call
    as unmatched; the outcome files it under the account with its times and recording, and the
    lead's list of calls no account matched no longer shows it."""
    token = login(client, "ana")
    pop_unknown_caller(redis_url, floor_data, "in-after")
    wait_for_call(client, "in-after")
    with Session(db_engine) as db:
        db.add(
            UnmatchedCall(
                call_id="in-after",
                number="+13035550166",
                outcome="conversation",
                started_at=NOW - timedelta(minutes=4),
                ended_at=NOW,
                agent_id=pk(floor_data.agent),
                recording_ref="/r/in-after.wav",
            )
        )
        db.commit()  # fmt: skip
    htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {})
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)

    saved = htmx(client, token, "/agent/outcome", {"code": "RPC", "notes": "called from work"})

    assert "Saved:" in saved.text, saved.text
    row = _row(db_engine, "in-after")
    assert row is not None and row.account_id == pk(floor_data.account)
    assert (row.started_at.replace(tzinfo=None), row.recording_ref, row.outcome) == (
        (NOW - timedelta(minutes=4)).replace(tzinfo=None), "/r/in-after.wav", "conversation"
    )  # fmt: skip
    with Session(db_engine) as db:
        assert db.exec(select(UnmatchedCall)).all() == []


def test_not_this_caller_after_the_caller_hung_up_takes_the_call_off_the_wrong_file_at_once(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    """A third party often hangs up at "she isn't here": the call had ended, the button was
    gone, and the wrong debtor kept a conversation (7 days' rest, one of 7-in-7)."""
    token = login(client, "ana")
    pop_call(redis_url, floor_data, "in-after-end", inbound=True)
    wait_for_call(client, "in-after-end")
    _dialer_row(db_engine, floor_data, "in-after-end", outcome="conversation",
                ended_at=NOW + timedelta(minutes=1))  # fmt: skip
    ended = CallEnded(at=NOW, call_id="in-after-end", account_id=pk(floor_data.account),
                      agent_id=pk(floor_data.agent), outcome="conversation")  # fmt: skip
    redis.Redis.from_url(redis_url).publish(agent_channel(pk(floor_data.agent)), ended.envelope())
    deadline = time.monotonic() + 5
    while not client.get("/agent/snapshot").json()["ended"]:
        assert time.monotonic() < deadline, "the end never reached the screen"
        time.sleep(0.05)
    screen = client.get("/agent/screen", headers={"HX-Request": "true"}).text
    assert 'id="not-the-caller"' in screen  # still offered: the outcome is not saved yet

    asked = htmx(client, token, "/agent/caller/not-them", {})

    assert "Who is calling?" in asked.text
    assert _row(db_engine, "in-after-end") is None  # off Maria's file at once
    with Session(db_engine) as db:
        kept = db.exec(select(UnmatchedCall).where(UnmatchedCall.call_id == "in-after-end")).one()
    assert kept.recording_ref.endswith("in-after-end.wav")
    assert _commands(redis_url) == []  # nothing for the dialer: the call is over
    rosa = _stranger(db_engine, floor_data)
    htmx(client, token, f"/agent/preview/{pk(rosa)}", {})
    saved = htmx(client, token, "/agent/outcome", {"code": "WN"})
    assert "Saved:" in saved.text, saved.text
    row = _row(db_engine, "in-after-end")
    assert row is not None and row.account_id == pk(rosa)
    assert row.recording_ref.endswith("in-after-end.wav")


@pytest.mark.parametrize("said", ["Maria Lopez", "maria", "Lopez", "MARIA LOPEZ"])
def test_who_is_calling_finds_the_caller_by_the_name_they_give(
    client: httpx.Client, redis_url: str, floor_data: Floor, said: str
) -> None:
    """The screen says to ask for their name; "Maria Lopez" and "Maria" found nothing."""
    login(client, "ana")
    found = client.get("/agent/preview", params={"q": said}, headers={"HX-Request": "true"})
    assert f'hx-post="/agent/preview/{pk(floor_data.account)}"' in found.text, said
    nobody = client.get("/agent/preview", params={"q": "Maria Smith"},
                        headers={"HX-Request": "true"})  # fmt: skip
    assert f'hx-post="/agent/preview/{pk(floor_data.account)}"' not in nobody.text
