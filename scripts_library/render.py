"""Fill a node's text with merge fields in a sandboxed jinja2 environment.

Scripts are edited in the browser by team leads, so templates run sandboxed (no attribute walks
into Python internals) and with StrictUndefined: a missing field is an error, never a blank that
leaves the agent reading "your balance is ." to a debtor.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.sandbox import SandboxedEnvironment


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """One shared environment; output is plain text (the console escapes it when it renders)."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def render_text(text: str, context: Mapping[str, Any]) -> str:
    """The text as the agent reads it; raises jinja2 errors for bad syntax or missing fields."""
    return environment().from_string(text).render(context)


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name if node.ctx == "load" else None
    if isinstance(node, nodes.Getattr):
        parent = _dotted(node.node)
        return None if parent is None else f"{parent}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        parent = _dotted(node.node)
        return None if parent is None else f"{parent}.{node.arg.value}"
    return None


def _outermost(tree: nodes.Node) -> Iterator[str]:
    """Full dotted paths only: `debtor.first_name`, not also `debtor`."""
    for child in tree.iter_child_nodes():
        if isinstance(child, nodes.Name | nodes.Getattr | nodes.Getitem):
            path = _dotted(child)
            if path is not None:
                yield path
                continue
        yield from _outermost(child)


def referenced_fields(text: str) -> set[str]:
    """Every merge field a template reads, as dotted names; raises TemplateSyntaxError."""
    tree = environment().parse(text)
    return {path for path in _outermost(tree) if not path.startswith("loop")}
