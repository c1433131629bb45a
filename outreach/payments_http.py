"""Routes the console mounts: the payment page behind a signed link, unsubscribe links, and the
SMS provider's webhooks. Thin: each route checks its input and calls one service.

Mount with `app.include_router(outreach.payments_http.router)` and set `app.state.outreach` to
an `OutreachContext` in the app's lifespan.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from pydantic import BaseModel, ConfigDict, Field
from rq import Queue
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.amounts import form_amount, money, parse_money
from core.db import session_scope
from core.models import Account, Debtor, Payment
from outreach import optout_confirm
from outreach.config import OutreachSettings
from outreach.inbound import concern_of, hold_for_review, store_text
from outreach.installments import still_asked
from outreach.links import LinkError, PaymentLink, load_payment, load_unsubscribe
from outreach.optouts import delivery_status, inbound_sms, is_stop, record_opt_out, still_texted
from outreach.page_words import WORDS
from outreach.pay_identity import VerifyTries, identity_confirmed
from outreach.pay_pages import (
    language,
    link_error,
    locked_out,
    not_ours,
    not_ours_page,
    page,
    receipt_line,
    who,
)
from outreach.payments import Card, CardError, PaymentProvider, full_year, record_payment

router = APIRouter(tags=["outreach"])
VERIFIED_SALT = "concord.outreach.verified"
VERIFIED_MAX_AGE = 15 * 60


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class OutreachContext:
    """What the routes need; the console builds one in its lifespan (app.state.outreach)."""

    engine: Engine
    secret_key: str
    provider: PaymentProvider
    queue: Queue | None
    # The agency's own name (CONCORD_AGENCY_NAME), said where a client has no business name.
    agency_name: str
    config: OutreachSettings = field(default_factory=OutreachSettings)
    clock: Callable[[], datetime] = _utcnow


def get_context(request: Request) -> OutreachContext:
    context: OutreachContext = request.app.state.outreach
    return context


Ctx = Annotated[OutreachContext, Depends(get_context)]


def _session(ctx: Ctx) -> Iterator[Session]:
    with session_scope(ctx.engine) as session:
        yield session


# scope="function": the transaction commits before the response leaves, so "you are
# unsubscribed" is never said about an opt-out that is not yet stored.
Db = Annotated[Session, Depends(_session, scope="function")]


def _link(ctx: OutreachContext, token: str) -> PaymentLink:
    return load_payment(ctx.secret_key, token, ctx.clock())


def _tries(ctx: OutreachContext) -> VerifyTries | None:
    return None if ctx.queue is None else VerifyTries(ctx.queue.connection)


def _pay_form(
    request: Request,
    ctx: OutreachContext,
    session: Session,
    token: str,
    link: PaymentLink,
    lang: str,
    error: str = "",
    status_code: int = 200,
    amount: str | None = None,
    name: str = "",
    expiry: tuple[int, int] | None = None,
) -> HTMLResponse:
    """The card form; after a mistake it keeps what is safe to show again (amount, name,
    expiry), never the card number or security code."""
    account = session.get(Account, link.account_id)
    if account is None:
        raise HTTPException(404, "account not found")
    if account.balance_minor <= 0:  # paid off since the link was sent
        return page(request, "nothing_owed.html", lang, **who(session, account, ctx.agency_name))
    why = not_ours(session, account)
    if why is not None:  # recalled, or the debtor's bankruptcy or death, since the link went out
        return not_ours_page(request, session, account, lang, why, ctx.agency_name)
    verified = URLSafeTimedSerializer(ctx.secret_key, salt=VERIFIED_SALT).dumps(token)
    asked = still_asked(session, account, link.amount_minor, link.promise_id, link.installment_id)
    return page(
        request,
        "pay_form.html",
        lang,
        status_code,
        token=token,
        verified=verified,
        nonce=uuid.uuid4().hex,
        error=error,
        balance=money(account.balance_minor, account.currency),
        amount=amount or form_amount(asked or account.balance_minor, account.currency),
        currency=account.currency,
        account_ref=account.client_account_number[-4:],
        name=name,
        exp_month=expiry[0] if expiry else "",
        exp_year=expiry[1] if expiry else "",
        **who(session, account, ctx.agency_name),
    )


@router.get("/pay/{token}", response_class=HTMLResponse)
def pay_start(request: Request, token: str, ctx: Ctx, lang: str = "") -> HTMLResponse:
    with session_scope(ctx.engine) as db:
        try:
            link = _link(ctx, token)
        except LinkError as exc:
            return _refused_link(request, db, exc, lang, ctx.agency_name)
        account = db.get(Account, link.account_id)
        debtor = db.get(Debtor, account.debtor_id) if account else None
        who_is = who(db, account, ctx.agency_name) if account else {}
        lang = language(request, lang, debtor)
    return page(request, "pay_verify.html", lang, token=token, error="", **who_is)


def _refused_link(
    request: Request, db: Session, exc: LinkError, lang: str, agency_name: str
) -> HTMLResponse:
    """An expired link (a genuine one) names the collector and the number for a new one, in
    the debtor's language; a forged or broken one says nothing about any account."""
    account = db.get(Account, exc.account_id) if exc.account_id else None
    debtor = db.get(Debtor, account.debtor_id) if account else None
    who_is = who(db, account, agency_name) if account else {}
    return link_error(request, exc, language(request, lang, debtor), 410, who_is)


