"""Each linter finding fires on a script broken in exactly one way, naming file, node and reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scripts_library.language import RULES
from scripts_library.lint import Finding, lint_path


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def test_clean_script_has_no_findings(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    assert lint_path(write_script(clean)) == []


def test_undefined_merge_field_names_file_node_and_field(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["balance"]["say"] = "Your balance is {{ account.amount_due }}."
    path = write_script(clean)
    [finding] = lint_path(path)
    assert (finding.file, finding.node, finding.code) == (str(path), "balance", "undefined_field")
    assert "account.amount_due" in finding.reason


def test_broken_template_syntax_is_a_finding(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["greet"]["say"] = "This call may be recorded. Hi {{ agent.first_name "
    findings = lint_path(write_script(clean))
    assert [(f.node, f.code) for f in findings] == [("greet", "template")]


def test_unreachable_node_is_reported(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["orphan"] = {"kind": "end", "disposition": "callback", "say": "Bye now."}
    [finding] = lint_path(write_script(clean))
    assert (finding.node, finding.code) == ("orphan", "unreachable")


def test_step_without_answers_is_a_dead_end(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["promise"] = {"say": "Thank you."}
    [finding] = lint_path(write_script(clean))
    assert (finding.node, finding.code) == ("promise", "dead_end")
    assert "no answers" in finding.reason


def test_loop_with_no_way_to_an_end_is_a_dead_end(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["balance"]["answers"] = [{"label": "Yes", "next": "again"}]
    clean["nodes"]["again"] = {
        "say": "Your balance is {{ account.balance }}.",
        "answers": [{"label": "Hm", "next": "balance"}],
    }
    del clean["nodes"]["promise"]
    findings = lint_path(write_script(clean))
    trapped = {f.node for f in findings if f.code == "dead_end"}
    assert trapped == {"miranda", "balance", "again"}


def test_answer_to_missing_node_is_reported(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["balance"]["answers"][0]["next"] = "nowhere"
    findings = only(lint_path(write_script(clean)), "bad_target")
    assert [(f.node, "nowhere" in f.reason) for f in findings] == [("balance", True)]


def test_missing_collector_disclosure_node_is_reported(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    del clean["nodes"]["miranda"]
    clean["nodes"]["verify"]["answers"][0]["next"] = "balance"
    findings = only(lint_path(write_script(clean)), "missing_disclosure")
    assert [(f.node, "debt_collector_first" in f.reason) for f in findings] == [("-", True)]


def test_talking_about_the_debt_before_verification_is_reported(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["greet"]["answers"].append({"label": "Skip", "next": "balance"})
    findings = only(lint_path(write_script(clean)), "missing_disclosure")
    skipped = {(f.node, f.reason.rsplit(" ", 1)[-1]) for f in findings}
    assert skipped == {
        (node, disclosure)
        for node in ("balance", "promise")
        for disclosure in ("right_party_verification", "debt_collector_first")
    }


def test_collector_disclosure_before_verification_is_reported(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["greet"]["answers"][0]["next"] = "miranda"
    clean["nodes"]["miranda"]["answers"][0]["next"] = "verify"
    clean["nodes"]["verify"]["answers"][0]["next"] = "balance"
    findings = only(lint_path(write_script(clean)), "missing_disclosure")
    assert [(f.node, f.reason) for f in findings] == [
        ("miranda", "gives debt_collector_first before right_party_verification")
    ]


def test_later_contact_script_with_the_first_contact_disclosure_is_reported(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["contact_type"] = "collector_later_contact"
    findings = lint_path(write_script(clean))
    assert ("miranda", "wrong_disclosure") in {(f.node, f.code) for f in findings}
    assert any(
        f.code == "missing_disclosure" and "debt_collector_later" in f.reason for f in findings
    )


def test_third_party_script_that_names_the_creditor_is_reported(
    write_script: Callable[..., Path],
) -> None:
    script = {
        "name": "tp",
        "version": 1,
        "title": "Third party",
        "language": "en",
        "contact_type": "no_debt_talk",
        "start": "greet",
        "nodes": {
            "greet": {
                "say": "Hi, I am calling from {{ client.name }} for {{ debtor.first_name }}. "
                "This call may be recorded.",
                "answers": [{"label": "Ok", "next": "bye"}],
            },
            "bye": {"kind": "end", "disposition": "third_party", "say": "Thanks, goodbye."},
        },
    }
    [finding] = lint_path(write_script(script))
    assert (finding.node, finding.code) == ("greet", "third_party_disclosure")


@pytest.mark.parametrize(
    ("text", "rule", "language"),
    [
        ("If you do not pay, you could be arrested.", "arrest", "en"),
        ("Si no paga, puede ir a la cárcel.", "arrest", "es"),
        ("We will garnish your wages next month.", "garnishment", "en"),
        ("Vamos a embargar su sueldo.", "garnishment", "es"),
        ("We will sue you if this is not paid.", "lawsuit", "en"),
        ("Le vamos a demandar si no paga.", "lawsuit", "es"),
        ("Our attorney is looking at your file.", "attorney", "en"),
        ("Su caso está con nuestro abogado.", "attorney", "es"),
        ("This is your last chance to pay.", "false_urgency", "en"),
        ("Es su última oportunidad para pagar.", "false_urgency", "es"),
        ("We work with the government on this.", "government", "en"),
        ("This will ruin your credit.", "credit_threat", "en"),
        ("Only a deadbeat does not pay.", "abusive", "en"),
        ("We will call your employer about this.", "disclosure_to_family", "en"),
        # What a script reviewer found passing (real scripts' wording):
        ("If this is not sorted out we will file suit.", "lawsuit", "en"),
        ("We will start legal proceedings.", "lawsuit", "en"),
        ("Hand this to our legal team.", "lawsuit", "en"),
        ("We will take you to small claims.", "lawsuit", "en"),
        ("You could be prosecuted for this.", "arrest", "en"),
        ("They could lock you up.", "arrest", "en"),
        ("We can take your house.", "garnishment", "en"),
        ("We will have to notify your employer.", "disclosure_to_family", "en"),
        ("We will call your mother about this.", "disclosure_to_family", "en"),
        ("You have 24 hours to pay.", "false_urgency", "en"),
        ("Pay the balance today or else.", "false_urgency", "en"),
        ("Le vamos a quitar el sueldo.", "garnishment", "es"),
        ("Vamos a hablar con su jefe.", "disclosure_to_family", "es"),
    ],
)
def test_banned_language_is_reported_in_english_and_spanish(
    write_script: Callable[..., Path],
    clean: dict[str, Any],
    text: str,
    rule: str,
    language: str,
) -> None:
    clean["language"] = language
    clean["nodes"]["balance"]["say"] = text
    findings = only(lint_path(write_script(clean)), "banned_language")
    assert [f.node for f in findings] == ["balance"]
    reason = next(r.reason for r in RULES if r.code == rule)
    assert reason in findings[0].reason


def test_allowance_with_a_reason_permits_one_rule_on_one_node(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["balance"]["say"] = "Do you have an attorney helping you with this debt?"
    clean["nodes"]["balance"]["allow"] = [
        {"rule": "attorney", "reason": "Asks if the consumer has their own lawyer (1692c(a)(2))."}
    ]
    assert only(lint_path(write_script(clean)), "banned_language") == []


def test_allowance_does_not_cover_another_rule(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["balance"]["say"] = "Our attorney says we will sue you."
    clean["nodes"]["balance"]["allow"] = [
        {"rule": "attorney", "reason": "Reviewed by counsel for this client in ticket LEG-12."}
    ]
    findings = only(lint_path(write_script(clean)), "banned_language")
    assert len(findings) == 1 and "'sue'" in findings[0].reason


def test_allowance_without_a_real_reason_is_refused(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["balance"]["allow"] = [{"rule": "lawsuit", "reason": "ok"}]
    [finding] = lint_path(write_script(clean))
    assert finding.code == "invalid"
    assert finding.node == "nodes.balance.allow.0.reason"


def test_unused_allowance_is_reported(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["balance"]["allow"] = [
        {"rule": "lawsuit", "reason": "Client approved suit on this segment, ticket LEG-9."}
    ]
    [finding] = lint_path(write_script(clean))
    assert (finding.node, finding.code) == ("balance", "bad_allowance")


HARD_EN = (
    "Notwithstanding the aforementioned contractual obligations, the outstanding "
    "indebtedness remains enforceable pursuant to applicable regulations."
)
HARD_ES = (
    "No obstante las obligaciones contractuales anteriormente mencionadas, la "
    "responsabilidad patrimonial correspondiente permanece plenamente exigible."
)


def test_hard_english_text_is_above_grade_8(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["promise"]["say"] = HARD_EN
    [finding] = lint_path(write_script(clean))
    assert (finding.node, finding.code) == ("promise", "reading_level")
    assert "above 8" in finding.reason


@pytest.mark.parametrize("say", ["Goodbye.", "Understood.", "Absolutely."])
def test_a_node_of_a_word_or_two_is_not_graded(
    write_script: Callable[..., Path], clean: dict[str, Any], say: str
) -> None:
    clean["nodes"]["promise"]["say"] = say
    assert only(lint_path(write_script(clean)), "reading_level") == []


def test_hard_spanish_text_is_above_grade_8(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["language"] = "es"
    for node in clean["nodes"].values():
        node["say"] = "Gracias. Que tenga un buen día."
    clean["nodes"]["promise"]["say"] = HARD_ES
    findings = only(lint_path(write_script(clean)), "reading_level")
    assert [f.node for f in findings] == ["promise"]


def test_client_reading_grade_is_stricter_than_the_default(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["client"] = "harbor"
    clean["nodes"]["balance"]["say"] = (
        "Your balance is {{ account.balance }}. Would you like to settle it with a "
        "payment arrangement that fits your household budget?"
    )
    path = write_script(clean)
    assert only(lint_path(path), "reading_level") == []
    [finding] = only(lint_path(path, grade_limits={"harbor": 4}), "reading_level")
    assert finding.node == "balance" and "above 4" in finding.reason


def test_two_files_with_the_same_version_are_reported(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    write_script(clean, "a.yaml")
    path = write_script(clean, "b.yaml")
    findings = lint_path(path.parent)
    assert sorted((Path(f.file).name, f.code) for f in findings) == [
        ("a.yaml", "duplicate_version"),
        ("b.yaml", "duplicate_version"),
    ]


def test_invalid_yaml_names_the_line(write_script: Callable[..., Path]) -> None:
    path = write_script("name: x\nversion: 1\nnodes:\n  a: [unclosed\n")
    [finding] = lint_path(path)
    assert finding.code == "invalid" and finding.node.startswith("line ")


def test_unknown_key_names_the_field(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["greet"]["sayy"] = "typo"
    [finding] = lint_path(write_script(clean))
    assert (finding.code, finding.node) == ("invalid", "nodes.greet.sayy")


def test_end_node_without_disposition_is_refused(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    del clean["nodes"]["bye"]["disposition"]
    [finding] = lint_path(write_script(clean))
    assert finding.code == "invalid" and "disposition" in finding.reason


def test_an_answer_that_does_not_complete_the_verification_may_not_lead_to_the_debt(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    """'Will not confirm' on the verification node leads on unverified: whoever picked up
    would hear the balance."""
    clean["nodes"]["verify"]["answers"][1]["next"] = "miranda"

    findings = only(lint_path(write_script(clean)), "missing_disclosure")

    assert {(f.node, f.reason) for f in findings} == {
        ("miranda", "gives debt_collector_first before right_party_verification"),
        *(
            (node, "discusses the debt on a path that skips (or answers without completing) "
             "right_party_verification")
            for node in ("balance", "promise")
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("language", "say", "missing"),
    [
        ("en", "I am calling from {{ agency.name }}.", 3),
        ("en", "We are a debt collector. This is an attempt to collect a debt.", 1),
        ("es", "Somos cobradores de deudas. Es para cobrar una deuda. Usaremos sus datos "
         "para ese fin.", 0),
        ("es", "Le llamo de {{ agency.name }} para cobrar una deuda.", 2),
    ],
)  # fmt: skip
def test_a_mini_miranda_node_must_say_what_the_law_requires_not_only_carry_the_tag(
    write_script: Callable[..., Path],
    clean: dict[str, Any],
    language: str,
    say: str,
    missing: int,
) -> None:
    clean["language"] = language
    clean["nodes"]["miranda"]["say"] = say

    findings = only(lint_path(write_script(clean)), "disclosure_wording")

    assert [f.node for f in findings] == (["miranda"] if missing else [])
    assert all(f.reason.count("; nor ") + 1 == missing for f in findings)


def test_an_allowance_for_a_rule_nothing_makes_lawful_is_refused_and_the_phrase_still_reported(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["nodes"]["balance"]["say"] = "The sheriff will come if you do not pay."
    clean["nodes"]["balance"]["allow"] = [
        {"rule": "government", "reason": "Client decided it, trust me it is fine."}
    ]

    findings = lint_path(write_script(clean))

    assert {(f.code, f.reason.split(":")[0]) for f in findings if f.node == "balance"} == {
        ("bad_allowance", "'government' can never be allowed"),
        ("banned_language", "say"),
    }


def test_the_first_words_must_say_the_call_may_be_recorded(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    """Calls are recorded from the answer; a notice reached after verification left third
    parties recorded without it (all-party-consent states, Cal. Penal Code 632.7)."""
    clean["nodes"]["greet"]["say"] = (
        "Hi, this is {{ agent.first_name }}. Is this {{ debtor.first_name }}?"
    )
    findings = lint_path(write_script(clean))
    assert [(f.node, f.code) for f in findings] == [("greet", "recording_notice")]


def test_a_replaced_version_is_not_held_to_a_rule_that_came_after_it(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    old = {**clean, "nodes": {**clean["nodes"], "greet": {**clean["nodes"]["greet"]}}}
    old["nodes"]["greet"]["say"] = (
        "Hi, this is {{ agent.first_name }}. Is this {{ debtor.first_name }}?"
    )
    newer = {**clean, "version": 2}
    folder = write_script(old, "tiny.en.v1.yaml").parent
    write_script(newer, "tiny.en.v2.yaml")
    assert lint_path(folder) == []
