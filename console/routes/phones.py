"""A team lead lifts a debtor's request not to be called on a number, from the account page.

The request (said to an agent, or 9 pressed at an abandoned call's message) stops the number at
once; the debtor may later ask to be called there again. A lead on the floor has no shell for
`concord accounts holds --calls-ok`: this is the same change, with the same reason kept in the
hold history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import RedirectResponse, Response

from console.deps import CsrfChecked, DbSession, LeadUser, Now
from console.services.access import AccountNotFound, visible_account
from core.holds import HoldError, change_holds
from core.models import Client, Phone

router = APIRouter(tags=["phones"])


@router.post("/accounts/{account_id}/phones/{phone_id}/calls-ok", dependencies=[CsrfChecked])
def calls_ok_again(
    account_id: int,
    phone_id: int,
    user: LeadUser,
    db: DbSession,
    now: Now,
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        account = visible_account(db, user, account_id)
    except AccountNotFound:
        raise HTTPException(404, "No such account.") from None
    phone = db.get(Phone, phone_id)
    client = db.get(Client, account.client_id)
    if phone is None or phone.debtor_id != account.debtor_id or client is None:
        raise HTTPException(404, "No such phone on this account.")
    try:
        change_holds(db, client.code, account.client_account_number, add=[], lift=[],
                     actor=user.username, now=now, calls_ok=[phone.number],
                     reason=reason)  # fmt: skip
    except HoldError as exc:
        raise HTTPException(400, str(exc)) from None
    db.commit()
    return RedirectResponse(f"/accounts/{account_id}#phones", status_code=303)
