"""A key pressed at the limited-content message: "to stop calls to this number, press 9".

A person the dialer abandoned hears the client's message and then that offer (the dialplan
plays it only when the dialer set the prompt, so no key is promised that nothing hears). The
limited-content message must say how to opt out (Reg F 1006.2(j)), and a person hung up on
should not have to call a collector back to stop the calls; the TCPA asks the same of an
abandoned call's message (47 CFR 64.1200(b)(3), an automated opt-out during the message).

The key is about the line, not about one debt: whoever answered asked this agency not to call
that number. It goes on the agency's do-not-call list (core.stopped_numbers), which the
compliance engine reads for every call and text to it, whichever debtor they are for, placed
now or later. A text is a call under the TCPA, and a revocation by any reasonable means covers
both (the FCC's 2024 order), so the number's autodial consent goes too: calls taken up again
after a lead lifts the request are dialled by a person until the debtor consents again.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from core.stopped_numbers import KEYPAD, stop_number

# What the call's attempt says in its notes, and the list entry's detail.
OPT_OUT_NOTE = "pressed 9 at the message: no more calls to this number"
# Who the list entry, the consent change and the hold history name.
OPT_OUT_BY = "dialer: keypad opt-out"


def stop_calls_to(session: Session, number: str, at: datetime) -> bool:
    """Puts `number` on the do-not-call list (which takes its autodial consent and writes the
    request in the hold history of every debtor holding it); True when the number was not on
    the list yet (a second press changes nothing: the earlier request and its date stand)."""
    if not number:
        return False
    _, new = stop_number(session, number, at, KEYPAD, OPT_OUT_NOTE, OPT_OUT_BY)
    return new
