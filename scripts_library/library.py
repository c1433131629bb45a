"""Loading script files and picking the right variant and version for a call.

Every version stays on disk as its own file (`NAME.LANG.vN.yaml` by convention; the identity is
read from the file, not its name), so a contact recorded as `settlement_offer@2` can always be
shown exactly as the agent saw it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from core import yaml_strict
from scripts_library.model import DEFAULT, ScriptDoc

SHIPPED_DIR = Path(__file__).resolve().parent / "scripts"
OBJECTIONS = "objections"
# The script an agent reads to a debtor calling in (console.services.script_panel); no campaign
# places calls with it.
CALL_IN_SCRIPT = "inbound_call"


@dataclass(frozen=True)
class LoadError:
    """Why one file could not be read: the file, where in it (line or field path), and why."""

    file: str
    where: str
    reason: str


@dataclass(frozen=True)
class LoadedScript:
    doc: ScriptDoc
    file: str


class ScriptNotFound(LookupError):
    """No variant of the named script fits the call."""


def parse_script(text: str, file: str = "<text>") -> ScriptDoc | LoadError:
    """One YAML document to a script, or an error naming the line or the field that is wrong.

    Pure (text in, value out) so the console editor can validate a draft before it is saved.
    """
    try:
        data = yaml_strict.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "-"
        problem = getattr(exc, "problem", None) or str(exc)
        return LoadError(file, where, f"not valid YAML: {problem}")
    if not isinstance(data, dict):
        return LoadError(file, "-", "a script file must be a YAML mapping (name:, version:, ...)")
    try:
        return ScriptDoc.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "-"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return LoadError(file, where, f"{first['msg']}{more}")


def script_files(path: Path) -> list[Path]:
    """A file, or every *.yaml / *.yml under a folder, in a stable order."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_files(paths: Iterable[Path]) -> tuple[list[LoadedScript], list[LoadError]]:
    loaded: list[LoadedScript] = []
    errors: list[LoadError] = []
    for path in paths:
        result = parse_script(path.read_text(encoding="utf-8"), str(path))
        if isinstance(result, LoadError):
            errors.append(result)
        else:
            loaded.append(LoadedScript(result, str(path)))
    return loaded, errors


def _score(doc: ScriptDoc, client: str, jurisdiction: str, segment: str) -> int | None:
    """How specifically a variant fits; None when it names a different value.

    The client outweighs the jurisdiction, which outweighs the segment: a client's own wording
    is what they signed off, so it wins over a generic variant tuned for a state.
    """
    score = 0
    for have, want, weight in (
        (doc.client, client, 4),
        (doc.jurisdiction, jurisdiction, 2),
        (doc.segment, segment, 1),
    ):
        if have == want:
            score += weight
        elif have != DEFAULT:
            return None
    return score


@dataclass(frozen=True)
class Library:
    """Every loaded script version; resolution is pure over this list."""

    scripts: tuple[LoadedScript, ...]

    @classmethod
    def from_path(cls, path: Path = SHIPPED_DIR) -> Library:
        """Load a folder; refuses to start on a broken file rather than serve part of a set."""
        loaded, errors = load_files(script_files(path))
        if errors:
            first = errors[0]
            raise ValueError(f"{first.file}: {first.where}: {first.reason}")
        return cls(tuple(loaded))

    def names(self) -> list[str]:
        return sorted({s.doc.name for s in self.scripts if s.doc.kind == "script"})

    def versions(self, name: str) -> list[ScriptDoc]:
        return sorted((s.doc for s in self.scripts if s.doc.name == name), key=lambda d: d.version)

    def get(self, name: str, version: int, variant: tuple[str, str, str, str]) -> ScriptDoc:
        """Exactly one stored version, e.g. to replay what a past contact saw."""
        for s in self.scripts:
            if (s.doc.name, s.doc.version, s.doc.variant) == (name, version, variant):
                return s.doc
        raise ScriptNotFound(f"no {name}@{version} for variant {variant}")

    def resolve(
        self,
        name: str,
        *,
        client: str = DEFAULT,
        language: str = "en",
        jurisdiction: str = DEFAULT,
        segment: str = DEFAULT,
    ) -> ScriptDoc:
        """The best variant for the call, at its newest version.

        The language must match: reading an English script to a Spanish speaker is not a
        fallback we want to make silently. Other fields fit exactly or by the `default` variant.
        """
        best: tuple[int, int] | None = None
        chosen: ScriptDoc | None = None
        for s in self.scripts:
            doc = s.doc
            if doc.name != name or doc.language != language:
                continue
            score = _score(doc, client, jurisdiction, segment)
            if score is None:
                continue
            rank = (score, doc.version)
            if best is None or rank > best:
                best, chosen = rank, doc
        if chosen is None:
            raise ScriptNotFound(
                f"no variant of {name!r} in {language!r} fits client={client!r}, "
                f"jurisdiction={jurisdiction!r}, segment={segment!r}"
            )
        return chosen

    def objections(self, *, client: str = DEFAULT, language: str = "en") -> ScriptDoc:
        """The rebuttal set the agent can open from any node of any script in that language."""
        return self.resolve(OBJECTIONS, client=client, language=language)
