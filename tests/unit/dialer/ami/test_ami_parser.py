"""The sans-IO AMI parser, on byte literals and on transcripts recorded from the real Asterisk."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialer.ami import AmiParser, AmiProtocolError, parse

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "ami"
TRANSCRIPTS = sorted(FIXTURES.glob("*.ami"))

HANGUP = (
    b"Event: Hangup\r\nPrivilege: call,all\r\nChannel: Local/+12025550110@concord-sim-pstn-1;1\r\n"
    b"Uniqueid: att-1\r\nChanVariable: CONCORD_CALL_ID=att-1\r\nChanVariable: CONCORD_AGENT=\r\n"
    b"Cause: 16\r\nCause-txt: Normal Clearing\r\n\r\n"
)


def test_a_complete_event_is_parsed_with_its_headers_in_wire_order() -> None:
    messages, leftover = parse(HANGUP)
    assert leftover == b""
    [hangup] = messages
    assert hangup.kind == "event"
    assert hangup.name == "Hangup"
    assert hangup["Uniqueid"] == "att-1"
    assert hangup.headers[0] == ("Event", "Hangup")
    assert hangup.headers[-1] == ("Cause-txt", "Normal Clearing")


def test_duplicate_chanvariable_keys_are_all_kept() -> None:
    [hangup], _ = parse(HANGUP)
    assert hangup.get_all("ChanVariable") == ["CONCORD_CALL_ID=att-1", "CONCORD_AGENT="]
    assert hangup.channel_variables() == {"CONCORD_CALL_ID": "att-1", "CONCORD_AGENT": ""}


def test_originate_response_chanvariable_with_channel_suffix_counts_as_a_variable() -> None:
    raw = (
        b"Event: OriginateResponse\r\nResponse: Success\r\nUniqueid: att-2\r\n"
        b"ChanVariable(Local/1@x-1;1): CONCORD_AGENT=1001\r\n\r\n"
    )
    [event], _ = parse(raw)
    assert event.channel_variables() == {"CONCORD_AGENT": "1001"}


def test_an_incomplete_message_stays_in_leftover_until_its_blank_line_arrives() -> None:
    messages, leftover = parse(HANGUP[:-2])
    assert messages == []
    assert leftover == HANGUP[:-2]
    parser = AmiParser()
    assert parser.feed(HANGUP[:-2]) == []
    assert [m.name for m in parser.feed(b"\r\n")] == ["Hangup"]
    assert parser.leftover == b""


def test_the_banner_line_is_its_own_message_before_the_first_response() -> None:
    stream = b"Asterisk Call Manager/11.0.0\r\nResponse: Success\r\nActionID: a1\r\n\r\n"
    messages, leftover = parse(stream)
    assert [(m.kind, m.name) for m in messages] == [
        ("banner", "Asterisk Call Manager/11.0.0"),
        ("response", "Success"),
    ]
    assert messages[1].action_id == "a1"
    assert leftover == b""


def test_a_banner_without_its_line_end_waits_in_leftover() -> None:
    assert parse(b"Asterisk Call Man") == ([], b"Asterisk Call Man")


def test_repeated_output_lines_of_a_command_response_are_kept_in_order() -> None:
    raw = b"Response: Success\r\nActionID: c\r\nOutput: line one\r\nOutput: line: two\r\n\r\n"
    [response], _ = parse(raw)
    assert response.get_all("Output") == ["line one", "line: two"]


def test_an_empty_value_and_a_value_without_space_after_the_colon_are_read() -> None:
    [event], _ = parse(b"Event: X\r\nAccountCode: \r\nDNID:\r\nData:a:b\r\n\r\n")
    assert event.get("AccountCode") == ""
    assert event.get("DNID") == ""
    assert event.get("Data") == "a:b"


def test_a_utf8_character_split_across_two_reads_is_decoded_whole() -> None:
    name = "José 日本 🙂".encode()
    raw = b"Event: Newchannel\r\nCallerIDName: " + name + b"\r\n\r\n"
    cut = raw.index("🙂".encode()) + 2  # inside the 4-byte emoji
    parser = AmiParser()
    assert parser.feed(raw[:cut]) == []
    [event] = parser.feed(raw[cut:])
    assert event["CallerIDName"] == "José 日本 🙂"


def test_invalid_utf8_becomes_a_replacement_character_instead_of_stopping_the_stream() -> None:
    [bad, good], _ = parse(b"Event: A\r\nCallerIDName: \xff\xfe\r\n\r\n" + HANGUP)
    assert bad["CallerIDName"] == "\ufffd\ufffd"
    assert good.name == "Hangup"


def test_stray_blank_lines_between_messages_do_not_make_empty_messages() -> None:
    messages, _ = parse(HANGUP + b"\r\n\r\n" + HANGUP)
    assert [m.name for m in messages] == ["Hangup", "Hangup"]


def test_a_tail_longer_than_the_limit_is_refused_with_its_size() -> None:
    parser = AmiParser(max_message_bytes=64)
    with pytest.raises(AmiProtocolError, match="100 bytes without a blank line"):
        parser.feed(b"x" * 100)
    assert parser.leftover == b""


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.name)
def test_a_recorded_transcript_parses_completely_with_nothing_left_over(path: Path) -> None:
    messages, leftover = parse(path.read_bytes())
    assert leftover == b""
    assert messages[0].kind == "banner"
    assert all(m.kind in {"event", "response"} for m in messages[1:])
    assert messages[-1].name == "Goodbye"


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.name)
@given(cuts=st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=400))
def test_a_transcript_fed_in_arbitrary_chunks_yields_the_same_messages(
    path: Path, cuts: list[int]
) -> None:
    data = path.read_bytes()
    whole, _ = parse(data)
    parser = AmiParser()
    got = []
    position = 0
    for size in cuts:
        got.extend(parser.feed(data[position : position + size]))
        position += size
    got.extend(parser.feed(data[position:]))
    assert got == whole
    assert parser.leftover == b""


def test_the_recorded_caller_name_survives_every_possible_split_point() -> None:
    data = (FIXTURES / "connect_agent.ami").read_bytes()
    start = data.index("José".encode()) - 20
    window = data[: start + 60]
    whole, _ = parse(window + b"\r\n\r\n")
    for cut in range(start, start + 60):
        parser = AmiParser()
        got = parser.feed(window[:cut]) + parser.feed(window[cut:] + b"\r\n\r\n")
        assert got == whole, cut
