"""The written side of the contact history on the agent's screen: the follow-ups sent, in their
words, and the texts debtors send, a dispute or a lawyer's name flagged until a team lead marks
it handled, each lead seeing only their clients'."""

from __future__ import annotations

from datetime import UTC, timedelta

import httpx
import pytest
from console_floor import NOW, PASSWORD, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from test_call_flow import htmx

from compliance.engine import decide
from compliance.store import load_contacts
from core.models import Account, ContactAttempt, Debtor, HoldChange, Phone, Role, User
from core.passwords import hash_password
from outreach.inbound import hold_for_review, store_text
from outreach.models import SENT_NOTE, InboundText, OutreachMessage
from outreach.optouts import record_opt_out

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _texts(db_engine: Engine, *texts: tuple[str, str, int]) -> list[int]:
    """Stores (sender, body, minutes ago) as the webhook does; returns their ids."""
    with Session(db_engine) as db:
        rows = [
            store_text(db, sender, "+15005550006", body, NOW - timedelta(minutes=ago), False)
            for sender, body, ago in texts
        ]
        db.commit()
        return [pk(row) for row in rows]


def test_the_agent_reads_the_debtors_texts_and_a_dispute_stands_with_the_holds(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    number = floor_data.phone.number
    _texts(
        db_engine,
        (number, "I get paid on the 15th, can I pay then?", 90),
        (number, "This is not my debt <b>at all</b>", 30),
        ("+13125550188", "Talk to my lawyer", 10),  # another client's debtor
    )
    token = login(client, "ana")

    screen = htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {}).text

    history = screen.split('id="texts"')[1].split("</ul>")[0]
    assert "I get paid on the 15th" in history
    assert "This is not my debt &lt;b&gt;at all&lt;/b&gt;" in history  # escaped, as sent
    assert "lawyer" not in history
    assert number not in history and number[-4:] in history  # masked before verification
    flags = screen.split('id="texts"')[0]
    assert 'data-flag="text: dispute"' in flags
    assert "It reads like a dispute" in flags and "A team lead must read it" in flags


def test_the_agent_reads_what_each_follow_up_said(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    account, debtor = pk(floor_data.account), pk(floor_data.debtor)
    body = "Hi Maria, this confirms your promise of $150.00 on March 19. Pay: https://pay/x"
    key = "a1:promise_confirmation:p9:sms"
    with Session(db_engine) as db:
        db.add(
            OutreachMessage(
                key=key, client_id=pk(floor_data.client_a),
                account_id=account, debtor_id=debtor, trigger="promise_confirmation",
                occurrence="p9", channel="sms", to_address=floor_data.phone.number,
                body_text=body, status="sent", due_at=NOW,
            )
        )  # fmt: skip
        db.add(
            ContactAttempt(
                account_id=account, debtor_id=debtor, channel="sms", started_at=NOW,
                to_address=floor_data.phone.number, notes=SENT_NOTE + key,
            )
        )  # fmt: skip
        db.commit()
    token = login(client, "ana")

    screen = htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {}).text

    contacts = screen.split('id="contacts"')[1].split("</ul>")[0]
    assert "follow-up · promise confirmation" in contacts
    assert "this confirms your promise of $150.00 on March 19" in contacts
    assert key not in contacts  # the key is not what the agent reads
    login(client, "harbor_view")  # the client's own account page says what went out, too
    page = client.get(f"/accounts/{account}").text.split('id="contacts"')[1].split("</ul>")[0]
    assert "sms · follow-up · promise confirmation" in " ".join(page.split())
    assert "dialer" not in page


