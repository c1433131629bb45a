"""The payment page behind a signed link, unsubscribe links, STOP texts and delivery webhooks,
through the router the console mounts."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from outreach_support import (
    SmsStandin,
    SmtpSink,
    at_clock,
    ny,
    promise_attempt,
    run_worker,
    seed_account,
    wait_until,
)
from sqlmodel import Session, col, select

from core.localservices import free_port
from core.models import Account, Debtor, Payment, Phone, PromiseToPay
from dialer.store import auto_dial_allowed
from outreach.followups import enqueue_followups
from outreach.jobs import Runtime
from outreach.links import PaymentLink, UnsubscribeLink, sign_payment, sign_unsubscribe
from outreach.models import InboundText, OptOut, OutreachMessage
from outreach.payments import StandinPaymentProvider, record_payment
from outreach.payments_http import OutreachContext, router

pytestmark = [pytest.mark.integration, pytest.mark.db]
NOW = ny(2027, 3, 9, 14, 0)
SECRET = "test-secret"


@pytest.fixture
def client(runtime: Runtime) -> Iterator[httpx.Client]:
    """The router mounted on a bare app, served by a real uvicorn on a free port."""
    app = FastAPI()
    app.include_router(router)
    app.state.outreach = OutreachContext(
        engine=runtime.engine, secret_key=SECRET, provider=StandinPaymentProvider(),
        queue=runtime.queue, agency_name="Concord Recovery", config=runtime.config,
        clock=lambda: NOW,
    )  # fmt: skip
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, 20, "uvicorn")
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
        yield http
    server.should_exit = True
    thread.join(10)


def _pay_token(account_id: int, promise_id: int, amount: int = 15_000) -> str:
    expires = datetime(2027, 4, 1, tzinfo=UTC)
    return sign_payment(SECRET, PaymentLink(account_id, amount, expires, promise_id=promise_id))


def _form_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(verified|nonce)" value="([^"]+)"', html))


def test_payment_link_verifies_identity_charges_and_books_against_promise_and_balance(
    session: Session, runtime: Runtime, client: httpx.Client, sms_standin: SmsStandin,
    smtp_sink: SmtpSink,
) -> None:  # fmt: skip
    seeded = seed_account(session)
    attempt, promise = promise_attempt(session, seeded, NOW, 15_000, date(2027, 3, 19))
    enqueue_followups(session, attempt.id or 0, queue=None, now=NOW)  # rows only, no jobs
    session.commit()
    token = _pay_token(seeded.account.id or 0, promise.id or 0)

    assert client.get(f"/pay/{token}").status_code == 200
    wrong = client.post(f"/pay/{token}/verify", data={"dob": "1980-05-18"})
    assert wrong.status_code == 403 and "could not confirm" in wrong.text
    zip_alone = client.post(f"/pay/{token}/verify", data={"postal_code": "10001"})
    assert zip_alone.status_code == 403  # the file holds a birth date too: both are asked
    page = client.post(f"/pay/{token}/verify", data={"dob": "1980-05-17", "postal_code": "10001"})
    assert page.status_code == 200 and 'value="150.00"' in page.text
    fields = _form_fields(page.text)
    card = {
        "card_number": "4242 4242 4242 4242",
        "exp_month": "12",
        "exp_year": "2030",
        "cvc": "123",
    }
    declined = client.post(
        f"/pay/{token}/charge",
        data={**fields, **card, "amount": "150.00", "card_number": "4000 0000 0000 0002"},
    )
    assert declined.status_code == 402 and "declined" in declined.text
    # What is safe to show again is kept; the card number and code never are.
    assert 'name="exp_month" value="12"' in declined.text
    assert 'name="exp_year" value="2030"' in declined.text
    assert "4000 0000 0000 0002" not in declined.text and 'value="123"' not in declined.text
    fields = _form_fields(declined.text)  # the page after a decline carries a fresh nonce
    comma = client.post(f"/pay/{token}/charge", data={**fields, **card, "amount": "150,00"})
    assert comma.status_code == 422 and "Use a point for cents" in comma.text  # not $15,000
    fields = _form_fields(comma.text)
    paid = client.post(f"/pay/{token}/charge", data={**fields, **card, "amount": "150.00"})
    assert paid.status_code == 200 and "$150.00" in paid.text
    again = client.post(f"/pay/{token}/charge", data={**fields, **card, "amount": "150.00"})
    assert again.status_code == 200  # the same form submitted twice books once

    session.expire_all()
    payments = session.exec(select(Payment)).all()
    assert [(p.amount_minor, p.promise_id) for p in payments] == [(15_000, promise.id)]
    assert session.get(Account, seeded.account.id).balance_minor == 84_000 - 15_000  # type: ignore[union-attr]
    assert session.get(PromiseToPay, promise.id).status == "kept"  # type: ignore[union-attr]

    at_clock(runtime, NOW)
    run_worker(runtime)
    receipt = [t for t in sms_standin.messages() if "We received $150.00" in t["body"]]
    assert len(receipt) == 1 and payments[0].reference in receipt[0]["body"]
    assert [m["Subject"] for m in smtp_sink.messages] == ["Receipt: $150.00 received"]
    assert smtp_sink.messages[0]["From"].startswith("Acme Services <")  # the collector, by name
    # The reminder planned with the promise is dropped when due: the promise is kept.
    reminder = session.exec(
        select(OutreachMessage).where(
            OutreachMessage.trigger == "promise_reminder", OutreachMessage.channel == "sms"
        )
    ).one()
    at_clock(runtime, reminder.due_at)
    runtime.queue.enqueue("outreach.jobs.deliver_job", reminder.key)
    run_worker(runtime)
    session.expire_all()
    reminder = session.get(OutreachMessage, reminder.id)
    assert (reminder.status, reminder.reasons) == ("dropped", ["promise_kept"])  # type: ignore[union-attr]


def test_expired_or_forged_payment_link_is_refused(client: httpx.Client, session: Session) -> None:
    seeded = seed_account(session)
    expired = sign_payment(
        SECRET, PaymentLink(seeded.account.id or 0, 100, NOW - timedelta(seconds=1))
    )
    assert client.get(f"/pay/{expired}").status_code == 410
    assert "expired" in client.get(f"/pay/{expired}").text
    assert client.get(f"/pay/{expired[:-2]}xx").status_code == 410


def test_unsubscribe_link_asks_once_and_its_button_opts_out_and_later_email_is_dropped(
    session: Session, runtime: Runtime, client: httpx.Client, smtp_sink: SmtpSink,
    sms_standin: SmsStandin,
) -> None:  # fmt: skip
    seeded = seed_account(session)
    attempt, _ = promise_attempt(session, seeded, NOW)
    enqueue_followups(session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=NOW)
    session.commit()
    token = sign_unsubscribe(
        SECRET, UnsubscribeLink(seeded.debtor.id or 0, "email", "maria1@example.test")
    )
    scanned = client.get(f"/u/{token}")  # what a mail scanner's prefetch does
    session.expire_all()
    assert scanned.status_code == 200 and "Stop our emails?" in scanned.text
    assert "Acme Services" in scanned.text  # whose emails: the page names the collector
    assert "we will not email maria1@example.test again" in scanned.text
    assert session.get(Debtor, seeded.debtor.id).email_opt_out is False  # type: ignore[union-attr]
    response = client.post(f"/u/{token}", data={"lang": "en"})
    again = client.post(f"/u/{token}", data={"lang": "en"})
    assert response.status_code == 200 and "unsubscribed</h1>" in response.text
    assert again.status_code == 200 and "unsubscribed</h1>" in client.get(f"/u/{token}").text
    session.expire_all()
    assert session.get(Debtor, seeded.debtor.id).email_opt_out is True  # type: ignore[union-attr]
    assert [o.source for o in session.exec(select(OptOut))] == ["unsubscribe_link"]

    at_clock(runtime, NOW)
    run_worker(runtime)
    assert smtp_sink.messages == []
    assert len(sms_standin.messages()) == 1  # the text still goes: opt-outs are per channel


def test_a_debtor_who_reads_spanish_pays_on_a_spanish_page_and_may_switch_to_english(
    session: Session, client: httpx.Client
) -> None:
    seeded = seed_account(session, language="es")
    _, promise = promise_attempt(session, seeded, NOW, 15_000, date(2027, 3, 19))
    session.commit()
    token = _pay_token(seeded.account.id or 0, promise.id or 0)

    start = client.get(f"/pay/{token}")
    assert '<html lang="es">' in start.text and "Confirme que es usted" in start.text
    assert "¿Preguntas? Llame al" in start.text  # who is collecting, too
    english = client.get(f"/pay/{token}?lang=en")
    assert '<html lang="en">' in english.text and "Confirm it&#39;s you" in english.text
    wrong = client.post(f"/pay/{token}/verify", data={"dob": "1980-05-18", "lang": "es"})
    assert wrong.status_code == 403 and "No pudimos confirmar su identidad" in wrong.text
    form = client.post(
        f"/pay/{token}/verify", data={"dob": "1980-05-17", "postal_code": "10001"}
    )  # no choice carried: the debtor's own language
    assert "Pagar este monto" in form.text and "cobrador de deudas" in form.text
    card = {"card_number": "4242 4242 4242 4242", "exp_month": "12", "exp_year": "2030",
            "cvc": "123", "lang": "es"}  # fmt: skip
    declined = client.post(
        f"/pay/{token}/charge",
        data={**_form_fields(form.text), **card, "amount": "10.00",
              "card_number": "4000 0000 0000 0002"},
    )  # fmt: skip
    assert "La tarjeta no fue aceptada. Pruebe con otra tarjeta" in declined.text
    assert "declined" not in declined.text  # the processor's English stays out
    form = declined
    too_much = client.post(
        f"/pay/{token}/charge", data={**_form_fields(form.text), **card, "amount": "9000.00"}
    )
    assert too_much.status_code == 422 and "entre $0.01 y su saldo de $840.00" in too_much.text
    paid = client.post(
        f"/pay/{token}/charge", data={**_form_fields(too_much.text), **card, "amount": "150.00"}
    )
    assert paid.status_code == 200 and "Recibimos su pago de <strong>$150.00</strong>" in paid.text
    expired = sign_payment(
        SECRET, PaymentLink(seeded.account.id or 0, 100, datetime(2027, 3, 1, tzinfo=UTC))
    )
    gone = client.get(f"/pay/{expired}", headers={"Accept-Language": "es-US,es;q=0.9,en;q=0.5"})
    assert gone.status_code == 410 and "Este enlace de pago ha vencido" in gone.text
    stop = sign_unsubscribe(SECRET, UnsubscribeLink(seeded.debtor.id or 0, "sms", "+12125550123"))
    assert "¿Dejar de recibir nuestros mensajes de texto?" in client.get(f"/u/{stop}").text
    assert "No le enviaremos más mensajes de texto" in client.post(f"/u/{stop}").text


def test_the_mail_clients_one_click_post_opts_out_with_a_plain_answer(
    session: Session, client: httpx.Client
) -> None:
    seeded = seed_account(session)
    session.commit()
    token = sign_unsubscribe(
        SECRET, UnsubscribeLink(seeded.debtor.id or 0, "email", "maria1@example.test")
    )

    response = client.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"})
    forged = client.post("/u/not-a-token", data={"List-Unsubscribe": "One-Click"})

    assert (response.status_code, response.text) == (200, "unsubscribed")
    assert forged.status_code == 400 and "<html" not in forged.text
    session.expire_all()
    assert [o.source for o in session.exec(select(OptOut))] == ["one_click"]


def test_inbound_stop_text_opts_out_and_queued_text_is_dropped(
    session: Session, runtime: Runtime, client: httpx.Client, sms_standin: SmsStandin,
    smtp_sink: SmtpSink,
) -> None:  # fmt: skip
    seeded = seed_account(session)
    attempt, _ = promise_attempt(session, seeded, NOW)
    enqueue_followups(session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=NOW)
    session.commit()
    hook = {"from": "+12125550123", "to": "+15005550006", "body": " stop "}
    assert client.post("/webhooks/sms/inbound", json=hook).status_code == 401
    answer = client.post(
        "/webhooks/sms/inbound",
        json=hook,
        headers={"X-Concord-Token": runtime.config.sms_webhook_token},
    )
    assert answer.json() == {"opted_out": True, "debtors": 1, "concern": "stop"}
    at_clock(runtime, NOW)
    run_worker(runtime)
    # The one text that goes is the confirmation of the STOP, naming no debt and no link.
    assert [m["body"] for m in sms_standin.messages()] == [
        "Acme Services: you are unsubscribed. You will get no more texts from us at this number."
    ]
    assert len(smtp_sink.messages) == 1
    session.expire_all()
    sms = session.exec(
        select(OutreachMessage).where(
            OutreachMessage.channel == "sms", OutreachMessage.trigger == "promise_confirmation"
        )
    ).one()
    assert (sms.status, sms.reasons) == ("dropped", ["opted_out"])
    # The STOP revokes the number's consent for autodialled calls too: preview only now.
    phone = session.get(Phone, seeded.phone.id)
    assert phone is not None and not phone.consent and not auto_dial_allowed(phone)


def test_every_inbound_text_is_kept_and_a_dispute_waits_for_a_person(
    session: Session, client: httpx.Client, runtime: Runtime
) -> None:
    seed_account(session)
    session.commit()
    headers = {"X-Concord-Token": runtime.config.sms_webhook_token}
    replies = [
        ("I paid on Friday, check again", {"opted_out": False, "debtors": 0, "concern": "other"}),
        ("This is not my debt, prove it", {"opted_out": False, "debtors": 0, "concern": "dispute"}),
        ("Leave me alone", {"opted_out": True, "debtors": 1, "concern": "cease"}),  # texts too
        ("Stop texting me, talk to my lawyer", {"opted_out": True, "debtors": 1,
                                                 "concern": "attorney"}),
    ]  # fmt: skip
    for body, expected in replies:
        hook = {"from": "+12125550123", "to": "+15005550006", "body": body}
        answer = client.post("/webhooks/sms/inbound", json=hook, headers=headers)
        assert answer.json() == expected
    session.expire_all()
    kept = session.exec(select(InboundText).order_by(col(InboundText.id))).all()
    assert [(t.sender, t.body, t.concern, t.handled_at) for t in kept] == [
        ("+12125550123", body, expected["concern"], None) for body, expected in replies
    ]
    debtor = session.exec(select(Debtor)).one()
    assert "text_review" in debtor.flags  # no contact until a person has read them


def test_delivery_webhook_marks_the_message_delivered(
    session: Session, runtime: Runtime, client: httpx.Client, sms_standin: SmsStandin,
    smtp_sink: SmtpSink,
) -> None:  # fmt: skip
    seeded = seed_account(session, followups={"triggers": {"promise_confirmation": ["sms"]}})
    attempt, _ = promise_attempt(session, seeded, NOW)
    enqueue_followups(session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=NOW)
    session.commit()
    at_clock(runtime, NOW)
    run_worker(runtime)
    sent = sms_standin.messages()[0]
    token = runtime.config.sms_webhook_token
    report = {"id": sent["id"], "reference": sent["reference"], "status": "delivered"}
    assert client.post(f"/webhooks/sms/status?token={token}", json=report).json() == {"known": True}
    session.expire_all()
    row = session.exec(
        select(OutreachMessage).where(OutreachMessage.key == sent["reference"])
    ).one()
    assert row.status == "delivered"


def test_a_link_to_an_account_the_client_recalled_or_a_bankrupt_debtors_takes_no_money(
    session: Session, client: httpx.Client
) -> None:
    seeded = seed_account(session)
    _attempt, promise = promise_attempt(session, seeded, NOW, 15_000, date(2027, 3, 19))
    session.commit()
    token = _pay_token(seeded.account.id or 0, promise.id or 0)
    verified = client.post(
        f"/pay/{token}/verify", data={"dob": "1980-05-17", "postal_code": "10001"}
    )
    fields = _form_fields(verified.text)
    card = {"card_number": "4242 4242 4242 4242", "exp_month": "12", "exp_year": "2030",
            "cvc": "123", "amount": "150.00"}  # fmt: skip
    account = session.get(Account, seeded.account.id)
    assert account is not None
    account.flags = ["recalled"]  # the client took it back after the link went out
    session.add(account)
    session.commit()

    recalled = client.post(f"/pay/{token}/charge", data={**fields, **card})
    account.flags = []
    debtor = session.get(Debtor, seeded.debtor.id)
    assert debtor is not None
    debtor.flags = ["bankruptcy"]
    session.add_all([account, debtor])
    session.commit()
    bankrupt = client.post(
        f"/pay/{token}/verify", data={"dob": "1980-05-17", "postal_code": "10001"}
    )

    assert recalled.status_code == 409 and "is no longer handled by" in recalled.text
    assert bankrupt.status_code == 409 and "cannot take a payment on this account online" in (
        bankrupt.text
    )
    session.expire_all()
    assert session.exec(select(Payment)).all() == []


def test_a_hawaii_debtor_paying_in_the_evening_of_the_promised_day_keeps_the_promise(
    session: Session,
) -> None:
    """16:00 in Honolulu on the due day is 02:00 UTC the next day: still on time."""
    seeded = seed_account(session, place=("us", "US", "HI", "96813", "+18085550123"))
    _attempt, promise = promise_attempt(session, seeded, NOW, 15_000, date(2027, 3, 19))
    session.commit()

    evening = datetime(2027, 3, 20, 2, 0, tzinfo=UTC)
    record_payment(session, seeded.account.id or 0, 15_000, reference="r-1", paid_at=evening,
                   promise_id=promise.id)  # fmt: skip
    session.commit()

    session.refresh(promise)
    assert promise.status == "kept"


def test_a_stop_is_confirmed_once_in_the_debtors_language_and_never_late(
    session: Session, runtime: Runtime, client: httpx.Client, sms_standin: SmsStandin
) -> None:
    seed_account(session, language="es")
    session.commit()
    headers = {"X-Concord-Token": runtime.config.sms_webhook_token}
    for body in ("STOP", "stop"):  # a second STOP from the same number
        hook = {"from": "+12125550123", "to": "+15005550006", "body": body}
        assert client.post("/webhooks/sms/inbound", json=hook, headers=headers).json()["opted_out"]
    at_clock(runtime, NOW + timedelta(minutes=4))
    run_worker(runtime)
    sent = sms_standin.messages()
    assert [(m["to"], m["body"]) for m in sent] == [
        ("+12125550123", "Acme Services: su baja está confirmada. No recibirá más mensajes de "
         "texto nuestros en este número.")
    ]  # fmt: skip
    session.expire_all()
    kept = session.exec(select(OutreachMessage)).one()
    assert (kept.trigger, kept.status, kept.to_address) == (
        "opt_out_confirmation", "sent", "+12125550123"
    )  # fmt: skip

    # A number opted out again later (after an agent re-enabled texts) whose worker was
    # down: six minutes on, the confirmation would be late and is not sent.
    debtor = session.exec(select(Debtor)).one()
    debtor.sms_opt_out = False
    session.add(debtor)
    session.commit()
    hook = {"from": "+12125550123", "to": "+15005550006", "body": "STOP"}
    client.post("/webhooks/sms/inbound", json=hook, headers=headers)
    at_clock(runtime, NOW + timedelta(minutes=6))
    run_worker(runtime)
    assert len(sms_standin.messages()) == 1
