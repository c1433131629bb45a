"""AMI messages and action encoding: lookups, repeated keys, refused line breaks."""

from __future__ import annotations

import pytest

from dialer.ami import encode_action, make_message


def test_an_action_is_encoded_as_crlf_lines_ending_in_a_blank_line() -> None:
    raw = encode_action("Ping", {"ActionID": "p1"})
    assert raw == b"Action: Ping\r\nActionID: p1\r\n\r\n"


def test_pairs_keep_repeated_variable_headers_for_originate() -> None:
    raw = encode_action("Originate", [("Variable", "A=1"), ("Variable", "B=é")])
    assert raw == "Action: Originate\r\nVariable: A=1\r\nVariable: B=é\r\n\r\n".encode()


def test_a_line_break_in_a_value_is_refused_naming_the_header() -> None:
    with pytest.raises(ValueError, match="'Channel' contains a line break"):
        encode_action("Hangup", {"Channel": "x\r\nAction: Command"})


def test_missing_header_raises_keyerror_naming_the_event_and_key() -> None:
    message = make_message({"Event": "Hangup", "Uniqueid": "a"})
    with pytest.raises(KeyError, match="'Hangup' has no header 'Cause'"):
        message["Cause"]
    assert message.get("Cause", "?") == "?"
    assert "Uniqueid" in message


def test_as_dict_keeps_the_first_value_of_a_repeated_key() -> None:
    message = make_message([("Response", "Success"), ("Output", "1"), ("Output", "2")])
    assert message.as_dict() == {"Response": "Success", "Output": "1"}
    assert message.kind == "response"
