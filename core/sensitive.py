"""Card, bank account and Social Security numbers in free text, found before it is stored.

A debtor reads a card number aloud to pay, an agent jots it in the call's notes, and a full card
number now sits in plain text in every export, report and backup of the contact log (PCI DSS
forbids storing it unprotected; a Social Security number in the clear is an identity-theft
risk; a bank account number with its routing number is all an ACH debit needs, and NACHA's data
security rule has large originators keep it unreadable at rest). Payments go through the
payment link; notes keep the last four digits at most. An agent is refused (`find_sensitive`)
and retypes; what a debtor texts or emails cannot be sent back, so it is stored with those
numbers and any card security code taken out (`redact`). Pure, so every screen and webhook that
takes free text can ask it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 13-19 digits, in groups split by a space, dash, dot, slash or line break, as people type them.
_CARD = re.compile(r"(?<![\d-])\d(?:(?:[ ./-]|\r?\n)?\d){12,18}(?![\d-])")
# 123-45-6789, 123 45 6789 or 123.45.6789: the shapes an SSN is written in (area 000, 666, 9xx
# never issued).
_SSN_SHAPE = r"(?!000|666|9\d\d)\d{3}([- .])(?!00)\d{2}\1(?!0000)\d{4}"
_SSN = re.compile(rf"(?<![\d-]){_SSN_SHAPE}(?![\d-])")
# Nine digits, run together or split anyhow, right after the words that say what they are.
_SSN_SAID = re.compile(
    r"\b(?:ssn|ss#|social(?:\s+security)?(?:\s+(?:number|no\.?|num|#))?)\W{0,6}(?:is\W{1,3})?"
    r"((?:\d[\s.-]?){8}\d)(?![\d-])",
    re.IGNORECASE,
)
# A card's security code: three or four digits after the words that name it.
_CVV = re.compile(
    r"\b(cvv2?|cvc2?|cid|security\s+code|sec(?:urity)?\s+#)\W{0,6}(\d{3,4})\b", re.IGNORECASE
)

# A bank account number, 6-17 digits (not a date; four are the "last four" a note may keep):
# after the words that say it is one ("checking", "savings", "bank account"), or after
# "account"/"acct" within a few words of a routing number ("routing", "ABA" or "RTN" and nine
# digits). "Account" alone is the client's account number, which agents write in every note.
_DIGITS = r"(?!\d{4}-\d\d?-\d|\d\d?-\d\d?-\d{2,4}\b)(\d(?:[ -]?\d){5,16})(?![\d-])"
_NUMBER_IS = r"(?:\s+(?:number|no\.?|num|#))?\W{0,6}(?:is\W{1,3})?"
_ACCOUNT_WORD = r"(?:account|acct|a/c)"
_BANK_SAID = re.compile(
    rf"\b(?:checking|savings|bank\s+{_ACCOUNT_WORD})(?:\s+{_ACCOUNT_WORD})?{_NUMBER_IS}{_DIGITS}",
    re.IGNORECASE,
)
_ROUTING = re.compile(rf"\b(?:routing|aba|rtn){_NUMBER_IS}\d{{9}}(?!\d)", re.IGNORECASE)
_ACCOUNT_SAID = re.compile(rf"\b{_ACCOUNT_WORD}{_NUMBER_IS}{_DIGITS}", re.IGNORECASE)
# How far (characters) an account number may sit from the routing number it goes with.
_BESIDE_ROUTING = 40


def luhn_ok(digits: str) -> bool:
    """The card-number checksum (ISO/IEC 7812): one mistyped digit fails it."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@dataclass(frozen=True, slots=True)
class Sensitive:
    kind: str  # "card number", "bank account number" or "Social Security number"
    last4: str


def _cards(text: str) -> list[re.Match[str]]:
    found = []
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_ok(digits):
            found.append(match)
    return found


def _ssns(text: str) -> list[tuple[int, int, str]]:
    """(start, end, last four) of each SSN, by its shape or by the words before it."""
    spans = [(m.start(), m.end(), m.group()[-4:]) for m in _SSN.finditer(text)]
    for match in _SSN_SAID.finditer(text):
        start, end = match.span(1)
        if not any(s <= start < e for s, e, _ in spans):
            spans.append((start, end, _last4(match.group(1))))
    return sorted(spans)


def _bank_accounts(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, last four) of each bank account number not inside a span in `taken` (a
    card number named "checking card" is a card number)."""
    spans = [m.span(1) for m in _BANK_SAID.finditer(text)]
    routings = [m.span() for m in _ROUTING.finditer(text)]
    for match in _ACCOUNT_SAID.finditer(text):
        start, end = match.span(1)
        if any(
            start - _BESIDE_ROUTING <= r_end and r_start <= end + _BESIDE_ROUTING
            for r_start, r_end in routings
        ):
            spans.append((start, end))
    found: dict[int, tuple[int, int, str]] = {}
    for start, end in spans:
        if not any(s <= start < e or start <= s < end for s, e in taken):
            found[start] = (start, end, _last4(text[start:end]))
    return sorted(found.values())


def _last4(number: str) -> str:
    return re.sub(r"\D", "", number)[-4:]


def find_sensitive(text: str) -> list[Sensitive]:
    """Every card number (checksum valid, not one digit repeated), bank account number and
    SSN."""
    cards, ssns = _cards(text), _ssns(text)
    taken = [m.span() for m in cards] + [(start, end) for start, end, _ in ssns]
    found = [Sensitive("card number", _last4(m.group())) for m in cards]
    found += [Sensitive("bank account number", last4)
              for _, _, last4 in _bank_accounts(text, taken)]  # fmt: skip
    found += [Sensitive("Social Security number", last4) for _, _, last4 in ssns]
    return found


def refusal(text: str, field: str) -> str | None:
    """Why `text`, typed into `field`, may not be stored (it holds a card, bank account or
    Social Security number), or None: the words every free-text box of the app answers with."""
    found = find_sensitive(text)
    if not found:
        return None
    what = ", ".join(f"a {s.kind} ending {s.last4}" for s in found)
    return (
        f"What you wrote in {field} holds {what}: never write one there (every report and "
        "backup would keep it). Write the last four digits at most; payments go through the "
        "payment link."
    )


def redact(text: str) -> str:
    """`text` with each card, bank account and Social Security number and card security code
    replaced by words saying what was there (a number keeps its last four digits, as a receipt
    does)."""
    cards, ssns = _cards(text), _ssns(text)
    spans = [(m.start(), m.end(), f"[card number ending {_last4(m.group())} removed]")
             for m in cards]  # fmt: skip
    spans += [(start, end, f"[SSN ending {last4} removed]") for start, end, last4 in ssns]
    taken = [(start, end) for start, end, _ in spans]
    spans += [(start, end, f"[bank account number ending {last4} removed]")
              for start, end, last4 in _bank_accounts(text, taken)]  # fmt: skip
    spans += [(m.start(2), m.end(2), "[removed]") for m in _CVV.finditer(text)]
    kept, at = [], 0
    for start, end, words in sorted(spans):
        if start < at:
            continue  # inside one already taken out
        kept += [text[at:start], words]
        at = end
    return "".join([*kept, text[at:]])
