"""Each client's limited-content message, spoken by espeak-ng into a WAV Asterisk can play.

Reg F (12 CFR 1006.2(j)) lets a collector leave a message that cannot disclose the debt to a
third party only if it holds the business name (one that does not say it collects debts), a
request to call back with a number, and how to opt out. The same words play to a live debtor
abandoned after the 2-second wait and to an answering machine. The dialer passes the file's
name to Asterisk per call in `CONCORD_MESSAGE`; a client whose message cannot be made (no
espeak-ng on this machine, a name that mentions debt, no callback number) gets the stock prompt
and a warning naming the field, so a call is never placed without some message.

Files are named by a hash of their words: a changed business name or number makes a new file,
and an unchanged one is not spoken again at every dialer start.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scripts_library.graph import DEBT_WORDS

log = logging.getLogger(__name__)

# What the dialplan plays when no client message exists (asterisk-core-sounds-en).
STOCK_MESSAGE = "please-try-call-later"
# Where Asterisk finds the generated messages: astvarlibdir's sounds, outside the /ci folder
# that start.sh recreates, so a PBX restart keeps them.
ASTERISK_MESSAGES_DIR = "/var/lib/asterisk/sounds/concord"
RATE_HZ = 8000  # format_wav's .wav: 8 kHz mono signed 16-bit
SPEAK_WPM = 160
# The same words reach a machine, so no key is offered in them: a live person hears the key
# offer after it (OPT_OUT_PROMPT, dialer.keypad). A limited-content message names a person to
# reply to (Reg F 1006.2(j)(1)(iii)): the agency's CONCORD_MESSAGE_CONTACT_NAME.
TEXT = (
    "This is a message from {business}. Please call us back at {number}. "
    "To stop these calls, tell us when you call."
)
TEXT_WITH_PERSON = (
    "This is a message from {person} at {business}. Please call {person} back at "
    "{number}. To stop these calls, tell us when you call."
)
# Played before the client's words on each call: a limited-content message names the consumer
# it is for (Reg F 1006.2(j)(1)(i)); that reveals no debt to whoever hears it. One short clip
# per name (espeak takes some 20 ms), kept while in use and pruned after ADDRESSED_KEEP_DAYS.
ADDRESSED = "Hello, this message is for {name}."
ADDRESSED_KEEP_DAYS = 30
NAME_MAX = 80


# What a debtor calling in hears first: who answered, and (all-party-consent states) that the
# call may be recorded, before anyone speaks; then the hold playlist until an agent takes it.
GREETING = (
    "Thank you for calling {agency}. This call may be recorded. "
    "Please hold for the next available representative."
)
# The dialplan's fallback greeting (asterisk-core-sounds-en): it at least says it records.
STOCK_GREETING = "conf-now-recording"
# What a caller no agent can take hears before the tone: their message is recorded apart from
# the call and played back on the lead's page, so they need not hold or call again to be heard.
CLOSING = (
    "Nobody can take your call right now. Please leave your name, a number where we can call "
    "you back, and a short message after the tone, then hang up. You may also call again later."
)
STOCK_CLOSING = "please-try-call-later&vm-intro"
# After the message, to a live person only (a machine would record an offer nobody can take).
# No stock fallback: when these cannot be made the dialplan offers no key, rather than a
# prompt that does not say what the key does.
OPT_OUT_PROMPT = "To stop calls to this number, press 9 now."
OPT_OUT_DONE = "We have noted that you do not want calls or texts at this number. Goodbye."


class MessageError(ValueError):
    """The message cannot be made; the text names the client and the field."""


@dataclass(frozen=True, slots=True)
class ClientMessage:
    client_id: int
    business_name: str
    callback_number: str
    #: The person a debtor may ask for when calling back; "" names none.
    contact_name: str = ""


def spoken_number(number: str) -> str:
    """Digits read one by one in groups (area code, exchange, line), as a person reads them."""
    digits = re.sub(r"\D", "", number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    groups = [digits[:3], digits[3:6], digits[6:]] if len(digits) == 10 else [digits]
    return ", ".join(" ".join(group) for group in groups)


def business_name_problem(name: str) -> str | None:
    """Why `name` cannot be said in a limited-content message, or None when it can."""
    business = name.strip()
    if not business:
        return "business_name is empty"
    if DEBT_WORDS.search(business):
        return (
            f"business_name {business!r} tells a third party about a debt; "
            "a limited-content message needs a name that does not"
        )
    return None


def message_text(client: ClientMessage) -> str:
    """The words of the client's message, or MessageError naming the missing or bad field."""
    business = client.business_name.strip()
    where = f"client {client.client_id}"
    problem = business_name_problem(business)
    if problem is not None:
        raise MessageError(f"{where}: {problem}")
    if len(re.sub(r"\D", "", client.callback_number)) < 7:
        raise MessageError(f"{where}: callback_number {client.callback_number!r} is not a number")
    number = spoken_number(client.callback_number)
    person = client.contact_name.strip()
    if person:
        return TEXT_WITH_PERSON.format(person=person, business=business, number=number)
    return TEXT.format(business=business, number=number)


