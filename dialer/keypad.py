"""A key pressed at the limited-content message: "to stop calls to this number, press 9".

A person the dialer abandoned hears the client's message and then that offer (the dialplan
plays it only when the dialer set the prompt, so no key is promised that nothing hears). The
limited-content message must say how to opt out (Reg F 1006.2(j)), and a person hung up on
should not have to call a collector back to stop the calls; the TCPA asks the same of an
abandoned call's message (47 CFR 64.1200(b)(3), an automated opt-out during the message).

The key is about the line, not about one debt: whoever answered asked this agency not to call
that number, so every debtor's phone row holding it stops taking calls (`Phone.no_calls_at`,
which the compliance engine refuses from then). A text is a call under the TCPA, and a
revocation by any reasonable means covers both (the FCC's 2024 order): the number's autodial
consent goes, and a debtor for whom it is a mobile is opted out of texts, as a STOP text does.
Email follows its own opt-out.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from core.holds import record_change
from core.models import Account, Debtor, Phone
from core.models.parties import KEYPAD_OPT_OUT_BY
from outreach.optouts import record_opt_out

# What the call's attempt says in its notes (the phone rows are stamped KEYPAD_OPT_OUT_BY).
OPT_OUT_NOTE = "pressed 9 at the message: no more calls to this number"
KEYPAD_SOURCE = "keypad"  # the OptOut row's source: the evidence of a text opt-out it made


def stop_calls_to(
    session: Session, number: str, at: datetime, account_id: int | None = None
) -> list[int]:
    """Stop calls and texts to `number` on every phone row holding it; the debtors whose rows
    changed. A row already stopped keeps its first date (the earlier request stands). The
    account called (`account_id`) keeps the request in its hold history."""
    if not number:
        return []
    account = session.get(Account, account_id) if account_id else None
    if account is not None:
        record_change(session, account, "no_calls", "set", "debtor",
                      f"{number}: pressed 9 at the message", KEYPAD_OPT_OUT_BY, at)  # fmt: skip
    changed: list[int] = []
    for phone in session.exec(select(Phone).where(Phone.number == number)).all():
        if phone.no_calls_at is not None and not phone.consent:
            continue  # stopped, with no consent left to take: a second press changes nothing
        if phone.no_calls_at is None:
            phone.no_calls_at = at
            changed.append(phone.debtor_id)
        phone.consent = False
        phone.updated_at, phone.updated_by = at, KEYPAD_OPT_OUT_BY
        session.add(phone)
        debtor = session.get(Debtor, phone.debtor_id) if phone.type == "mobile" else None
        if debtor is not None and not debtor.sms_opt_out:
            record_opt_out(session, debtor, "sms", number, KEYPAD_SOURCE, at, OPT_OUT_NOTE)
    return changed
