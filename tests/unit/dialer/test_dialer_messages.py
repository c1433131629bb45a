"""Each client's limited-content message: its words, its audio, and the stock fallback."""

from __future__ import annotations

import logging
import os
import time
import wave
from pathlib import Path

import pytest

from dialer.messages import (
    ADDRESSED_KEEP_DAYS,
    GREETING,
    OPT_OUT_PROMPT,
    RATE_HZ,
    STOCK_GREETING,
    STOCK_MESSAGE,
    ClientMessage,
    MessageError,
    MessageLibrary,
    message_text,
    spoken_number,
)
from scripts_library.graph import DEBT_WORDS

ACME = ClientMessage(12, "Acme Services", "+1 (202) 555-0199")


def test_text_names_the_business_the_callback_number_and_how_to_opt_out_without_the_debt() -> None:
    text = message_text(ACME)
    assert "message from Acme Services." in text
    assert "call us back at 2 0 2, 5 5 5, 0 1 9 9." in text
    assert "To stop these calls, tell us when you call." in text
    assert "press" not in text  # no key the dialplan does not listen for
    assert DEBT_WORDS.search(text) is None


def test_a_person_to_ask_for_is_named_when_the_agency_gives_one() -> None:
    text = message_text(ClientMessage(12, "Acme Services", "+1 (202) 555-0199", "Morgan Blake"))
    assert text.startswith("This is a message from Morgan Blake at Acme Services.")
    assert "Please call Morgan Blake back at 2 0 2, 5 5 5, 0 1 9 9." in text


def test_numbers_are_read_digit_by_digit_in_their_groups() -> None:
    assert spoken_number("+12025550199") == "2 0 2, 5 5 5, 0 1 9 9"
    assert spoken_number("0800 123 4567") == "0 8 0 0 1 2 3 4 5 6 7"


@pytest.mark.parametrize(
    ("client", "field"),
    [
        (ClientMessage(3, "Acme Collections", "+12025550199"), "business_name"),
        (ClientMessage(3, "Past-Due Recovery", "+12025550199"), "business_name"),
        # A review's names that got through: each says the caller collects.
        (ClientMessage(3, "Contoso Arrears Team", "+12025550199"), "business_name"),
        (ClientMessage(3, "Contoso Recovery Services", "+12025550199"), "business_name"),
        (ClientMessage(3, "Contoso Receivables", "+12025550199"), "business_name"),
        (ClientMessage(3, "Servicios de Recuperación", "+12025550199"), "business_name"),
        (ClientMessage(3, "  ", "+12025550199"), "business_name"),
        (ClientMessage(3, "Acme", ""), "callback_number"),
    ],
)
def test_a_name_that_reveals_a_debt_or_a_missing_number_is_refused_naming_the_field(
    client: ClientMessage, field: str
) -> None:
    with pytest.raises(MessageError, match=f"client 3: {field}"):
        message_text(client)


def test_message_is_an_8khz_mono_16bit_wav_named_for_asterisk(tmp_path: Path) -> None:
    library = MessageLibrary(tmp_path / "sounds", "/var/lib/asterisk/sounds/concord")
    name = library.make(ACME)
    assert name.startswith("/var/lib/asterisk/sounds/concord/client-12-")
    path = tmp_path / "sounds" / f"{name.rsplit('/', 1)[1]}.wav"
    with wave.open(str(path)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) == (1, 2, RATE_HZ)
        seconds = audio.getnframes() / RATE_HZ
        frames = audio.readframes(audio.getnframes())
    assert 6 < seconds < 20  # the whole sentence, not a clipped word
    assert max(frames) > 0  # speech, not silence


def test_same_words_reuse_the_file_and_new_words_make_a_new_one(tmp_path: Path) -> None:
    library = MessageLibrary(tmp_path, "/m")
    first = library.make(ACME)
    written = (tmp_path / f"{first.removeprefix('/m/')}.wav").stat().st_mtime_ns
    assert library.make(ACME) == first
    assert (tmp_path / f"{first.removeprefix('/m/')}.wav").stat().st_mtime_ns == written
    moved = library.make(ClientMessage(12, "Acme Services", "+13125550188"))
    assert moved != first and len(list(tmp_path.glob("*.wav"))) == 2


