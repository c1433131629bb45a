"""`concord compliance check`: one JSON answer per line, in order, bad lines named and skipped."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from compliance.cli import app

ISSUE_LINE = {
    "id": "c1", "channel": "call", "at": "2026-11-23T12:05:00Z", "profile": "us",
    "to": "+12125550100",
    "debtor": {"addresses": [{"state": "NY", "postal_code": "10001", "country": "US"}],
               "phones": [{"number": "+12125550100", "type": "mobile"}], "emails": [],
               "inconvenient": [{"days": ["sat", "sun"], "start": "00:00", "end": "24:00"}],
               "flags": [], "dnc": False, "sms_opt_out": False, "email_opt_out": False},
    "account": {"id": "A1", "flags": []},
    "history": [{"at": "2026-11-20T15:00:00Z", "channel": "call", "account": "A1",
                 "outcome": "no_answer"}],
}  # fmt: skip
ISSUE_ANSWER = {
    "id": "c1",
    "allowed": False,
    "reasons": ["outside_hours"],
    "next_allowed_at": "2026-11-23T13:00:00Z",
}


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


def test_issue_example_file_gets_the_issue_answer(tmp_path: Path) -> None:
    path = tmp_path / "contacts.jsonl"
    path.write_text(json.dumps(ISSUE_LINE) + "\n")
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert _lines(result.output) == [ISSUE_ANSWER]


def test_stdin_dash_is_read_and_allowed_contact_answers_its_own_instant() -> None:
    noon = {**ISSUE_LINE, "id": 7, "at": "2026-11-23T17:00:00Z"}
    result = CliRunner().invoke(app, ["check", "-"], input=json.dumps(noon) + "\n")
    assert _lines(result.output) == [
        {"id": 7, "allowed": True, "reasons": [], "next_allowed_at": "2026-11-23T17:00:00Z"}
    ]


def test_malformed_lines_are_named_and_the_others_still_answered() -> None:
    bad_state = {**ISSUE_LINE, "id": "c2", "debtor": {"addresses": [{"state": "ZZ"}]}}
    naive = {**ISSUE_LINE, "id": "c3", "at": "2026-11-23T12:05:00"}
    text = "\n".join(
        [json.dumps(bad_state), "{not json", json.dumps(naive), json.dumps(ISSUE_LINE)]
    )
    result = CliRunner().invoke(app, ["check", "-"], input=text + "\n")
    answers = _lines(result.output)
    assert result.exit_code == 1
    assert answers[0] == {
        "id": "c2",
        "error": "debtor.addresses.0.state: 'ZZ' is not a US state or territory code",
    }
    assert answers[1]["id"] is None and str(answers[1]["error"]).startswith(
        "line 2: not valid JSON"
    )
    assert answers[2] == {"id": "c3", "error": "at: Input should have timezone info"}
    assert answers[3] == ISSUE_ANSWER


def test_misspelt_field_is_an_error_rather_than_silently_ignored() -> None:
    typo = {**ISSUE_LINE, "debtor": {**ISSUE_LINE["debtor"], "flag": ["cease"]}}  # type: ignore[dict-item]
    result = CliRunner().invoke(app, ["check", "-"], input=json.dumps(typo) + "\n")
    assert _lines(result.output) == [
        {"id": "c1", "error": "debtor.flag: Extra inputs are not permitted"}
    ]


def test_concord_root_command_mounts_check_under_compliance() -> None:
    from core.cli import app as concord

    result = CliRunner().invoke(concord, ["compliance", "check", "-"], input=json.dumps(ISSUE_LINE))
    assert _lines(result.output) == [ISSUE_ANSWER]