@router.post("/pay/{token}/verify", response_class=HTMLResponse)
def pay_verify(
    request: Request,
    token: str,
    ctx: Ctx,
    db: Db,
    dob: Annotated[str, Form()] = "",
    postal_code: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
) -> HTMLResponse:
    try:
        link = _link(ctx, token)
    except LinkError as exc:
        return _refused_link(request, db, exc, lang, ctx.agency_name)
    account = db.get(Account, link.account_id)
    debtor = db.get(Debtor, account.debtor_id) if account else None
    lang = language(request, lang, debtor)
    if account is None or debtor is None:
        return link_error(request, LinkError("no account"), lang, 410)
    who_is, tries, w = who(db, account, ctx.agency_name), _tries(ctx), WORDS[lang]
    if tries is not None and tries.locked(link.account_id):
        error = locked_out(lang, who_is["callback"])
        return page(request, "pay_verify.html", lang, 429, token=token, error=error, **who_is)
    if not identity_confirmed(db, debtor, dob, postal_code):
        if tries is not None:
            tries.wrong(link.account_id)
        error = w["not_confirmed"]
        return page(request, "pay_verify.html", lang, 403, token=token, error=error, **who_is)
    if tries is not None:
        tries.confirmed(link.account_id)
    return _pay_form(request, ctx, db, token, link, lang)


@router.post("/pay/{token}/charge", response_class=HTMLResponse)
def pay_charge(
    request: Request,
    token: str,
    ctx: Ctx,
    db: Db,
    verified: Annotated[str, Form()],
    nonce: Annotated[str, Form()],
    amount: Annotated[str, Form()],
    card_number: Annotated[str, Form()],
    exp_month: Annotated[int, Form()],
    exp_year: Annotated[int, Form()],
    cvc: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
) -> HTMLResponse:
    try:
        link = _link(ctx, token)
    except LinkError as exc:
        return _refused_link(request, db, exc, lang, ctx.agency_name)
    account = db.get(Account, link.account_id)
    assert account is not None
    debtor = db.get(Debtor, account.debtor_id)
    lang = language(request, lang, debtor)
    w, expiry = WORDS[lang], (exp_month, exp_year)
    try:
        signed = URLSafeTimedSerializer(ctx.secret_key, salt=VERIFIED_SALT)
        if signed.loads(verified, max_age=VERIFIED_MAX_AGE) != token:
            raise BadSignature("verification is for another link")
    except BadSignature:
        error = w["confirm_again"]
        who_is = who(db, account, ctx.agency_name)
        return page(request, "pay_verify.html", lang, 403, token=token, error=error, **who_is)
    why = not_ours(db, account)
    if why is not None:
        return not_ours_page(request, db, account, lang, why, ctx.agency_name)
    try:
        amount_minor = parse_money(amount, account.currency)
    except ValueError as exc:
        error = w["amount_unreadable"].format(reason=exc)
        return _pay_form(request, ctx, db, token, link, lang, error, 422, amount, name, expiry)
    if not 0 < amount_minor <= account.balance_minor:
        error = w["amount_range"].format(
            least=money(1, account.currency), balance=money(account.balance_minor, account.currency)
        )
        return _pay_form(request, ctx, db, token, link, lang, error, 422, amount, name, expiry)
    now = ctx.clock()
    card = Card(card_number, exp_month, full_year(exp_year), cvc.strip(), name)
    try:
        charge = ctx.provider.charge(
            amount_minor=amount_minor,
            currency=account.currency,
            card=card,
            idempotency_key=f"pay:{nonce}",
            now=now,
        )
    except CardError as exc:
        error = w[exc.field]
        return _pay_form(request, ctx, db, token, link, lang, error, 422, amount, name, expiry)
    if not charge.approved:
        error = w["card_refused"].format(message=charge.message)
        return _pay_form(request, ctx, db, token, link, lang, error, 402, amount, name, expiry)
    try:
        payment = record_payment(
            db,
            account.id or 0,
            amount_minor,
            reference=charge.reference,
            paid_at=now,
            promise_id=link.promise_id,
            installment_id=link.installment_id,
            queue=ctx.queue,
            config=ctx.config,
        )
    except IntegrityError:  # the same charge, booked meanwhile by a request sent alongside
        db.rollback()
        payment = db.exec(
            select(Payment).where(
                Payment.account_id == account.id, Payment.reference == charge.reference
            )
        ).one()
        db.refresh(account)
    return page(
        request,
        "pay_done.html",
        lang,
        amount=money(payment.amount_minor, payment.currency),
        reference=payment.reference,
        balance=money(account.balance_minor, account.currency),
        receipt=receipt_line(db, payment, lang),
        **who(db, account, ctx.agency_name),
    )