def test_the_lead_marks_a_text_handled_and_it_leaves_the_list_and_the_flags(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    number = floor_data.phone.number
    dispute, _, lawyer = _texts(
        db_engine,
        (number, "I never owed this, prove it", 60),
        (number, "ok thanks", 50),  # no rule matched: read by a person, no hold
        ("+13125550188", "My attorney will call you", 40),
    )
    token = login(client, "lee")
    assert 'hx-get="/lead/texts"' in client.get("/lead").text  # the page loads the list

    listed = client.get("/lead/texts").text
    assert listed.index(f'data-text="{dispute}"') < listed.index(f'data-text="{lawyer}"')
    assert "<q>ok thanks</q>" in listed and "Read, nothing to do" in listed
    assert f'href="/accounts/{pk(floor_data.account)}"' in listed

    # A dispute closed with no hold says why, or it is not closed.
    refused = htmx(client, token, f"/lead/texts/{dispute}/handled", {})
    assert refused.status_code == 400 and "say why no hold is needed" in refused.text
    reason = {"reason": "Debtor called back: meant the other card, which is paid"}
    after = htmx(client, token, f"/lead/texts/{dispute}/handled", reason).text
    assert f'data-text="{dispute}"' not in after and f'data-text="{lawyer}"' in after
    with Session(db_engine) as db:
        handled = db.get(InboundText, dispute)
        assert handled is not None and handled.handled_by == "lee"
    page = client.get(f"/accounts/{pk(floor_data.account)}").text
    assert "text: dispute" not in page and "(handled by lee)" in page
    assert "read, no hold: Debtor called back: meant the other card, which is paid" in page


def test_a_text_waiting_for_a_person_holds_contact_and_the_leads_hold_replaces_it(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    number = floor_data.phone.number
    (dispute,) = _texts(db_engine, (number, "This isn't my debt", 5))
    with Session(db_engine) as db:
        text = db.get(InboundText, dispute)
        assert text is not None
        hold_for_review(db, text, NOW)  # as the webhook does
        db.commit()
        account = db.get(Account, pk(floor_data.account))
        assert account is not None
        held = load_contacts(db, [account], "call", NOW)[pk(account)]
        assert "text_review" in [str(r) for r in decide(held, NOW).reasons]
    token = login(client, "lee")

    listed = client.get("/lead/texts").text
    assert f'name="account" value="{pk(floor_data.account)}" checked' in listed  # one client
    after = htmx(
        client, token, f"/lead/texts/{dispute}/hold",
        {"hold": "dispute", "account": str(pk(floor_data.account))},
    ).text  # fmt: skip

    assert f'data-text="{dispute}"' not in after
    with Session(db_engine) as db:
        account = db.get(Account, pk(floor_data.account))
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert account is not None and debtor is not None
        assert "dispute" in account.flags and "text_review" not in debtor.flags
        now_held = decide(load_contacts(db, [account], "call", NOW)[pk(account)], NOW)
        assert "text_review" not in [str(r) for r in now_held.reasons]
        assert "dispute" in [str(r) for r in now_held.reasons]
        # the hold history keeps the review hold's set, with the text's date, and its lift
        kept = db.exec(select(HoldChange).where(HoldChange.hold == "text_review")).all()
        assert [(h.action, h.actor) for h in kept] == [("set", "inbound-text"), ("lift", "lee")]
        assert kept[0].at.replace(tzinfo=UTC) == NOW and number in kept[0].reason


def test_a_lead_bound_to_one_client_sees_and_handles_only_that_clients_texts(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    ours, theirs = _texts(
        db_engine,
        ("+13125550188", "I filed for bankruptcy last month", 20),
        (floor_data.phone.number, "Not my account", 10),
    )
    with Session(db_engine) as db:
        db.add(
            User(username="rita", password_hash=hash_password(PASSWORD),
                 role=Role.TEAM_LEAD.value, client_id=pk(floor_data.client_b))
        )  # fmt: skip
        db.commit()
    token = login(client, "rita")

    listed = client.get("/lead/texts").text
    assert f'data-text="{ours}"' in listed and f'data-text="{theirs}"' not in listed
    assert htmx(client, token, f"/lead/texts/{theirs}/handled", {}).status_code == 404
    with Session(db_engine) as db:
        untouched = db.get(InboundText, theirs)
        assert untouched is not None and untouched.handled_at is None


def test_the_sms_webhook_answers_the_provider_in_json_and_keeps_an_empty_text(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """The provider's machine reads the answer: errors come as JSON, not as the app's page.
    A picture arrives as a text without words; it is kept and shown as such."""
    hook = "/webhooks/sms/inbound?token=dev-sms-webhook-token"
    broken = client.post(hook, content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json() == {"detail": "the body is not valid JSON"}
    no_sender = client.post(hook, json={"body": "hi"})
    assert no_sender.status_code == 422 and "from" in no_sender.json()["detail"]
    wrong_token = client.post("/webhooks/sms/inbound?token=nope", json={"from": "+1", "body": ""})
    assert wrong_token.status_code == 401 and "detail" in wrong_token.json()
    picture = {"from": floor_data.phone.number, "to": "+15005550006", "body": ""}
    assert client.post(hook, json=picture).json()["concern"] == ""
    token = login(client, "ana")

    screen = htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {}).text

    assert "(no words: a picture, or an empty text)" in screen.split('id="texts"')[1]


def test_a_text_from_a_number_another_clients_debtor_holds_is_not_on_this_clients_screen(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """One person placed by two creditors: their text about one debt must not reach the other
    creditor's screens (1692c(b)); the agency's lead list still has it."""
    number = floor_data.phone.number
    with Session(db_engine) as db:
        ridge_debtor = Debtor(client_id=pk(floor_data.client_b), first_name="M", last_name="G")
        db.add(ridge_debtor)
        db.flush()
        db.add(Phone(debtor_id=pk(ridge_debtor), number=number, type="mobile"))
        ridge_account = Account(
            client_id=pk(floor_data.client_b), portfolio_id=floor_data.other_account.portfolio_id,
            debtor_id=pk(ridge_debtor), client_account_number="R-77", balance_minor=5_000,
        )  # fmt: skip
        db.add(ridge_account)
        db.commit()
        ridge_id = pk(ridge_account)
    [text_id] = _texts(db_engine, (number, "The Ridge car loan is not mine, I dispute it", 5))
    token = login(client, "ana")

    screen = htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {}).text

    assert "Ridge car loan" not in screen
    token = login(client, "lee")
    listed = client.get("/lead/texts").text
    assert f'data-text="{text_id}"' in listed
    assert "more than one client: tick the ones the text is about" in listed
    assert f'name="account" value="{pk(floor_data.account)}" checked' not in listed
    nothing_ticked = htmx(client, token, f"/lead/texts/{text_id}/hold", {"hold": "dispute"})
    assert nothing_ticked.status_code == 400
    htmx(client, token, f"/lead/texts/{text_id}/hold", {"hold": "dispute", "account": ridge_id})
    with Session(db_engine) as db:
        ours, theirs = db.get(Account, pk(floor_data.account)), db.get(Account, ridge_id)
        assert ours is not None and theirs is not None
        assert "dispute" in theirs.flags and "dispute" not in ours.flags
    # Said to be about Ridge's loan, the text now shows there, and still not on Harbor's.
    assert "Ridge car loan" in client.get(f"/accounts/{ridge_id}").text
    assert "Ridge car loan" not in client.get(f"/accounts/{pk(floor_data.account)}").text


def test_a_lead_retires_a_number_a_text_says_is_wrong_and_records_a_time_not_to_call(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    number, account_id = floor_data.phone.number, pk(floor_data.account)
    wrong, evening = _texts(
        db_engine,
        (number, "Wrong number, I am not Maria", 9),
        (number, "Please call me after 6pm, I am at work during the day", 5),
    )
    token = login(client, "lee")
    listed = client.get("/lead/texts").text
    assert ">Retire this number<" in listed and 'name="start"' in listed

    bad = htmx(
        client, token, f"/lead/texts/{evening}/time-not-to-call",
        {"start": "18:00", "end": "09:00", "account": str(account_id)},
    )  # fmt: skip
    htmx(client, token, f"/lead/texts/{evening}/time-not-to-call",
         {"start": "09:00", "end": "18:00", "account": str(account_id)})  # fmt: skip
    htmx(client, token, f"/lead/texts/{wrong}/wrong-number", {"account": str(account_id)})

    assert bad.status_code == 400 and "end later than the start" in bad.text
    with Session(db_engine) as db:
        debtor = db.get(Debtor, pk(floor_data.debtor))
        account = db.get(Account, account_id)
        phone = db.get(Phone, pk(floor_data.phone))
        assert debtor is not None and account is not None and phone is not None
        assert debtor.inconvenient_times == [
            {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
             "start": "09:00", "end": "18:00"}
        ]  # fmt: skip
        assert phone.wrong_number_at is not None
        to = {account_id: number}
        at_eleven_in_dc = decide(load_contacts(db, [account], "call", NOW, to=to)[account_id], NOW)
    reasons = [str(r) for r in at_eleven_in_dc.reasons]
    assert "consumer_inconvenient_time" in reasons and "wrong_number" in reasons


def test_an_opt_out_shows_on_the_agents_screen_with_when_and_how(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None
        record_opt_out(db, debtor, "sms", floor_data.phone.number, "sms_stop", NOW)
        db.commit()
    token = login(client, "ana")

    screen = htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {}).text

    assert 'data-flag="opted out: texts"' in screen
    assert "asked us to stop texting on 2026-03-11 by a STOP text" in screen
    assert "opted out: email" not in screen


def test_the_account_page_shows_follow_ups_held_back_and_the_holds_history(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """What a complaint is answered from: what was not sent and why, who set which hold."""
    account_id = pk(floor_data.account)
    with Session(db_engine) as db:
        db.add(
            OutreachMessage(
                key="a1:promise_reminder:p9:sms", client_id=pk(floor_data.client_a),
                account_id=account_id, debtor_id=pk(floor_data.debtor),
                trigger="promise_reminder", occurrence="p9", channel="sms",
                to_address=floor_data.phone.number, status="dropped", reasons=["opted_out"],
                due_at=NOW,
            )
        )  # fmt: skip
        db.add(
            HoldChange(account_id=account_id, hold="dispute", action="set", level="account",
                       actor="lee", reason="letter of 2026-03-02", at=NOW)
        )  # fmt: skip
        db.commit()
    login(client, "lee")

    page = " ".join(client.get(f"/accounts/{account_id}").text.split())

    assert "sms · promise reminder · <b>dropped</b>: opted_out" in page
    assert "set dispute (account) by lee: letter of 2026-03-02" in page


def test_a_text_no_rule_read_is_listed_without_a_hold_and_the_lead_may_set_any_hold(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    number = floor_data.phone.number
    (text_id,) = _texts(db_engine, (number, "We buried him on Saturday. Please.", 5))
    with Session(db_engine) as db:
        text = db.get(InboundText, text_id)
        assert text is not None and text.concern == "other"
        hold_for_review(db, text, NOW)  # as the webhook does: a reader, not a hold
        db.commit()
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None and "text_review" not in debtor.flags
    token = login(client, "lee")
    listed = client.get("/lead/texts").text
    assert f'data-text="{text_id}"' in listed and '<option value="deceased">' in listed
    form = {"hold": "deceased", "account": str(pk(floor_data.account))}
    after = htmx(client, token, f"/lead/texts/{text_id}/hold", form).text
    assert f'data-text="{text_id}"' not in after
    with Session(db_engine) as db:
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None and "deceased" in debtor.flags


def test_a_card_number_a_debtor_texts_is_kept_without_it_and_the_screens_say_so(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """Texted to pay: leads, agents and the client's viewers read these texts, and backups keep
    them; a card number in the clear is what PCI DSS forbids storing."""
    hook = "/webhooks/sms/inbound?token=dev-sms-webhook-token"
    said = {"from": floor_data.phone.number, "to": "+15005550006",
            "body": "My card is 4111 1111 1111 1111 exp 09/28 cvv 123, take 50"}  # fmt: skip
    assert client.post(hook, json=said).status_code == 200
    with Session(db_engine) as db:
        (kept,) = db.exec(select(InboundText)).all()
    assert kept.body == (
        "My card is [card number ending 1111 removed] exp 09/28 cvv [removed], take 50"
    )
    token = login(client, "ana")
    screen = htmx(client, token, f"/agent/preview/{pk(floor_data.account)}", {}).text
    assert "4111 1111" not in screen and "[card number ending 1111 removed]" in screen


def test_a_text_the_rules_misread_still_gets_the_hold_it_asks_for(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """Read as a time not to call, it plainly asks to stop: the lead's actions followed the
    rules' guess and offered no cease hold, and hours the debtor never gave were filled in."""
    number = floor_data.phone.number
    said = "Please do not contact me at work. Do not email or call me again."
    (text_id,) = _texts(db_engine, (number, said, 5))
    with Session(db_engine) as db:
        text = db.get(InboundText, text_id)
        assert text is not None and text.concern == "inconvenient"
    token = login(client, "lee")
    row = client.get("/lead/texts").text.split(f'data-text="{text_id}"', 1)[1].split("</tr>")[0]
    assert '<option value="cease">' in row and "Retire this number" in row
    assert 'value="09:00"' not in row  # no hours the debtor did not give
    form = {"hold": "cease", "account": str(pk(floor_data.account))}
    assert f'data-text="{text_id}"' not in htmx(client, token, f"/lead/texts/{text_id}/hold",
                                               form).text  # fmt: skip
    with Session(db_engine) as db:
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None and "cease" in debtor.flags


def test_a_review_hold_closed_with_a_reason_is_lifted_once_in_the_hold_history(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """QA's audit replays the history: the review hold's set needs its lift, written once."""
    (dispute,) = _texts(db_engine, (floor_data.phone.number, "I never owed this", 5))
    with Session(db_engine) as db:
        text = db.get(InboundText, dispute)
        assert text is not None
        hold_for_review(db, text, NOW)
        db.commit()
    token = login(client, "lee")
    reason = {"reason": "Debtor called back: meant the other card, which is paid"}
    closed = htmx(client, token, f"/lead/texts/{dispute}/handled", reason)
    assert closed.status_code == 200
    with Session(db_engine) as db:
        kept = db.exec(select(HoldChange).where(HoldChange.hold == "text_review")).all()
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None and "text_review" not in debtor.flags
    # set on the debtor's first account; the lead's reason on each account of the number,
    # and no second, bare lift where the reason already stands
    first, second = pk(floor_data.account), pk(floor_data.second_account)
    assert [(h.account_id, h.action) for h in kept] == [
        (first, "set"), (first, "lift"), (second, "lift")
    ]  # fmt: skip
    assert all("meant the other card" in h.reason for h in kept[1:])
