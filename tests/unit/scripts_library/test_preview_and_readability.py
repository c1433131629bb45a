"""The editor's draft preview and the Spanish ease-to-grade mapping."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from scripts_library.preview import preview_draft
from scripts_library.readability import ease_to_grade, reading_grade


def test_clean_draft_is_publishable_and_rendered_with_sample_data(clean: dict[str, Any]) -> None:
    draft = preview_draft(yaml.safe_dump(clean))
    assert draft.publishable
    assert draft.nodes[0].id == "greet"
    assert "Maria" in draft.nodes[0].text


def test_draft_that_fails_lint_cannot_be_published(clean: dict[str, Any]) -> None:
    clean["nodes"]["balance"]["say"] = "Pay now, this is your final notice."
    draft = preview_draft(yaml.safe_dump(clean))
    assert not draft.publishable
    assert [(f.node, f.code) for f in draft.findings] == [("balance", "banned_language")]
    assert any(n.id == "balance" for n in draft.nodes)


def test_unparseable_draft_reports_the_line_and_renders_nothing() -> None:
    draft = preview_draft("name: [oops\n")
    assert not draft.publishable and draft.nodes == ()
    assert draft.findings[0].node.startswith("line ")


def test_draft_with_an_unknown_field_reports_it_and_still_returns() -> None:
    draft = preview_draft(
        yaml.safe_dump(
            {
                "name": "x",
                "version": 1,
                "title": "X",
                "language": "en",
                "contact_type": "no_debt_talk",
                "start": "a",
                "nodes": {
                    "a": {
                        "kind": "end",
                        "disposition": "third_party",
                        "say": "Hi {{ nope }}. This call may be recorded.",
                    }
                },
            }
        )
    )
    assert draft.nodes == ()
    assert [f.code for f in draft.findings] == ["undefined_field"]


def test_flesch_anchor_scores_map_to_their_grades() -> None:
    assert [ease_to_grade(e) for e in (100, 90, 80, 70, 60, 50, 30, 0)] == [
        4,
        5,
        6,
        7,
        9,
        12,
        16,
        18,
    ]


@given(st.floats(min_value=-50, max_value=150), st.floats(min_value=-50, max_value=150))
def test_easier_text_never_maps_to_a_higher_grade(a: float, b: float) -> None:
    easier, harder = max(a, b), min(a, b)
    assert ease_to_grade(easier) <= ease_to_grade(harder)


def test_short_plain_sentences_read_below_grade_8_in_both_languages() -> None:
    assert reading_grade("Hi, this is Sam. Is now a good time to talk?", "en") < 8
    assert reading_grade("Hola, le habla Sam. ¿Tiene un momento?", "es") < 8
