"""The shipped script set: complete in English and Spanish, and lint clean."""

from __future__ import annotations

import pytest

from scripts_library.fields import sample_context
from scripts_library.library import SHIPPED_DIR, Library
from scripts_library.lint import lint_path
from scripts_library.preview import render_script

SHIPPED = {
    "early_reminder",
    "third_party_first_contact",
    "broken_promise_followup",
    "settlement_offer",
    "hardship",
    "dispute",
    "wrong_party",
    "cease_request",
    "inbound_call",
    "first_contact_options",
}
LIBRARY = Library.from_path()


def test_shipped_scripts_have_no_lint_findings() -> None:
    findings = lint_path(SHIPPED_DIR)
    assert findings == [], "\n".join(str(f) for f in findings)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_shipped_script_exists_in_english_and_spanish(language: str) -> None:
    names = {s.doc.name for s in LIBRARY.scripts if s.doc.language == language}
    assert names == SHIPPED | {"objections"}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_spanish_and_english_offer_the_same_outcomes(name: str) -> None:
    def outcomes(language: str) -> set[str]:
        doc = LIBRARY.resolve(name, language=language)
        return {n.disposition.value for n in doc.nodes.values() if n.disposition}

    assert outcomes("es") == outcomes("en")


def test_every_shipped_node_renders_with_every_field_filled() -> None:
    for loaded in LIBRARY.scripts:
        for node in render_script(loaded.doc, sample_context()):
            assert "{{" not in node.text, f"{loaded.file}: {node.id}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_one_payment_settlement_is_recorded_as_a_settlement_plan_not_a_balance_link(
    language: str,
) -> None:
    """The whole-balance payment link read out after a settlement asked the debtor for twice
    what was agreed, and the promise it ended on left the rest owed."""
    doc = LIBRARY.resolve("settlement_offer", language=language)
    accepted = doc.nodes[doc.nodes["lump_sum"].answers[0].next]

    assert "payment_link" not in accepted.say
    (end,) = {a.next for a in accepted.answers}
    assert doc.nodes[end].disposition is not None and doc.nodes[end].disposition.value == "plan"


@pytest.mark.parametrize("name", sorted(SHIPPED - {"wrong_party", "cease_request"}))
def test_details_that_do_not_match_are_not_suggested_as_a_wrong_number(name: str) -> None:
    """A wrong-number outcome retires the number; a person who will not verify, or gets the
    details wrong, may well be the debtor on their own phone."""
    for language in ("en", "es"):
        doc = LIBRARY.resolve(name, language=language)
        suggested = doc.nodes["no_match"].disposition
        assert suggested is not None and suggested.value == "third_party", (name, language)
