"""Where the console finds call scripts: the shipped set plus versions published in the editor.

Published versions are files too (`<var_dir>/scripts/NAME.LANG.vN.yaml`), so they can be
reviewed and moved into the repository like any other script; nothing is ever overwritten.
"""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings
from scripts_library.library import SHIPPED_DIR, Library, load_files, script_files
from scripts_library.model import ScriptDoc


def published_dir(settings: Settings) -> Path:
    return settings.var_dir / "scripts"


def library_files(settings: Settings) -> list[Path]:
    files: list[Path] = []
    for folder in (SHIPPED_DIR, published_dir(settings)):
        if folder.is_dir():
            files += script_files(folder)
    return files


def load_library(settings: Settings) -> Library:
    """Every readable version; a broken published file stops startup with file and reason."""
    loaded, errors = load_files(library_files(settings))
    if errors:
        first = errors[0]
        raise ValueError(f"{first.file}: {first.where}: {first.reason}")
    return Library(tuple(loaded))


def publish_path(settings: Settings, doc: ScriptDoc) -> Path:
    # Every non-default part of the variant is in the name, so two variants never collide.
    parts = [p for p in (doc.client, doc.jurisdiction, doc.segment) if p != "default"]
    variant = "".join(f".{part}" for part in parts)
    return published_dir(settings) / f"{doc.name}{variant}.{doc.language}.v{doc.version}.yaml"


def write_published(settings: Settings, doc: ScriptDoc, text: str) -> Path:
    """Store a linted version; refuses to replace a file (versions are immutable)."""
    path = publish_path(settings, doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path
