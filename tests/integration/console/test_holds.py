"""An outcome that stops collection (a dispute, a cease request, a bankruptcy...) puts its hold
on the debt at once, so the dialer, the SMS and email workers and QA all refuse the next contact;
`concord accounts holds` lifts it when the reason is gone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from test_call_flow import answer, htmx, pop_call, wait_for_call
from typer.testing import CliRunner, Result

from compliance.engine import decide
from compliance.store import load_contacts
from core.cli import app as concord
from core.dispositions import FLAG_OF_CATEGORY, STANDARD_CODES
from core.models import (
    Account,
    ContactAttempt,
    Debtor,
    DispositionCode,
    Phone,
    StoppedNumber,
    utcnow,
)
from core.settings import get_settings
from dialer.gate import decide_call
from dialer.keypad import stop_calls_to

pytestmark = [pytest.mark.integration, pytest.mark.db]
LATER = NOW + timedelta(days=9)  # past the week after the conversation: only a hold refuses


@pytest.fixture(autouse=True)
def hold_codes(db_engine: Engine, floor_data: Floor) -> None:
    """The client's codes for the outcomes that hold a debt, as every client starts with."""
    with Session(db_engine) as db:
        for code, label, category, needs in STANDARD_CODES:
            if category in FLAG_OF_CATEGORY:
                db.add(DispositionCode(client_id=pk(floor_data.client_a), code=code, label=label,
                                       category=category.value, requires=list(needs)))  # fmt: skip
        db.commit()


def _reasons(db_engine: Engine, account_id: int, number: str) -> list[str]:
    with Session(db_engine) as db:
        account = db.get(Account, account_id)
        assert account is not None
        return [str(r) for r in decide_call(db, account, number, LATER).decision.reasons]


def _save(client: httpx.Client, redis_url: str, floor: Floor, code: str) -> httpx.Response:
    """The outcome of a call with the right party, verified and told who is calling."""
    token = login(client, "ana")
    pop_call(redis_url, floor)
    wait_for_call(client, "c-1")
    for node in ("greet", "verify", "mini_miranda"):
        answer(client, token, node)
    saved = htmx(client, token, "/agent/outcome", {"code": code, "notes": "said on the call"})
    assert "Saved:" in saved.text, saved.text
    return saved


def test_a_dispute_holds_the_disputed_debt_and_not_the_debtors_other_one(
    client: httpx.Client, redis_url: str, db_engine: Engine, floor_data: Floor
) -> None:
    number = floor_data.phone.number
    assert _reasons(db_engine, pk(floor_data.account), number) == []

    saved = _save(client, redis_url, floor_data, "DISP")

    assert saved.status_code == 200, saved.text
    assert _reasons(db_engine, pk(floor_data.account), number) == ["dispute"]
    assert _reasons(db_engine, pk(floor_data.second_account), number) == []


def test_a_bankruptcy_holds_every_account_of_the_debtor(
    client: httpx.Client, redis_url: str, db_engine: Engine, floor_data: Floor
) -> None:
    assert _save(client, redis_url, floor_data, "BK").status_code == 200

    number = floor_data.phone.number
    assert _reasons(db_engine, pk(floor_data.account), number) == ["bankruptcy"]
    assert _reasons(db_engine, pk(floor_data.second_account), number) == ["bankruptcy"]
    with Session(db_engine) as db:
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None and debtor.flags == ["bankruptcy"]
        assert debtor.updated_by == "ana"


@pytest.fixture
def holds(
    db_engine: Engine, floor_data: Floor, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Result]]:
    """`concord accounts holds harbor <the account on screen> ARGS...` on the test database,
    run through sudo by the admin "sam.ops"."""
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_engine.url.render_as_string(False))
    monkeypatch.setenv("SUDO_USER", "sam.ops")
    get_settings.cache_clear()
    number = floor_data.account.client_account_number
    yield lambda *args: CliRunner().invoke(concord, ["accounts", "holds", "harbor", number, *args])
    get_settings.cache_clear()


