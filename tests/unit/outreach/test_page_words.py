"""Which language the payment pages speak, and that each language has every word."""

from __future__ import annotations

import pytest

from outreach.page_words import WORDS, page_language
from outreach.render import LANGUAGES


def test_every_language_messages_are_sent_in_has_every_page_word() -> None:
    assert set(WORDS) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert WORDS[lang].keys() == WORDS["en"].keys(), lang


@pytest.mark.parametrize(
    ("chosen", "preferred", "accept", "expected"),
    [
        ("en", "es", "es-MX", "en"),  # the switch wins
        ("", "es", "en-US", "es"),  # then the debtor's own language
        ("fr", "pt", "es-US,es;q=0.9", "es"),  # unknown ones fall to the browser
        ("", None, "de-DE, ES;q=0.5", "es"),
        ("", None, "", "en"),
    ],
)
def test_the_switch_then_the_debtor_then_the_browser_then_english(
    chosen: str, preferred: str | None, accept: str, expected: str
) -> None:
    assert page_language(chosen, preferred, accept) == expected
