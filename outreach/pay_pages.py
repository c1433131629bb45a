"""What every page a debtor's link opens says: in their language, who is collecting and how to
reach them, and what happens next (outreach.payments_http holds the routes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import Session, col, select

from core.models import Account, Client, Debtor, Payment
from core.phones import printed_number
from outreach.links import LinkError
from outreach.models import MessageStatus, OutreachMessage, Trigger
from outreach.page_words import WORDS, page_language

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates" / "pages"))


def page(
    request: Request, name: str, lang: str, status_code: int = 200, /, **values: Any
) -> HTMLResponse:
    """A page in `lang` (outreach.page_words): the templates read their words from `w`."""
    values.update(lang=lang, w=WORDS[lang])
    return templates.TemplateResponse(request, name, values, status_code=status_code)


def language(request: Request, chosen: str, debtor: Debtor | None = None) -> str:
    accept = request.headers.get("accept-language", "")
    return page_language(chosen, debtor.preferred_language if debtor else None, accept)


def link_error(
    request: Request,
    exc: LinkError,
    lang: str,
    status_code: int,
    who_is: dict[str, str] | None = None,
) -> HTMLResponse:
    """A link that cannot be used; an expired one still names the collector and the number to
    call for a new one (`who_is`)."""
    w = WORDS[lang]
    title = w["expired_title"] if exc.code == "link_expired" else w["error_title"]
    return page(
        request, "link_error.html", lang, status_code, message=w[exc.code], title=title,
        **(who_is or {}),
    )  # fmt: skip


def who(session: Session, account: Account, agency_name: str) -> dict[str, str]:
    """Who is collecting, for whom, and the number to call: every page says so, as every
    message does (1692e(14)); a page without it is a phishing page's twin."""
    client = session.get(Client, account.client_id)
    return {
        "collector": client.collector_name(agency_name) if client else agency_name,
        "creditor": account.original_creditor,
        "callback": printed_number(client.callback_number) if client else "",
    }


def not_ours(session: Session, account: Account) -> str | None:
    """Why this page may not take money on the account, as a page_words key: the client took
    it back ("recalled": collecting it is no longer ours, and a sold debt's buyer will still
    collect it), or its debtor is in bankruptcy or has died (a payment then is for the trustee
    or the estate to arrange, by a person). None when a payment may be taken."""
    if "recalled" in account.flags:
        return "not_ours_recalled"
    debtor = session.get(Debtor, account.debtor_id)
    if debtor is not None and {"bankruptcy", "deceased"} & set(debtor.flags):
        return "not_ours_person"
    return None


def not_ours_page(
    request: Request, session: Session, account: Account, lang: str, why: str, agency_name: str
) -> HTMLResponse:
    named = who(session, account, agency_name)
    creditor = named["creditor"] or named["collector"]
    message = WORDS[lang][why].format(collector=named["collector"], creditor=creditor)
    return page(request, "not_ours.html", lang, 409, message=message, **named)


def locked_out(lang: str, callback: str) -> str:
    """Too many wrong answers: for how long, and the number to pay by instead when there is
    one (a client set up without one leaves the hour)."""
    w = WORDS[lang]
    call = " " + w["call_to_pay"].format(callback=callback) if callback else ""
    return w["too_many"] + call


def receipt_line(session: Session, payment: Payment, lang: str) -> str:
    """How the receipt comes, only by channels it can still go by (an opted-out one is dropped
    by the worker), or that the reference shown is the receipt."""
    account = session.get(Account, payment.account_id)
    debtor = session.get(Debtor, account.debtor_id) if account else None
    closed = {
        "sms": debtor is None or debtor.sms_opt_out,
        "email": debtor is None or debtor.email_opt_out,
    }
    channels = sorted(
        {
            message.channel
            for message in session.exec(
                select(OutreachMessage).where(
                    OutreachMessage.account_id == payment.account_id,
                    OutreachMessage.trigger == Trigger.PAYMENT_RECEIPT.value,
                    OutreachMessage.occurrence == f"r{payment.id}",
                    col(OutreachMessage.status) != MessageStatus.DROPPED.value,
                )
            )
            if not closed.get(message.channel, False)
        }
    )
    w = WORDS[lang]
    if not channels:
        return w["receipt_none"]
    named = f" {w['and']} ".join(w[f"channel_{channel}"] for channel in channels)
    return w["receipt_by"].format(channels=named)