def test_a_hold_is_lifted_by_the_command_and_a_wrong_one_changes_nothing(
    client: httpx.Client,
    redis_url: str,
    db_engine: Engine,
    floor_data: Floor,
    holds: Callable[..., Result],
) -> None:
    assert _save(client, redis_url, floor_data, "CEASE").status_code == 200

    why = ("--reason", "the debtor's lawyer wrote; the cease came from him", "--by", "lee")
    wrong = holds("--lift", "ceased", *why)
    not_held = holds("--lift", "dispute", "--add", "attorney", *why)
    unexplained = holds("--lift", "cease")
    held = _reasons(db_engine, pk(floor_data.account), floor_data.phone.number)
    lifted = holds("--lift", "cease", "--add", "attorney", *why)

    assert wrong.exit_code == 2 and "'ceased' is not a hold" in wrong.output
    assert not_held.exit_code == 2 and "has no dispute hold to lift" in not_held.output
    assert unexplained.exit_code == 2 and "lifting a hold needs a reason" in unexplained.output
    assert held == ["cease"]
    assert lifted.exit_code == 0, lifted.output
    assert "holds on the account: attorney; on the debtor: none" in lifted.output
    history = lifted.output.split("numbers reported wrong: none")[1]
    assert "lift cease (debtor) by lee: the debtor's lawyer wrote" in history
    assert "set attorney (account) by lee" in history
    # A cease is about the person: it sits on the debtor, so every account of theirs stops.
    assert "set cease (debtor) by ana: call outcome: cease" in history  # from the call
    assert _reasons(db_engine, pk(floor_data.account), floor_data.phone.number) == ["attorney"]