def _unsubscribe_link(ctx: OutreachContext, db: Session, token: str) -> tuple[Debtor, str, str]:
    link = load_unsubscribe(ctx.secret_key, token)
    debtor = db.get(Debtor, link.debtor_id)
    if debtor is None:
        raise LinkError("This unsubscribe link is not valid.", "unsubscribe_invalid")
    return debtor, link.channel, link.address


def _opted_out(debtor: Debtor, channel: str) -> bool:
    return debtor.sms_opt_out if channel == "sms" else debtor.email_opt_out


@router.get("/u/{token}", response_class=HTMLResponse)
def unsubscribe_page(
    request: Request, token: str, ctx: Ctx, db: Db, lang: str = ""
) -> HTMLResponse:
    """The link asks before it acts: mail scanners and text-message link previews open every
    link they carry, and a GET that opted out would stop a debtor's reminders that nobody asked
    to stop. One press on this single page opts out (Reg F 1006.6(e) allows a single web page);
    the mail client's own button posts RFC 8058's one-click form straight to the POST."""
    try:
        debtor, channel, address = _unsubscribe_link(ctx, db, token)
    except LinkError as exc:
        return link_error(request, exc, language(request, lang), 400)
    chosen = language(request, lang, debtor)
    # Whose messages: a debtor written to by several collectors must tell which one this is.
    account = db.exec(select(Account).where(Account.debtor_id == debtor.id)).first()
    named = who(db, account, ctx.agency_name) if account is not None else {}
    if _opted_out(debtor, channel):
        return page(request, "unsubscribed.html", chosen, channel=channel, **named)
    return page(
        request, "unsubscribe.html", chosen, channel=channel, address=address, token=token,
        **named,
    )  # fmt: skip


@router.post("/u/{token}")
def unsubscribe(
    request: Request,
    token: str,
    ctx: Ctx,
    db: Db,
    lang: Annotated[str, Form()] = "",
    one_click: Annotated[str, Form(alias="List-Unsubscribe")] = "",
) -> Response:
    """The page's button, or RFC 8058's one-click POST (`List-Unsubscribe=One-Click`) from the
    mail client, which gets a plain answer. A second press changes nothing."""
    machine = one_click == "One-Click"
    try:
        debtor, channel, address = _unsubscribe_link(ctx, db, token)
    except LinkError as exc:
        if machine:
            return Response(str(exc), status_code=400)
        return link_error(request, exc, language(request, lang), 400)
    if not _opted_out(debtor, channel):
        source = "one_click" if machine else "unsubscribe_link"
        record_opt_out(db, debtor, channel, address, source, ctx.clock())
    if machine:
        return Response("unsubscribed", status_code=200)
    return page(request, "unsubscribed.html", language(request, lang, debtor), channel=channel)


def webhook_token(given: str, expected: str) -> None:
    """401 unless a provider's webhook carries the shared token (header or `?token=`)."""
    if not hmac.compare_digest(given, expected):
        raise HTTPException(401, "bad webhook token")


class StatusHook(BaseModel):
    """A provider's delivery report."""

    id: str = ""
    reference: str = ""
    status: str
    error: str | None = None


class InboundHook(BaseModel):
    """A text a debtor sent us."""

    model_config = ConfigDict(populate_by_name=True)
    sender: str = Field(alias="from", min_length=1)
    to: str = ""
    body: str = ""


@router.post("/webhooks/sms/status")
def sms_status(
    hook: StatusHook,
    ctx: Ctx,
    db: Db,
    x_concord_token: Annotated[str, Header()] = "",
    token: str = "",
) -> dict[str, bool]:
    webhook_token(x_concord_token or token, ctx.config.sms_webhook_token)
    return {"known": delivery_status(db, hook.reference, hook.id, hook.status, hook.error or "")}


@router.post("/webhooks/sms/inbound")
def sms_inbound(
    hook: InboundHook,
    ctx: Ctx,
    db: Db,
    x_concord_token: Annotated[str, Header()] = "",
    token: str = "",
) -> dict[str, Any]:
    """Every text is kept for the contact history; a STOP opts the sender out at once (CTIA
    keywords, English and Spanish) and is answered by one confirming text (outreach.
    optout_confirm); words a person must act on flag it (outreach.inbound)."""
    webhook_token(x_concord_token or token, ctx.config.sms_webhook_token)
    now = ctx.clock()
    # A request to cease contact revokes consent to texts too; the rest waits for a person.
    cease = concern_of(hook.body, opted_out=False) == "cease"
    newly = still_texted(db, hook.sender) if is_stop(hook.body) else []
    opted = inbound_sms(db, hook.sender, hook.body, now, asks_to_stop=cease)
    text = store_text(db, hook.sender, hook.to, hook.body, now, opted_out=bool(opted))
    hold_for_review(db, text, now)
    if newly and ctx.queue is not None:
        db.flush()  # the text's id, for the confirmation job
        optout_confirm.enqueue_after_commit(db, ctx.queue, text.id or 0, newly)
    return {"opted_out": bool(opted), "debtors": len(opted), "concern": text.concern}
