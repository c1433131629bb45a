"""YAML read strictly: a key given twice in one mapping is an error naming both lines.

PyYAML keeps the last of two equal keys without a word, so a copy-pasted script node or a
campaign's `dial_mode:` written twice silently replaced what the author reviewed above it.
"""

from __future__ import annotations

from typing import Any

import yaml


class DuplicateKey(yaml.MarkedYAMLError):
    """A mapping repeats a key; `problem_mark` is the second one."""


class _StrictLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                seen = first_line.get(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if seen is not None:
                raise DuplicateKey(
                    problem=f"duplicate key {key!r} (first at line {seen})",
                    problem_mark=key_node.start_mark,
                )
            first_line[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load(text: str) -> Any:
    """`yaml.safe_load`, but a repeated key raises DuplicateKey (a yaml.YAMLError)."""
    return yaml.load(text, Loader=_StrictLoader)
