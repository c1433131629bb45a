"""What a collector disclosure node must say, in each language scripts are written in.

The tag on a node (`disclosure: debt_collector_first`) is what the console counts as done, so a
node tagged but shortened by a client's marketing pass ("I am calling from Acme") would mark the
mini-Miranda given while the debtor never heard it: 1692e(11) on every first call. Plain-language
wording is fine; what must be heard is the fact, so each requirement is a pattern, not a text.
"""

from __future__ import annotations

import re

from scripts_library.model import Disclosure

_COLLECTOR = ("that the caller is a debt collector", {
    "en": r"\bdebt[- ]collect(?:or|ors|ion)\b",
    "es": r"\bcobrador(?:es|a|as)? de deudas?\b|\bagencia de cobr\w+\b",
})  # fmt: skip
_ATTEMPT = ("that this is an attempt to collect a debt", {
    "en": r"\b(?:attempt(?:ing)?|trying|calling|call is) to collect a debt\b",
    "es": r"\b(?:para|intento de|intentando) cobrar una deuda\b",
})  # fmt: skip
_PURPOSE = ("that what the debtor says will be used for that purpose", {
    "en": r"\b(?:that|this) purpose\b",
    "es": r"\b(?:ese|este) (?:fin|propósito)\b",
})  # fmt: skip

REQUIRED_WORDS: dict[Disclosure, tuple[tuple[str, dict[str, str]], ...]] = {
    Disclosure.DEBT_COLLECTOR_FIRST: (_COLLECTOR, _ATTEMPT, _PURPOSE),
    Disclosure.DEBT_COLLECTOR_LATER: (_COLLECTOR,),
}


def missing_words(disclosure: Disclosure, language: str, say: str) -> list[str]:
    """What `say` leaves out of `disclosure` in `language`, in the linter's words (empty when it
    says everything, or when the disclosure prescribes no words: right-party verification)."""
    text = " ".join(say.split())
    return [
        what
        for what, patterns in REQUIRED_WORDS.get(disclosure, ())
        if language in patterns and not re.search(patterns[language], text, re.IGNORECASE)
    ]


#: The words that tell whoever answers that the call may be recorded, per language. Calls are
#: recorded from the answer, and California (Penal Code 632.7), Florida, Illinois, Maryland,
#: Massachusetts, Pennsylvania and Washington, among others, need every party's consent: the
#: notice is the first thing said, so staying on the line is consent (scripts_library.lint).
RECORDING_NOTICE: dict[str, str] = {
    "en": r"\b(?:call|conversation) (?:may|will|might) be recorded\b",
    "es": r"\b(?:llamada|conversaci[oó]n) (?:puede|podr[aá]|ser[aá]) (?:ser )?grabada\b",
}