def test_without_espeak_the_stock_prompt_plays_and_a_warning_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with caplog.at_level(logging.WARNING, logger="dialer.messages"):
        assert MessageLibrary(tmp_path).message_for(ACME) == STOCK_MESSAGE
    assert "espeak-ng is not installed" in caplog.text
    assert not list(tmp_path.glob("*.wav"))


def test_chroot_root_maps_the_host_folder_to_asterisks_own_path() -> None:
    library = MessageLibrary.under_root("/var/cache/concord-asterisk/root")
    assert library.host_dir == Path(
        "/var/cache/concord-asterisk/root/var/lib/asterisk/sounds/concord"
    )
    assert library.asterisk_dir == "/var/lib/asterisk/sounds/concord"
    assert MessageLibrary.under_root("").host_dir == Path("/var/lib/asterisk/sounds/concord")


def test_the_call_in_greeting_names_the_agency_and_says_the_call_may_be_recorded(
    tmp_path: Path,
) -> None:
    library = MessageLibrary(tmp_path, "/m")
    name = library.greeting_for("Concord Services")
    assert name.startswith("/m/inbound-")
    with wave.open(str(tmp_path / f"{name.removeprefix('/m/')}.wav"), "rb") as spoken:
        assert (spoken.getframerate(), spoken.getnchannels()) == (8000, 1)
        assert spoken.getnframes() > 8000 * 3  # three sentences take seconds to say
    assert "may be recorded" in GREETING and "{agency}" in GREETING
    assert library.greeting_for("  ") == STOCK_GREETING  # no name: the dialplan's stock prompt


def test_the_opt_out_key_is_offered_in_its_own_prompt_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    library = MessageLibrary(tmp_path, "/m")
    offer, done = library.opt_out_prompts()
    assert offer.startswith("/m/opt-out-") and done.startswith("/m/opt-out-") and offer != done
    assert (tmp_path / f"{offer.removeprefix('/m/')}.wav").stat().st_size > 8000 * 2  # 1 s+
    assert "press 9" in OPT_OUT_PROMPT and "number" in OPT_OUT_PROMPT
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with caplog.at_level(logging.WARNING, logger="dialer.messages"):
        assert MessageLibrary(tmp_path / "other").opt_out_prompts() == ("", "")
    assert "offered no key" in caplog.text


def test_each_call_names_the_consumer_in_a_clip_of_its_own_reused_and_pruned_when_unused(
    tmp_path: Path,
) -> None:
    """Reg F's limited-content message names the consumer it is for: one clip per name, said
    before the client's words (which stand alone without it)."""
    library = MessageLibrary(tmp_path, "/m")
    clip = library.addressed_to("  Sandra   Wright ")
    assert clip.startswith("/m/for-")
    wav = tmp_path / f"{clip.removeprefix('/m/')}.wav"
    with wave.open(str(wav), "rb") as spoken:
        assert spoken.getframerate() == RATE_HZ and spoken.getnframes() > RATE_HZ  # a second+
    assert library.addressed_to("Sandra Wright") == clip  # the same words, the same file
    assert library.addressed_to("Maria Lopez") != clip
    assert library.addressed_to(" ") == "" and library.addressed_to("x" * 81) == ""
    month_ago = wav.stat().st_mtime - ADDRESSED_KEEP_DAYS * 86_400 - 60
    os.utime(wav, (month_ago, month_ago))
    client = library.make(ACME)
    assert library.prune_addressed(time.time()) == 1  # Sandra's, unused for a month
    assert not wav.exists()
    assert (tmp_path / f"{client.removeprefix('/m/')}.wav").exists()  # clients' words stay
    library.addressed_to("Maria Lopez")  # used again today: dated anew, kept
    assert library.prune_addressed(time.time()) == 0
