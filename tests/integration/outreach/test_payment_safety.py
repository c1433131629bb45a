"""The payment page against what real debtors and real networks do: one form sent several times
at once, a plan's single link paid month after month, a stranger guessing postal codes."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import httpx
from outreach_support import seed_account
from sqlmodel import Session, select
from test_payment_page import SECRET, client

from core.models import Account, Payment, PaymentPlan, PlanInstallment
from outreach.links import PaymentLink, sign_payment
from outreach.pay_identity import TRIES

__all__ = ["client"]  # the payment router on a real uvicorn, shared with the page tests
CARD = {"card_number": "4242 4242 4242 4242", "exp_month": "12", "exp_year": "2030", "cvc": "123"}
WHO = {"dob": "1980-05-17", "postal_code": "10001"}  # what seed_account puts on file
EXPIRES = datetime(2027, 4, 1, tzinfo=UTC)


def _form(client: httpx.Client, token: str) -> tuple[dict[str, str], str]:
    page = client.post(f"/pay/{token}/verify", data=WHO)
    assert page.status_code == 200, page.text
    fields = dict(re.findall(r'name="(verified|nonce)" value="([^"]+)"', page.text))
    amount = re.search(r'name="amount" value="([^"]+)"', page.text)
    assert amount is not None
    return fields, amount.group(1)


def test_one_form_sent_four_times_at_once_is_booked_once(
    session: Session, client: httpx.Client
) -> None:
    seeded = seed_account(session)
    session.commit()
    token = sign_payment(SECRET, PaymentLink(seeded.account.id or 0, 700, EXPIRES))
    fields, _ = _form(client, token)
    send = {**fields, **CARD, "amount": "7.00"}

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: client.post(f"/pay/{token}/charge", data=send), range(4)))

    assert [a.status_code for a in answers] == [200] * 4
    session.expire_all()
    assert [p.amount_minor for p in session.exec(select(Payment))] == [700]
    account = session.get(Account, seeded.account.id)
    assert account is not None and account.balance_minor == 84_000 - 700


def test_a_plans_one_link_pays_its_installments_in_order(
    session: Session, client: httpx.Client
) -> None:
    seeded = seed_account(session)
    plan = PaymentPlan(account_id=seeded.account.id or 0, total_minor=30_000)
    session.add(plan)
    session.flush()
    items = [
        PlanInstallment(plan_id=plan.id or 0, seq=n, due_date=date(2027, 3 + n, 10),
                        amount_minor=10_000)
        for n in (1, 2, 3)
    ]  # fmt: skip
    session.add_all(items)
    session.commit()
    first = items[0].id
    token = sign_payment(
        SECRET, PaymentLink(seeded.account.id or 0, 10_000, EXPIRES, installment_id=first)
    )

    for expected_prefill in ("100.00", "100.00"):
        fields, prefill = _form(client, token)
        assert prefill == expected_prefill
        paid = client.post(f"/pay/{token}/charge", data={**fields, **CARD, "amount": prefill})
        assert paid.status_code == 200, paid.text

    session.expire_all()
    statuses = [session.get(PlanInstallment, i.id).status for i in items]  # type: ignore[union-attr]
    assert statuses == ["paid", "paid", "pending"]
    filed = [p.installment_id for p in session.exec(select(Payment).order_by(Payment.id))]
    assert filed == [items[0].id, items[1].id]


def test_a_link_answered_wrong_five_times_is_closed_and_the_page_says_who_to_call(
    session: Session, client: httpx.Client
) -> None:
    seeded = seed_account(session)
    session.commit()
    token = sign_payment(SECRET, PaymentLink(seeded.account.id or 0, 700, EXPIRES))

    start = client.get(f"/pay/{token}")
    guesses = [
        client.post(f"/pay/{token}/verify", data={**WHO, "postal_code": f"1{n:04d}"}).status_code
        for n in range(2, 2 + TRIES)
    ]
    right_but_late = client.post(f"/pay/{token}/verify", data=WHO)
    # Another message's link to the same account shares the count: a new link is no new budget.
    other_link = sign_payment(SECRET, PaymentLink(seeded.account.id or 0, 500, EXPIRES))
    other = client.post(f"/pay/{other_link}/verify", data=WHO)

    assert other.status_code == 429
    assert seeded.client.business_name and seeded.client.business_name in start.text
    assert guesses == [403] * TRIES
    assert right_but_late.status_code == 429
    assert "call us at (800) 555-0100" in right_but_late.text  # as people dial it
    assert "locked for an hour" in right_but_late.text
    assert "balance" not in right_but_late.text


def test_an_expired_link_names_whom_to_call_and_a_paid_off_account_asks_for_nothing(
    session: Session, client: httpx.Client
) -> None:
    seeded = seed_account(session)
    session.commit()
    expired = sign_payment(
        SECRET, PaymentLink(seeded.account.id or 0, 700, datetime(2027, 3, 1, tzinfo=UTC))
    )
    gone = client.get(f"/pay/{expired}")
    assert gone.status_code == 410 and "<title>Link expired</title>" in gone.text
    assert "Questions? Call (800) 555-0100" in gone.text
    forged = client.get(f"/pay/{expired[:-2]}xx")
    assert "Link not valid" in forged.text and "(800) 555-0100" not in forged.text

    seeded.account.balance_minor = 0
    session.add(seeded.account)
    session.commit()
    token = sign_payment(SECRET, PaymentLink(seeded.account.id or 0, 700, EXPIRES))
    paid_off = client.post(f"/pay/{token}/verify", data=WHO)
    assert "This account has nothing left to pay" in paid_off.text
    assert 'name="card_number"' not in paid_off.text


def test_the_thank_you_page_promises_a_receipt_only_by_a_channel_it_can_go_by(
    session: Session, client: httpx.Client
) -> None:
    seeded = seed_account(session)
    seeded.debtor.sms_opt_out = True
    session.add(seeded.debtor)
    session.commit()
    token = sign_payment(SECRET, PaymentLink(seeded.account.id or 0, 700, EXPIRES))
    form = client.post(f"/pay/{token}/verify", data=WHO)
    fields = dict(re.findall(r'name="(verified|nonce)" value="([^"]+)"', form.text))
    card = {"card_number": "4000 0000 0000 0002", "exp_month": "12", "exp_year": "2030",
            "cvc": "123", "name": "Maria Lopez", "amount": "7.00"}  # fmt: skip

    declined = client.post(f"/pay/{token}/charge", data={**fields, **card})
    assert 'value="Maria Lopez"' in declined.text  # the name stays; the card is typed again

    fields = dict(re.findall(r'name="(verified|nonce)" value="([^"]+)"', declined.text))
    card["card_number"] = "4242 4242 4242 4242"
    paid = client.post(f"/pay/{token}/charge", data={**fields, **card})
    assert paid.status_code == 200
    assert "A receipt is on its way by email." in paid.text  # not by text: opted out
