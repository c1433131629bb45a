"""The script linter: every reason a script must not reach a live call, with file, node and why.

Pure over loaded documents (the CLI and the console's publish button read files or drafts and
call `lint_docs`), so the browser editor shows the very findings CI would fail on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError

from scripts_library.disclosure_words import RECORDING_NOTICE, missing_words
from scripts_library.fields import FIELDS, sample_context
from scripts_library.graph import discusses_debt, reachable, reachable_undisclosed, successors
from scripts_library.language import ALLOWABLE, RULE_CODES, banned_phrases
from scripts_library.library import LoadedScript, load_files, script_files
from scripts_library.model import (
    RESUME,
    ContactType,
    Disclosure,
    Node,
    NodeKind,
    ScriptDoc,
)
from scripts_library.readability import reading_grade
from scripts_library.render import referenced_fields, render_text

DEFAULT_MAX_GRADE = 8.0
WHOLE_FILE = "-"
# Reading-grade formulas average over sentences and words; below this many words they measure
# one word's syllables ("Absolutely." grades 32), so such a node is not graded.
_FEWEST_GRADED_WORDS = 10


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    node: str
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.node}: [{self.code}] {self.reason}"


def _texts(node: Node) -> list[tuple[str, str]]:
    return [("say", node.say), *((f"answer {i + 1}", a.label) for i, a in enumerate(node.answers))]


def _templates(file: str, node_id: str, node: Node) -> list[Finding]:
    findings: list[Finding] = []
    for where, text in _texts(node):
        try:
            fields = referenced_fields(text)
        except TemplateError as exc:
            findings.append(Finding(file, node_id, "template", f"{where}: {exc}"))
            continue
        for name in sorted(fields - FIELDS.keys()):
            findings.append(
                Finding(file, node_id, "undefined_field", f"{where}: unknown merge field {name!r}")
            )
    return findings


def _structure(file: str, doc: ScriptDoc) -> list[Finding]:
    findings: list[Finding] = []
    for node_id, node in doc.nodes.items():
        for i, answer in enumerate(node.answers):
            if answer.next == RESUME:
                if doc.kind == "script":
                    findings.append(
                        Finding(
                            file,
                            node_id,
                            "bad_target",
                            f"answer {i + 1}: @resume only works in an objection set",
                        )
                    )
            elif answer.next not in doc.nodes:
                findings.append(
                    Finding(
                        file,
                        node_id,
                        "bad_target",
                        f"answer {i + 1} leads to missing node {answer.next!r}",
                    )
                )
        if node.kind is not NodeKind.END and not node.answers:
            findings.append(
                Finding(file, node_id, "dead_end", "not an end node and has no answers")
            )
        if node.handler is not None and doc.kind == "script":
            findings.append(
                Finding(file, node_id, "bad_handler", "rebuttals belong in the objection set")
            )
    if doc.kind == "objections" and not doc.entries():
        findings.append(
            Finding(file, WHOLE_FILE, "no_handlers", "an objection set needs nodes with `handler:`")
        )
    seen = reachable(doc, doc.entries())
    for node_id in doc.nodes:
        if node_id not in seen:
            findings.append(
                Finding(file, node_id, "unreachable", "no answer leads here from the start")
            )
    # A node from which no end node (or @resume) can be reached traps the agent in a loop.
    exits = {n for n, node in doc.nodes.items() if node.kind is NodeKind.END}
    exits |= {n for n, node in doc.nodes.items() if any(a.next == RESUME for a in node.answers)}
    finishing = set(exits)
    changed = True
    while changed:
        changed = False
        for node_id in doc.nodes:
            if node_id not in finishing and any(s in finishing for s in successors(doc, node_id)):
                finishing.add(node_id)
                changed = True
    for node_id, node in doc.nodes.items():
        if (
            node_id in seen
            and node_id not in finishing
            and (node.answers or node.kind is NodeKind.END)
        ):
            findings.append(
                Finding(file, node_id, "dead_end", "no path from here reaches an end node")
            )
    return findings


def _disclosures(file: str, doc: ScriptDoc) -> list[Finding]:
    """Every path to a node that discusses the debt passes the required disclosures first."""
    if doc.kind != "script":
        return []
    findings: list[Finding] = []
    assert doc.start is not None
    about_debt = [n for n, node in doc.nodes.items() if discusses_debt(node)]
    if doc.contact_type is ContactType.NO_DEBT_TALK:
        for node_id in about_debt:
            findings.append(
                Finding(
                    file,
                    node_id,
                    "third_party_disclosure",
                    "this script is for third parties but this node reveals the debt",
                )
            )
        return findings
    by_disclosure: dict[Disclosure, set[str]] = {}
    for node_id, node in doc.nodes.items():
        if node.disclosure is not None:
            by_disclosure.setdefault(node.disclosure, set()).add(node_id)
    required = doc.required_disclosures
    for disclosure, holders in by_disclosure.items():
        if disclosure not in required:
            for node_id in sorted(holders):
                findings.append(
                    Finding(
                        file,
                        node_id,
                        "wrong_disclosure",
                        f"{disclosure.value} does not fit contact_type {doc.contact_type.value}",
                    )
                )
    for node_id, node in doc.nodes.items():
        if node.disclosure is None:
            continue
        missing = missing_words(node.disclosure, doc.language, node.say)
        if missing:
            findings.append(
                Finding(
                    file,
                    node_id,
                    "disclosure_wording",
                    f"{node.disclosure.value} does not say {'; nor '.join(missing)}",
                )
            )
    for disclosure in required:
        holders = by_disclosure.get(disclosure, set())
        if not holders:
            findings.append(
                Finding(
                    file,
                    WHOLE_FILE,
                    "missing_disclosure",
                    f"contact_type {doc.contact_type.value} requires a {disclosure.value} node",
                )
            )
            continue
        early = reachable_undisclosed(doc, [doc.start], frozenset(holders))
        for node_id in about_debt:
            if node_id not in early or node_id in holders:
                continue
            other = doc.nodes[node_id].disclosure
            reason = (
                f"gives {other.value} before {disclosure.value}"
                if other is not None
                else "discusses the debt on a path that skips (or answers without completing) "
                f"{disclosure.value}"
            )
            findings.append(Finding(file, node_id, "missing_disclosure", reason))
    return findings


def _language(file: str, node_id: str, node: Node) -> list[Finding]:
    findings: list[Finding] = []
    allowed = {a.rule for a in node.allow}
    used: set[str] = set()
    for allowance in node.allow:
        if allowance.rule not in RULE_CODES:
            findings.append(
                Finding(
                    file, node_id, "bad_allowance", f"no banned-language rule {allowance.rule!r}"
                )
            )
        elif allowance.rule not in ALLOWABLE:
            findings.append(
                Finding(
                    file,
                    node_id,
                    "bad_allowance",
                    f"{allowance.rule!r} can never be allowed: no reason makes it lawful to say "
                    f"(allowable: {', '.join(sorted(ALLOWABLE))})",
                )
            )
            allowed.discard(allowance.rule)
    # Only what the agent says: answer labels are the debtor's words, shown on buttons.
    for hit in banned_phrases(node.say):
        if hit.rule.code in allowed:
            used.add(hit.rule.code)
            continue
        findings.append(
            Finding(file, node_id, "banned_language", f"say: {hit.phrase!r} {hit.rule.reason}")
        )
    for code in sorted(allowed & RULE_CODES - used):
        findings.append(
            Finding(
                file,
                node_id,
                "bad_allowance",
                f"allowance for {code!r} but no such phrase here; remove it",
            )
        )
    return findings


def _reading(file: str, node_id: str, node: Node, language: str, max_grade: float) -> list[Finding]:
    try:
        text = render_text(node.say, sample_context())
    except TemplateError:
        return []  # already reported by the template check
    if len(text.split()) < _FEWEST_GRADED_WORDS:
        return []  # "Understood." grades 20: a formula over sentences says nothing of a word
    grade = reading_grade(text, language)
    if grade > max_grade:
        return [
            Finding(
                file,
                node_id,
                "reading_level",
                f"reads at grade {grade:.1f}, above {max_grade:g}: use shorter words and sentences",
            )
        ]
    return []


def _recording_notice(file: str, doc: ScriptDoc) -> list[Finding]:
    """The first node said must tell whoever answers that the call may be recorded: a notice
    reached only after verification left third parties, and the first seconds of every call,
    recorded without it in all-party-consent states."""
    if doc.kind != "script" or doc.start not in doc.nodes:
        return []
    pattern = RECORDING_NOTICE.get(doc.language)
    said = doc.nodes[doc.start].say
    if pattern is None or re.search(pattern, said, re.IGNORECASE):
        return []
    return [
        Finding(
            file,
            doc.start,
            "recording_notice",
            'the first words must say the call may be recorded ("This call may be recorded."): '
            "calls are recorded from the answer, and states such as California (Penal Code "
            "632.7) need every party's consent",
        )
    ]


def lint_doc(
    file: str, doc: ScriptDoc, max_grade: float = DEFAULT_MAX_GRADE, served: bool = True
) -> list[Finding]:
    """All findings for one script version. A version a newer one of its variant replaced
    (`served` False) is kept to replay what past calls heard and is never read again: rules
    that came after it (the recording notice) are not asked of it."""
    findings = _structure(file, doc) + _disclosures(file, doc)
    if served:
        findings += _recording_notice(file, doc)
    for node_id, node in doc.nodes.items():
        findings += _templates(file, node_id, node)
        findings += _language(file, node_id, node)
        findings += _reading(file, node_id, node, doc.language, max_grade)
    return findings


def lint_docs(
    scripts: Iterable[LoadedScript],
    grade_limits: Mapping[str, float] | None = None,
    default_grade: float = DEFAULT_MAX_GRADE,
    published: Iterable[LoadedScript] = (),
) -> list[Finding]:
    """Findings for a set of scripts; `grade_limits` maps a client code to its reading grade.
    `published` scripts are not linted, only counted when looking for a version given twice
    (the editor lints one draft against the library, not the library again)."""
    scripts = list(scripts)
    limits = grade_limits or {}
    findings: list[Finding] = []
    identities = Counter((s.doc.name, s.doc.variant, s.doc.version) for s in [*scripts, *published])
    newest: dict[tuple[str, tuple[str, str, str, str]], int] = {}
    for s in [*scripts, *published]:
        key = (s.doc.name, s.doc.variant)
        newest[key] = max(newest.get(key, s.doc.version), s.doc.version)
    for loaded in scripts:
        doc = loaded.doc
        if identities[(doc.name, doc.variant, doc.version)] > 1:
            findings.append(
                Finding(
                    loaded.file,
                    WHOLE_FILE,
                    "duplicate_version",
                    f"another file is also {doc.ref} for variant {doc.variant}; bump the version",
                )
            )
        served = doc.version >= newest[(doc.name, doc.variant)]
        findings += lint_doc(loaded.file, doc, limits.get(doc.client, default_grade), served)
    return sorted(findings)


def lint_path(
    path: Path,
    grade_limits: Mapping[str, float] | None = None,
    default_grade: float = DEFAULT_MAX_GRADE,
) -> list[Finding]:
    """Lint a file or folder; unreadable files are findings too, never skipped."""
    files = script_files(path)
    if not files:
        return [Finding(str(path), WHOLE_FILE, "no_scripts", "no .yaml script files found")]
    loaded, errors = load_files(files)
    findings = [Finding(e.file, e.where, "invalid", e.reason) for e in errors]
    return sorted(findings + lint_docs(loaded, grade_limits, default_grade))
