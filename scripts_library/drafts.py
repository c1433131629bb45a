"""Starting a new version of a published script: which variant, and the draft's version.

A script is published per variant (client, language, jurisdiction, segment), and each variant
has its own versions. The editor opened "the newest version" of a name, which was whichever
variant sorted last (the Spanish one for every shipped script), and opened it as it was
published, so its first lint already said the version was taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scripts_library.library import Library, LoadedScript
from scripts_library.model import DEFAULT

_VERSION_LINE = re.compile(r"^version:[ \t]*\d+[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Variant:
    """One variant of a script at its newest version, as the editor lists it."""

    key: str
    label: str
    newest: LoadedScript


def _label(loaded: LoadedScript) -> str:
    doc = loaded.doc
    where = [doc.language] + [
        f"{kind} {value}"
        for kind, value in (("client", doc.client), ("for", doc.jurisdiction),
                            ("segment", doc.segment))
        if value != DEFAULT
    ]  # fmt: skip
    return f"{doc.name} ({', '.join(where)}) v{doc.version}"


def variants(library: Library) -> list[Variant]:
    """Every variant of every script (and objection set) at its newest version, by name with
    English first."""
    newest: dict[tuple[str, tuple[str, str, str, str]], LoadedScript] = {}
    for loaded in library.scripts:
        doc = loaded.doc
        key = (doc.name, doc.variant)
        if key not in newest or newest[key].doc.version < doc.version:
            newest[key] = loaded
    ordered = sorted(newest.items(), key=lambda item: (item[0][0], item[0][1][1] != "en", item[0]))
    return [Variant("|".join((name, *variant)), _label(loaded), loaded)
            for (name, variant), loaded in ordered]  # fmt: skip


def pick(found: list[Variant], key: str, name: str) -> Variant | None:
    """The variant asked for by key, or a name's first variant (English when there is one)."""
    for variant in found:
        if variant.key == key or (not key and variant.newest.doc.name == name):
            return variant
    return None


def next_version_draft(text: str, newest: int) -> str:
    """The published text as the draft of the next version: its `version:` line bumped."""
    return _VERSION_LINE.sub(f"version: {newest + 1}", text, count=1)
