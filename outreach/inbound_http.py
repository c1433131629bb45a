"""The mail provider's webhook for replies to our emails: `POST /webhooks/email/inbound` with
the raw message (message/rfc822, as Mailgun's, SendGrid's or Postmark's inbound routes can post
it) and the shared token in `X-Concord-Token` or `?token=`.

A reply is the debtor's writing: kept with the texts, its own words read by the same rules (a
dispute, a lawyer, a request to stop holds the debtor until a lead reads it), and a bare
"unsubscribe" or "stop" opts the address out of email at once, as the link in every email does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request

from outreach.inbound import debtors_of, hold_for_review, store_text
from outreach.inbound_email import NotAnEmail, read_reply
from outreach.optouts import is_stop, record_opt_out
from outreach.payments_http import Ctx, Db, webhook_token

router = APIRouter(tags=["outreach"])
#: A forwarded message larger than this is refused: replies are words, not attachments.
MAX_BYTES = 2_000_000


@router.post("/webhooks/email/inbound")
async def email_inbound(
    request: Request,
    ctx: Ctx,
    db: Db,
    x_concord_token: Annotated[str, Header()] = "",
    token: str = "",
) -> dict[str, Any]:
    webhook_token(x_concord_token or token, ctx.config.email_webhook_token)
    raw = await request.body()
    if len(raw) > MAX_BYTES:
        raise HTTPException(413, f"the message is over {MAX_BYTES} bytes")
    try:
        reply = read_reply(raw)
    except NotAnEmail as exc:
        raise HTTPException(400, f"not an email: {exc}") from None
    now = ctx.clock()
    said = reply.body or reply.subject
    opted = []
    if is_stop(said):
        for debtor in debtors_of(db, reply.sender):
            if not debtor.email_opt_out:
                record_opt_out(db, debtor, "email", reply.sender, "email_reply", now, said[:200])
                opted.append(debtor.id)
    text = store_text(
        db, reply.sender, reply.to, reply.text, now, opted_out=bool(opted), channel="email",
        read_as=said,
    )  # fmt: skip
    hold_for_review(db, text, now)
    return {"opted_out": bool(opted), "debtors": len(opted), "concern": text.concern}
