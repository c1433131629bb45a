"""Finding a rebuttal by keyword: the search box on the script panel.

Accents and case are folded so "no puedo pagar" finds "No puedo pagar" typed fast without the
tilde; handlers are ranked by how many of the typed words their keywords and title contain.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from scripts_library.model import ScriptDoc


@dataclass(frozen=True)
class Rebuttal:
    handler: str
    title: str
    keywords: tuple[str, ...]
    score: int


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Words too common to tell one objection from another.
_STOPWORDS = frozenset(
    {
        "the",
        "and",
        "you",
        "your",
        "this",
        "that",
        "are",
        "not",
        "que",
        "los",
        "las",
        "una",
        "por",
        "para",
        "con",
    }
)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _terms(text: str) -> set[str]:
    return {w for w in _words(text) if len(w) > 2 and w not in _STOPWORDS}


def list_rebuttals(objections: ScriptDoc) -> list[Rebuttal]:
    """Every handler in the set, in file order (the panel's list before anything is typed)."""
    return [
        Rebuttal(node_id, node.handler.title, node.handler.keywords, 0)
        for node_id, node in objections.nodes.items()
        if node.handler is not None
    ]


def search_rebuttals(objections: ScriptDoc, query: str) -> list[Rebuttal]:
    """Handlers matching `query`, best first; a whole keyword phrase typed counts double."""
    wanted = _terms(query)
    if not wanted:
        return list_rebuttals(objections)
    folded_query = " ".join(_words(query))
    found: list[Rebuttal] = []
    for rebuttal in list_rebuttals(objections):
        haystack = _terms(" ".join((rebuttal.title, *rebuttal.keywords)))
        score = len(wanted & haystack)
        score += sum(2 for k in rebuttal.keywords if " ".join(_words(k)) in folded_query)
        if score:
            found.append(Rebuttal(rebuttal.handler, rebuttal.title, rebuttal.keywords, score))
    return sorted(found, key=lambda r: -r.score)
