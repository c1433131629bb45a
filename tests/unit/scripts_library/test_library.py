"""Picking the variant and version of a script for a call, and reading every stored version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scripts_library.library import Library, ScriptNotFound, parse_script


def variant(clean: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data = dict(clean, **fields)
    data["title"] = " ".join(f"{k}={v}" for k, v in sorted(fields.items())) or "base"
    return data


@pytest.fixture
def library(write_script: Callable[..., Path], clean: dict[str, Any]) -> Library:
    write_script(variant(clean), "base.v1.yaml")
    write_script(variant(clean, version=2), "base.v2.yaml")
    write_script(variant(clean, language="es"), "base.es.yaml")
    write_script(variant(clean, client="harbor"), "harbor.yaml")
    write_script(variant(clean, jurisdiction="us_ma"), "ma.yaml")
    write_script(variant(clean, segment="high_balance"), "seg.yaml")
    path = write_script(variant(clean, client="harbor", segment="high_balance"), "harbor_seg.yaml")
    return Library.from_path(path.parent)


def test_default_variant_resolves_to_its_newest_version(library: Library) -> None:
    doc = library.resolve("tiny")
    assert (doc.title, doc.version) == ("version=2", 2)


def test_client_variant_beats_a_jurisdiction_variant(library: Library) -> None:
    doc = library.resolve("tiny", client="harbor", jurisdiction="us_ma")
    assert doc.title == "client=harbor"


def test_jurisdiction_variant_is_used_for_its_profile(library: Library) -> None:
    assert library.resolve("tiny", jurisdiction="us_ma").title == "jurisdiction=us_ma"


def test_most_specific_variant_wins(library: Library) -> None:
    doc = library.resolve("tiny", client="harbor", segment="high_balance")
    assert doc.title == "client=harbor segment=high_balance"


def test_other_clients_never_get_a_clients_own_variant(library: Library) -> None:
    assert library.resolve("tiny", client="acme").title == "version=2"


def test_language_must_match(library: Library) -> None:
    assert library.resolve("tiny", language="es").language == "es"
    with pytest.raises(ScriptNotFound, match="tiny"):
        library.resolve("tiny", language="fr")


def test_every_version_stays_readable(library: Library) -> None:
    old = library.get("tiny", 1, ("default", "en", "default", "default"))
    assert old.version == 1
    default = ("default", "en", "default", "default")
    assert [d.version for d in library.versions("tiny") if d.variant == default] == [1, 2]


def test_broken_file_stops_the_library_with_file_and_field(
    write_script: Callable[..., Path], clean: dict[str, Any]
) -> None:
    clean["version"] = 0
    path = write_script(clean)
    with pytest.raises(ValueError, match=r"tiny.en.v1.yaml: version: Input should be greater"):
        Library.from_path(path.parent)


def test_parse_script_reports_a_non_mapping_document() -> None:
    error = parse_script("- just\n- a list\n", "draft.yaml")
    assert not hasattr(error, "nodes")
    assert "mapping" in getattr(error, "reason", "")


def test_a_node_pasted_twice_is_refused_naming_both_lines() -> None:
    """YAML itself keeps the second node silently: the author reviewed the first."""
    text = "name: x\nnodes:\n  refused:\n    say: Okay.\n  refused:\n    say: Later.\n"

    error = parse_script(text, "draft.yaml")

    assert getattr(error, "where", "") == "line 5"
    assert getattr(error, "reason", "") == (
        "not valid YAML: duplicate key 'refused' (first at line 3)"
    )


@pytest.mark.parametrize("code", ["../../escaped", "a/b", ".hidden", ""])
def test_a_variant_code_that_could_leave_the_scripts_folder_is_refused(
    clean: dict[str, Any], code: str
) -> None:
    import yaml

    error = parse_script(yaml.safe_dump(variant(clean, client=code)), "draft.yaml")
    assert not hasattr(error, "nodes")
    assert "client" in getattr(error, "where", "") + getattr(error, "reason", "")


def test_client_codes_as_clients_spell_them_are_accepted(clean: dict[str, Any]) -> None:
    import yaml

    doc = parse_script(yaml.safe_dump(variant(clean, client="DEMO-NWB")), "draft.yaml")
    assert getattr(doc, "client", None) == "DEMO-NWB"
