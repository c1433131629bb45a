"""The YAML files admins keep (campaigns, portfolio rules): read whole, checked whole, every
mistake reported with its line and field, so an admin fixes the file without reading code.

A file is one mapping holding one list (`campaigns:`, `portfolios:`, `dispositions:`) of
entries named by their `name` (or `code`); a pydantic model checks it. Pure: text in, a model
or problems out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core import yaml_strict

Model = TypeVar("Model", bound=BaseModel)
Path = tuple[Any, ...]  # a field path in the file, e.g. ("campaigns", 2, "agents", 0)


class NamesNotFound(LookupError):
    """Problems only the database (or a library) can find: names it does not know, a change
    its stored rows forbid. Nothing was written."""

    def __init__(self, problems: list[tuple[Path, str]]) -> None:
        super().__init__(f"{len(problems)} name(s) not found")
        self.problems = problems


@dataclass(frozen=True)
class Change:
    """What applying did to one entry: created, updated (which fields) or unchanged."""

    client: str
    name: str
    action: str
    fields: tuple[str, ...] = ()


class Strict(BaseModel):
    """An entry of an admin file: a misspelt field is a mistake to report, not to ignore."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: its line (when known), the field path, and why."""

    line: int | None
    where: str
    reason: str

    def render(self, source: str) -> str:
        at = f"{source}:{self.line}" if self.line is not None else source
        return f"{at}: {self.where}: {self.reason}" if self.where else f"{at}: {self.reason}"


def _line_of(node: yaml.Node | None, path: Path) -> int | None:
    """The 1-based line of the deepest node of `path` the document has (a missing field points
    at the mapping it belongs in)."""
    line = None if node is None else node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if k.value == part]
            if not found:
                break
            key, node = found[0]
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _where(path: Path, data: Any) -> str:
    """A field path an admin can read: campaigns[2] ('Cards 2026-Q3').schedule.timezone."""
    text = ""
    for i, part in enumerate(path):
        if isinstance(part, int):
            text += f"[{part}]"
            if i == 1 and isinstance(data, dict):
                listed = data.get(path[0])
                entry = listed[part] if isinstance(listed, list) and part < len(listed) else None
                named = entry.get("name", entry.get("code")) if isinstance(entry, dict) else None
                if isinstance(named, str):
                    text += f" ({named!r})"
        else:
            text += ("." if text else "") + str(part)
    return text


def parse(text: str, model: type[Model], list_key: str) -> Model | list[Problem]:
    """`text` checked by `model`, or every problem found (a file with one changes nothing)."""
    try:
        data = yaml_strict.load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return [Problem(None if mark is None else mark.line + 1, "", f"not valid YAML: {problem}")]
    if not isinstance(data, dict):
        return [Problem(1, "", f"the file must be a mapping with a '{list_key}:' list")]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = tuple(error["loc"])
            reason = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                reason = "unknown field (check its spelling)"
            problems.append(Problem(_line_of(root, path), _where(path, data), reason))
        return problems


def problems_at(text: str, found: Sequence[tuple[Path, str]]) -> list[Problem]:
    """Problems found after parsing (names the database does not know), placed on the lines of
    the file `text` they come from."""
    root, data = yaml.compose(text), yaml.safe_load(text)
    return [Problem(_line_of(root, path), _where(path, data), reason) for path, reason in found]


def dump(list_key: str, entries: Sequence[BaseModel]) -> str:
    """The file `parse` reads back to the same entries (defaults and unset fields left out:
    a field with its own serializer, such as a portfolio's rules, is not seen as default)."""
    rows = [
        {
            k: v
            for k, v in entry.model_dump(mode="json", exclude_defaults=True).items()
            if v is not None
        }
        for entry in entries
    ]
    return yaml.safe_dump({list_key: rows}, sort_keys=False, allow_unicode=True, width=100)