def test_a_wrong_number_outcome_retires_that_number_for_calls_and_texts(
    client: httpx.Client,
    redis_url: str,
    db_engine: Engine,
    floor_data: Floor,
    holds: Callable[..., Result],
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")

    saved = htmx(client, token, "/agent/outcome", {"code": "WN", "notes": "a pizza shop"})

    assert "Saved:" in saved.text, saved.text
    number = floor_data.phone.number
    assert _reasons(db_engine, pk(floor_data.account), number) == ["wrong_number"]
    with Session(db_engine) as db:
        phone = db.get(Phone, pk(floor_data.phone))
        assert phone is not None and phone.wrong_number_at is not None
        assert phone.updated_by == "ana"
        account = db.get(Account, pk(floor_data.account))
        assert account is not None
        texted = decide_call(db, account, number, LATER)  # the same number: no text either
        sms = load_contacts(db, [account], "sms", LATER, to={pk(account): number})
    assert [str(r) for r in texted.decision.reasons] == ["wrong_number"]
    assert "wrong_number" in [str(r) for r in decide(sms[pk(account)], LATER).reasons]

    # Recorded by mistake: the command takes the report back, by the number as people write it.
    unknown = holds("--number-ok", "(202) 555-0199", "--reason", "x")
    unexplained = holds("--number-ok", "(202) 555-0143")
    taken_back = holds("--number-ok", "(202) 555-0143", "--reason", "WN pressed by mistake")
    assert unknown.exit_code == 2 and "is not one of the debtor's numbers" in unknown.output
    assert unexplained.exit_code == 2 and "lifting a report needs a reason" in unexplained.output
    assert taken_back.exit_code == 0, taken_back.output
    assert "numbers reported wrong: none" in taken_back.output
    # both kept: who reported it from which call, and who took it back and why
    assert f"set wrong_number (debtor) by ana: {number}: call outcome WN" in taken_back.output
    assert (
        f"lift wrong_number (debtor) by sam.ops: {number}: WN pressed by mistake"
    ) in taken_back.output
    assert _reasons(db_engine, pk(floor_data.account), number) == []


def test_a_wrong_number_is_refused_once_the_caller_passed_the_identity_check(
    client: httpx.Client, redis_url: str, db_engine: Engine, floor_data: Floor
) -> None:
    token = login(client, "ana")
    pop_call(redis_url, floor_data)
    wait_for_call(client, "c-1")
    htmx(client, token, "/agent/identity", {"birth": "1984-03-09", "postal": "20001"})

    refused = htmx(client, token, "/agent/outcome", {"code": "WN", "notes": "hung up"})

    assert "Saved:" not in refused.text
    assert "passed the identity check" in refused.text
    with Session(db_engine) as db:
        phone = db.get(Phone, pk(floor_data.phone))
        assert phone is not None and phone.wrong_number_at is None


def test_a_recalled_account_stops_every_contact(
    db_engine: Engine, floor_data: Floor, holds: Callable[..., Result]
) -> None:
    recalled = holds("--add", "recalled", "--by", "lee", "--reason", "client recall list 11-30")

    assert recalled.exit_code == 0, recalled.output
    assert "holds on the account: recalled" in recalled.output
    assert "set recalled (account) by lee: client recall list 11-30" in recalled.output
    assert _reasons(db_engine, pk(floor_data.account), floor_data.phone.number) == ["recalled"]


def test_the_agent_sees_the_validation_period_and_a_late_notice_in_words(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    token = login(client, "ana")
    account_id = pk(floor_data.account)
    screen = htmx(client, token, f"/agent/preview/{account_id}", {}).text
    # Mailed Monday 5 January: received Monday 12 January, then 30 days to dispute.
    assert (
        "Validation notice sent Jan 5, 2026; the debtor may dispute until Feb 11, 2026." in screen
    )

    with Session(db_engine) as db:
        account = db.get(Account, account_id)
        assert account is not None
        account.validation_notice_on = None
        db.add(account)
        spoke = utcnow() - timedelta(days=20)
        db.add(ContactAttempt(account_id=account_id, debtor_id=account.debtor_id, channel="call",
                              started_at=spoke, outcome="conversation"))  # fmt: skip
        db.commit()
    screen = htmx(client, token, f"/agent/preview/{account_id}", {}).text
    assert 'id="validation" class="refusal">Validation notice late: it was due by' in screen
    page = client.get(f"/accounts/{account_id}").text
    assert "contact is held until it is sent. First conversation" in page


def test_a_cease_on_one_debt_stops_calls_about_the_debtors_other_one(
    client: httpx.Client, redis_url: str, db_engine: Engine, floor_data: Floor
) -> None:
    """'Stop calling me' is about the person and the phone (Reg F 1006.14(h)): the script says
    'we will stop calling you', and a hold on one account left the same number called about
    the other."""
    assert _save(client, redis_url, floor_data, "CEASE").status_code == 200
    number = floor_data.phone.number
    assert _reasons(db_engine, pk(floor_data.second_account), number) == ["cease"]
    # The other account's page shows the hold that stops it, with who set it and why.
    page = client.get(f"/accounts/{pk(floor_data.second_account)}").text
    assert "call outcome: cease" in page


def test_a_request_not_to_be_called_on_a_number_is_lifted_with_a_reason_and_kept(
    client: httpx.Client, db_engine: Engine, floor_data: Floor, holds: Callable[..., Result]
) -> None:
    number = floor_data.phone.number
    with Session(db_engine) as db:  # 9 pressed at the abandon message, as the dialer stores it
        stop_calls_to(db, number, NOW)
        db.commit()
    assert _reasons(db_engine, pk(floor_data.account), number) == ["stopped_number"]
    login(client, "lee")  # the account page says which number, since when and how
    phones = client.get(f"/accounts/{pk(floor_data.account)}").text.split('id="phones"')[1]
    assert f"no calls or texts since {NOW:%Y-%m-%d} (pressed 9 at our message)" in phones
    shown = holds()
    assert f"numbers not to call: {number}" in shown.output, shown.output

    unexplained = holds("--calls-ok", number)
    never_asked = holds("--calls-ok", "(202) 555-0199", "--reason", "asked on a call in")
    assert unexplained.exit_code == 2 and "needs a reason" in unexplained.output
    assert never_asked.exit_code == 2 and "is not one of the debtor's numbers" in never_asked.output
    assert _reasons(db_engine, pk(floor_data.account), number) == ["stopped_number"]

    lifted = holds("--calls-ok", number, "--reason", "asked to be called here again", "--by", "lee")
    assert lifted.exit_code == 0, lifted.output
    assert "numbers not to call: none" in lifted.output
    history = f"lift no_calls (debtor) by lee: {number}, no calls or texts since {NOW:%Y-%m-%d}"
    assert (
        f"{history} (pressed 9 at our message), taken off the do-not-call list: asked to be"
        " called here again" in lifted.output
    )
    assert _reasons(db_engine, pk(floor_data.account), number) == []
    with Session(db_engine) as db:  # the entry stays, lifted, as the evidence of both
        (entry,) = db.exec(select(StoppedNumber)).all()
        assert (entry.lifted_by, entry.lift_reason) == ("lee", "asked to be called here again")
    again = holds("--calls-ok", number, "--reason", "twice")
    assert again.exit_code == 2 and "no one has asked not to be called there" in again.output


def test_one_debtor_asking_to_be_called_does_not_lift_the_lines_request_for_the_others(
    db_engine: Engine, floor_data: Floor, holds: Callable[..., Result]
) -> None:
    """A 9 pressed by the line's owner covers every debtor on the line, another client's too:
    one of them saying "call me there" is not the owner's word."""
    number = floor_data.phone.number
    with Session(db_engine) as db:
        housemate = Debtor(client_id=floor_data.client_b.id or 0, first_name="Sam", last_name="Roe")
        db.add(housemate)
        db.flush()
        db.add(Phone(debtor_id=housemate.id or 0, number=number, type="landline"))
        stop_calls_to(db, number, NOW)
        db.commit()
    refused = holds("--calls-ok", number, "--reason", "Maria asked to be called here again")
    assert refused.exit_code == 2, refused.output
    assert (
        "1 other debtor(s) hold it" in refused.output and "concord numbers allow" in refused.output
    )
    assert _reasons(db_engine, pk(floor_data.account), number) == ["stopped_number"]


def test_a_reason_holding_a_card_number_is_refused_and_nothing_changes(
    db_engine: Engine, floor_data: Floor, holds: Callable[..., Result]
) -> None:
    """The hold history is read by QA, leads and client reports: no card number goes in."""
    refused = holds("--add", "dispute", "--reason", "paid by 4111 1111 1111 1111 already")
    assert refused.exit_code == 2, refused.output
    assert "holds a card number ending 1111: never write one there" in refused.output
    assert _reasons(db_engine, pk(floor_data.account), floor_data.phone.number) == []


def test_a_lead_lifts_a_no_calls_request_from_the_account_page_with_a_reason(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """A lead on the floor has no shell for --calls-ok: the account page does the same."""
    number, account_id = floor_data.phone.number, pk(floor_data.account)
    with Session(db_engine) as db:
        stop_calls_to(db, number, NOW)
        db.commit()
    token = login(client, "lee")
    page = client.get(f"/accounts/{account_id}").text
    action = f"/accounts/{account_id}/phones/{pk(floor_data.phone)}/calls-ok"
    assert f'action="{action}"' in page
    headers = {"X-CSRF-Token": token}
    unexplained = client.post(action, data={"reason": " "}, headers=headers)
    assert unexplained.status_code == 400 and "needs a reason" in unexplained.text
    lifted = client.post(action, data={"reason": "asked on today's call in"}, headers=headers)
    assert lifted.status_code == 200  # back on the account page
    assert _reasons(db_engine, account_id, number) == []
    history = lifted.text.split('id="hold-history"')[1]
    assert "lift no_calls (debtor) by lee" in history and "asked on today&#39;s call in" in history
    with httpx.Client(base_url=client.base_url, follow_redirects=True) as agent:
        agent_token = login(agent, "ana")
        refused = agent.post(action, data={"reason": "x"}, headers={"X-CSRF-Token": agent_token})
        assert refused.status_code == 403  # a lead's decision, not an agent's
