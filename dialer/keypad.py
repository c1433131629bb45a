"""A key pressed at the limited-content message: "to stop calls to this number, press 9".

A person the dialer abandoned hears the client's message and then that offer (the dialplan
plays it only when the dialer set the prompt, so no key is promised that nothing hears). The
limited-content message must say how to opt out (Reg F 1006.2(j)), and a person hung up on
should not have to call a collector back to stop the calls; the TCPA asks the same of an
abandoned call's message (47 CFR 64.1200(b)(3), an automated opt-out during the message).

The key is about the line, not about one debt: whoever answered asked this agency not to call
that number, so every debtor's phone row holding it stops taking calls (`Phone.no_calls_at`,
which the compliance engine refuses from then). Texts and email follow their own opt-outs.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from core.models import Phone

# Who stamped the phone rows (`updated_by`), and what the call's attempt says in its notes.
OPT_OUT_BY = "dialer: keypad opt-out"
OPT_OUT_NOTE = "pressed 9 at the message: no more calls to this number"


def stop_calls_to(session: Session, number: str, at: datetime) -> list[int]:
    """Stop calls to `number` on every phone row holding it; the debtors whose rows changed.
    A row already stopped keeps its first date (the earlier request stands)."""
    if not number:
        return []
    changed: list[int] = []
    rows = session.exec(
        select(Phone).where(Phone.number == number, col(Phone.no_calls_at).is_(None))
    )
    for phone in rows:
        phone.no_calls_at, phone.updated_at, phone.updated_by = at, at, OPT_OUT_BY
        session.add(phone)
        changed.append(phone.debtor_id)
    return changed
