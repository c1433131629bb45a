"""The disposition codes every client starts with, one or more per outcome category.

A client created by its first placement import could not be worked without them: the outcome
panel lists the client's own codes, and with none an agent cannot save any call. Clients may
rename or add codes later; these are the trade's usual set.
"""

from __future__ import annotations

from core.models import DispositionCategory

# (code, label, category, required fields): every DispositionCategory is covered.
STANDARD_CODES: tuple[tuple[str, str, DispositionCategory, tuple[str, ...]], ...] = (
    ("RPC", "Right party, no arrangement", DispositionCategory.RIGHT_PARTY, ("notes",)),
    ("PTP", "Promise to pay", DispositionCategory.PROMISE, ("promise",)),
    ("PLAN", "Payment plan agreed", DispositionCategory.PLAN, ("plan",)),
    ("REF", "Refused to pay", DispositionCategory.REFUSED, ("notes",)),
    ("WRONG", "Wrong number", DispositionCategory.WRONG_NUMBER, ()),
    ("3RD", "Third party, message taken", DispositionCategory.THIRD_PARTY, ()),
    ("NA", "No answer", DispositionCategory.NO_CONTACT, ()),
    ("BUSY", "Busy", DispositionCategory.NO_CONTACT, ()),
    ("MACH", "Answering machine", DispositionCategory.NO_CONTACT, ()),
    ("CB", "Callback requested", DispositionCategory.CALLBACK, ("callback",)),
    ("DISP", "Debt disputed", DispositionCategory.DISPUTE, ("notes",)),
    ("CEASE", "Cease communication request", DispositionCategory.CEASE, ("notes",)),
    ("DEC", "Debtor deceased", DispositionCategory.DECEASED, ("notes",)),
    ("BK", "Bankruptcy filed", DispositionCategory.BANKRUPTCY, ("notes",)),
    ("ATTY", "Represented by an attorney", DispositionCategory.ATTORNEY, ("notes",)),
)

# The hold an outcome puts on the debt, and whether it is about the one debt or the person.
# A dispute and a cease request are made "with respect to such debt" (FDCPA 1692g(b), 1692c(c)),
# as is an attorney's representation (1692c(a)(2)); a death or a bankruptcy is the debtor's and
# stops the client's other accounts of that debtor too. The compliance engine refuses every
# channel on these flags until someone lifts them (`concord accounts flags`).
FLAG_OF_CATEGORY: dict[DispositionCategory, tuple[str, str]] = {
    DispositionCategory.DISPUTE: ("dispute", "account"),
    # A request to stop contacting them is about the person and the medium, not one debt
    # (1006.14(h)): a cease on one account left the same number called about the other.
    DispositionCategory.CEASE: ("cease", "debtor"),
    DispositionCategory.ATTORNEY: ("attorney", "account"),
    DispositionCategory.DECEASED: ("deceased", "debtor"),
    DispositionCategory.BANKRUPTCY: ("bankruptcy", "debtor"),
}

# Outcomes where the agent spoke with the debtor themselves (a right-party contact): what the
# client report counts and a script test divides by.
RIGHT_PARTY: tuple[str, ...] = tuple(
    c.value
    for c in (
        DispositionCategory.RIGHT_PARTY,
        DispositionCategory.PROMISE,
        DispositionCategory.PLAN,
        DispositionCategory.REFUSED,
        DispositionCategory.DISPUTE,
        DispositionCategory.CEASE,
    )
)