def hashed(prefix: str, text: str) -> str:
    """A sound's file name from its words: changed words make a new file, not a stale one."""
    return f"{prefix}-{hashlib.sha256(text.encode()).hexdigest()[:10]}"


def sound_name(client: ClientMessage, text: str) -> str:
    return hashed(f"client-{client.client_id}", text)


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Band-limited resampling in the frequency domain: exact for a clip this short, and it
    drops what lies above the new Nyquist frequency instead of folding it back as noise."""
    count = max(1, round(len(samples) * target / rate))
    spectrum = np.fft.rfft(samples.astype(np.float64))
    out = np.fft.irfft(spectrum[: count // 2 + 1], count) * (count / len(samples))
    return np.clip(np.rint(out), -32768, 32767).astype("<i2")


def render(text: str, target: Path) -> None:
    """Speak `text` with espeak-ng into `target`, an 8 kHz mono 16-bit WAV."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise MessageError("espeak-ng is not installed (apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory(prefix="concord-tts-") as tmp:
        spoken = Path(tmp) / "spoken.wav"
        subprocess.run(
            [espeak, "-v", "en-us", "-s", str(SPEAK_WPM), "-w", str(spoken), text],
            check=True,
            capture_output=True,
            timeout=30,
        )
        with wave.open(str(spoken), "rb") as source:
            if source.getnchannels() != 1 or source.getsampwidth() != 2:
                raise MessageError("espeak-ng did not write mono 16-bit audio")
            rate = source.getframerate()
            samples = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
        partial = target.with_suffix(".part")
        with wave.open(str(partial), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE_HZ)
            out.writeframes(resample(samples, rate, RATE_HZ).tobytes())
        partial.replace(target)  # Asterisk never sees half a file


class MessageLibrary:
    """Makes and names the clients' messages.

    `host_dir` is where this process writes; `asterisk_dir` is the same folder as Asterisk
    sees it (they differ when Asterisk runs in a chroot, as on development machines).
    """

    def __init__(self, host_dir: Path, asterisk_dir: str = ASTERISK_MESSAGES_DIR) -> None:
        self.host_dir = host_dir
        self.asterisk_dir = asterisk_dir.rstrip("/")

    @classmethod
    def under_root(cls, asterisk_root: str) -> MessageLibrary:
        """The library for an Asterisk whose filesystem starts at `asterisk_root` ("" = /)."""
        host = Path(asterisk_root or "/") / ASTERISK_MESSAGES_DIR.lstrip("/")
        return cls(host, ASTERISK_MESSAGES_DIR)

    def make(self, client: ClientMessage) -> str:
        """The Playback name of the client's message, made if needed; MessageError if not."""
        text = message_text(client)
        return self._spoken(sound_name(client, text), text, f"client {client.client_id}")

    def _spoken(self, name: str, text: str, whose: str) -> str:
        """The Playback name of `text` spoken into `name`.wav, written once; MessageError
        naming `whose` when it cannot be."""
        target = self.host_dir / f"{name}.wav"
        if not target.exists():
            try:
                self.host_dir.mkdir(parents=True, exist_ok=True)
                render(text, target)
            except (OSError, subprocess.SubprocessError) as exc:
                raise MessageError(f"{whose}: could not write {target}: {exc}") from exc
            log.info("%s written to %s", whose, target)
        return f"{self.asterisk_dir}/{name}"

    def greeting_for(self, agency_name: str) -> str:
        """The Playback name of the greeting a call in hears, made if needed; the stock prompt
        with a warning saying why when it cannot be made."""
        agency = agency_name.strip()
        text = GREETING.format(agency=agency)
        try:
            if not agency:
                raise MessageError("agency_name is empty")
            return self._spoken(hashed("inbound", text), text, "the inbound greeting")
        except MessageError as exc:
            log.warning("inbound greeting not made (%s); callers hear the stock %r", exc,
                        STOCK_GREETING)  # fmt: skip
            return STOCK_GREETING

    def closing(self) -> str:
        """The Playback name of what a caller no agent takes hears before leaving a message;
        the stock prompts, with a warning, when it cannot be made."""
        try:
            return self._spoken("inbound-closing", CLOSING, "the closing message")
        except MessageError as exc:
            log.warning("closing message not made (%s); callers hear the stock %r", exc,
                        STOCK_CLOSING)  # fmt: skip
            return STOCK_CLOSING

    def addressed_to(self, name: str) -> str:
        """The Playback name of the clip that says whom the message is for; "" (the client's
        words alone) when the name is empty, too long to be a name, or cannot be spoken. Using
        a clip again dates it anew, so only clips unused for a month are pruned."""
        spoken = " ".join(name.split())
        if not spoken or len(spoken) > NAME_MAX:
            return ""
        text = ADDRESSED.format(name=spoken)
        clip = hashed("for", text)
        try:
            played = self._spoken(clip, text, "the addressee clip")
        except MessageError as exc:  # no name in the log: it is a debtor's
            log.warning("addressee clip not made (%s); the message plays without the name", exc)
            return ""
        with contextlib.suppress(OSError):
            os.utime(self.host_dir / f"{clip}.wav")
        return played

    def prune_addressed(self, now: float) -> int:
        """Delete the addressee clips unused for ADDRESSED_KEEP_DAYS (`now`: epoch seconds);
        how many went."""
        oldest = now - ADDRESSED_KEEP_DAYS * 86_400
        gone = 0
        for clip in self.host_dir.glob("for-*.wav"):
            with contextlib.suppress(OSError):
                if clip.stat().st_mtime < oldest:
                    clip.unlink()
                    gone += 1
        return gone

    def opt_out_prompts(self) -> tuple[str, str]:
        """The Playback names of the key offer and its confirmation; ("", "") with a warning
        when they cannot be made, and then no key is offered."""
        try:
            prompt, done = (
                self._spoken(hashed("opt-out", text), text, "the opt-out prompt")
                for text in (OPT_OUT_PROMPT, OPT_OUT_DONE)
            )
        except MessageError as exc:
            log.warning("opt-out prompt not made (%s); abandoned calls are offered no key", exc)
            return "", ""
        return prompt, done

    def message_for(self, client: ClientMessage) -> str:
        """The client's message, or the stock prompt with a warning saying why."""
        try:
            return self.make(client)
        except MessageError as exc:
            log.warning("%s; abandoned calls and machines hear the stock %r instead", exc,
                        STOCK_MESSAGE)  # fmt: skip
            return STOCK_MESSAGE
