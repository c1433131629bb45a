"""A whole script filled with one context: the preview command and the editor's live preview.

`preview_draft` is what the browser editor calls on every keystroke batch: it never raises on bad
input, it returns the parse error or the lint findings next to whatever could be rendered, so a
lead sees exactly why a change cannot be published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateError

from scripts_library.fields import sample_context
from scripts_library.graph import walk_order
from scripts_library.library import LoadedScript, parse_script
from scripts_library.lint import DEFAULT_MAX_GRADE, Finding, lint_docs
from scripts_library.model import ScriptDoc
from scripts_library.session import OBJECTION_PREFIX, RenderedNode, render_node


def render_script(doc: ScriptDoc, context: Mapping[str, Any]) -> list[RenderedNode]:
    """Every node in reading order (entries first, then breadth-first)."""
    prefix = OBJECTION_PREFIX if doc.kind == "objections" else ""
    return [render_node(prefix + n, doc.nodes[n], context) for n in walk_order(doc)]


def format_preview(doc: ScriptDoc, nodes: list[RenderedNode]) -> str:
    """Plain text for a terminal: node, what to say, and the answers with where they lead."""
    lines = [f"{doc.title} ({doc.ref}, {doc.language}, client={doc.client})", ""]
    for node in nodes:
        tag = node.kind.value
        if node.disclosure:
            tag += f": {node.disclosure.value}"
        if node.disposition:
            tag += f" -> disposition {node.disposition}"
        lines.append(f"[{node.id}] ({tag})")
        lines.append(f"  {node.text}")
        if node.note:
            lines.append(f"  note: {node.note}")
        lines.extend(f"    {a.index + 1}. {a.label} -> {a.next}" for a in node.answers)
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class DraftPreview:
    """The editor's view of a draft: what could be rendered and every reason not to publish."""

    doc: ScriptDoc | None
    nodes: tuple[RenderedNode, ...]
    findings: tuple[Finding, ...]

    @property
    def publishable(self) -> bool:
        return self.doc is not None and not self.findings


def preview_draft(
    text: str,
    context: Mapping[str, Any] | None = None,
    max_grade: float = DEFAULT_MAX_GRADE,
    file: str = "<draft>",
) -> DraftPreview:
    """Parse, lint and render a draft; never raises on bad input."""
    parsed = parse_script(text, file)
    if not isinstance(parsed, ScriptDoc):
        return DraftPreview(None, (), (Finding(file, parsed.where, "invalid", parsed.reason),))
    findings = lint_docs([LoadedScript(parsed, file)], default_grade=max_grade)
    try:
        nodes = tuple(render_script(parsed, sample_context() if context is None else context))
    except TemplateError:
        nodes = ()  # the findings already name the broken node
    return DraftPreview(parsed, nodes, tuple(findings))
