"""The agency's do-not-call list from a lead's shell: `concord numbers stop`, `list`, `allow`.

A letter from a line's owner ("stop calling 202-555-0177, I am not who you want") stops the
number for every debtor holding it and for any number typed into a preview dial."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from console_floor import PASSWORD, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session
from test_call_flow import htmx, pop_call, wait_for_call
from test_holds import _reasons
from typer.testing import Result

from core.models import Phone, User
from core.passwords import hash_password
from core.stopped_numbers import in_force

LETTER = "letter from the line's owner dated 2026-11-30"


def test_a_lead_stops_a_number_for_every_debtor_and_takes_it_off_with_a_reason(
    client: httpx.Client, db_engine: Engine, floor_data: Floor, numbers: Callable[..., Result]
) -> None:
    held, account_id = floor_data.phone.number, pk(floor_data.account)
    assert _reasons(db_engine, account_id, held) == []
    for args, said in (
        (("stop", "555-01", "--reason", LETTER), "'555-01' is not a phone number"),
        (("stop", held), "--reason is needed"),
        (("stop", "020 7946 0112", "--reason", LETTER), "needs its country code"),
        (("stop", "(212) 555-0100 x204", "--reason", LETTER), "has an extension"),
        (("stop", held, "--reason", "card 4111 1111 1111 1111"), "card number ending 1111"),
    ):
        refused = numbers(*args)
        assert refused.exit_code == 2 and said in refused.output, refused.output
    assert numbers("list").output.strip() == "no numbers on the do-not-call list"

    with Session(db_engine) as db:  # a mobile the debtor consented to autodialled calls on
        phone = db.get(Phone, pk(floor_data.phone))
        assert phone is not None
        phone.consent = True
        db.add(phone)
        db.commit()
    stopped = numbers("stop", held, "--reason", LETTER, "--by", "lee")
    assert stopped.exit_code == 0, stopped.output
    assert f"{held} now on the do-not-call list" in stopped.output
    assert "1 debtor(s) on file hold it" in stopped.output
    typed = numbers("stop", "(202) 555-0177", "--reason", LETTER)  # held by no one on file
    assert "+12025550177 now on" in typed.output and "0 debtor(s)" in typed.output
    again = numbers("stop", held, "--reason", "a second letter")
    assert f"{held} already on the do-not-call list" in again.output  # the first entry stands
    assert _reasons(db_engine, account_id, held) == ["stopped_number"]
    assert _reasons(db_engine, account_id, "+12025550177") == ["stopped_number"]  # a typed dial
    listed = numbers("list").output
    assert listed.count("no calls or texts since") == 2 and f"(asked): {LETTER}" in listed

    with Session(db_engine) as db:  # a written stop revokes consent, as a 9 pressed does
        phone = db.get(Phone, pk(floor_data.phone))
        assert phone is not None and not phone.consent
    login(client, "ana")  # the agent sees why the number is not dialled, and since when
    page = client.get(f"/accounts/{account_id}").text
    assert "no calls or texts since" in page.split('id="phones"')[1] and "(asked)" in page
    history = page.split('id="hold-history"')[1]
    assert "set no_calls" in history and LETTER.replace("'", "&#39;") in history

    unexplained = numbers("allow", held)
    assert unexplained.exit_code == 2 and "needs a reason" in unexplained.output
    allowed = numbers("allow", held, "--reason", "the owner called in: it is the debtor's now")
    assert allowed.exit_code == 0 and "taken off the do-not-call list" in allowed.output
    assert _reasons(db_engine, account_id, held) == []
    twice = numbers("allow", held, "--reason", "again")
    assert twice.exit_code == 2 and "is not on the do-not-call list" in twice.output
    assert held not in numbers("list").output
    history = numbers("list", "--all").output
    assert "by sam.ops: the owner called in: it is the debtor's now"  # who ran it in history


def test_a_lead_on_the_floor_stops_and_lifts_a_number_without_a_shell(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    token = login(client, "lee")
    assert 'href="/lead/numbers"' in client.get("/lead").text
    unexplained = htmx(client, token, "/lead/numbers", {"number": "(202) 555-0177", "reason": ""})
    assert "Say who asked and how" in unexplained.text
    added = htmx(client, token, "/lead/numbers", {"number": "(202) 555-0177", "reason": LETTER})
    assert "+12025550177 is now on the list" in added.text and "0 debtor(s)" in added.text
    assert 'data-number="+12025550177"' in client.get("/lead/numbers").text
    assert _reasons(db_engine, pk(floor_data.account), "+12025550177") == ["stopped_number"]

    allow = "/lead/numbers/+12025550177/allow"
    assert "needs a reason" in htmx(client, token, allow, {"reason": " "}).text
    lifted = htmx(client, token, allow, {"reason": "the owner called: the debtor's number now"})
    assert "+12025550177 is off the list" in lifted.text
    assert 'data-number="+12025550177"' not in lifted.text.split('id="lifted"')[0]
    assert "by lee: the owner called" in lifted.text.split('id="lifted"')[1]
    assert _reasons(db_engine, pk(floor_data.account), "+12025550177") == []


def test_a_lead_of_one_client_may_stop_a_number_but_not_open_it_for_every_client(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        secret = hash_password(PASSWORD)
        bound = floor_data.client_a.id
        db.add(User(username="rita", role="team_lead", client_id=bound, password_hash=secret))
        db.commit()
    token = login(client, "rita")
    htmx(client, token, "/lead/numbers", {"number": "(202) 555-0177", "reason": LETTER})
    page = client.get("/lead/numbers").text
    assert 'data-number="+12025550177"' in page and "Take off" not in page
    refused = htmx(client, token, "/lead/numbers/+12025550177/allow", {"reason": "asked"})
    assert "an agency lead does it" in refused.text
    assert _reasons(db_engine, pk(floor_data.account), "+12025550177") == ["stopped_number"]


def test_an_agent_records_that_whoever_answered_asked_us_to_stop_calling_the_line(
    client: httpx.Client, redis_url: str, db_engine: Engine, floor_data: Floor
) -> None:
    """Not the debtor's number ("not on this number" is theirs alone): every debtor on the
    line, and any placed later with it, are stopped."""
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    saved = htmx(client, token, "/agent/outcome", {"code": "WN", "stop_line": "yes"})
    assert saved.status_code == 200, saved.text
    number = floor_data.phone.number
    with Session(db_engine) as db:
        entry = in_force(db, [number])[number]
    assert (entry.how, entry.detail, entry.updated_by) == ("asked", "asked on a call to ana", "ana")
