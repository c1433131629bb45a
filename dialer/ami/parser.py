"""Sans-IO AMI parser: bytes in, messages plus leftover bytes out.

No sockets, no clock, no asyncio: the same code parses a live TCP stream, a transcript recorded
from the real Asterisk, and byte literals in unit tests. Messages are split on the blank line
(`\\r\\n\\r\\n`) while still bytes and decoded as UTF-8 only once complete, so a multi-byte
character split across two TCP reads arrives intact (panoramisk decodes each read on its own and
drops such characters). Bytes that are not valid UTF-8 become U+FFFD rather than stopping the
stream: one bad caller name must not take the dialer down.
"""

from __future__ import annotations

from .message import BANNER_PREFIX, Message

_END = b"\r\n\r\n"
_BANNER = BANNER_PREFIX.encode("ascii")
DEFAULT_MAX_MESSAGE_BYTES = 1 << 20


class AmiProtocolError(ValueError):
    """The byte stream cannot be AMI (e.g. a 'message' larger than any Asterisk sends)."""


def parse(buffer: bytes) -> tuple[list[Message], bytes]:
    """Every complete message in `buffer`, and the bytes of the incomplete tail.

    The greeting `Asterisk Call Manager/x.y.z` is a single line with no blank line after it;
    at the start of a stream it is returned as a message of kind `banner`.
    """
    messages: list[Message] = []
    if buffer.startswith(_BANNER):
        line_end = buffer.find(b"\r\n")
        if line_end < 0:
            return messages, buffer
        banner = buffer[:line_end].decode("utf-8", "replace")
        messages.append(Message((("Banner", banner),)))
        buffer = buffer[line_end + 2 :]
    end = buffer.rfind(_END)
    if end < 0:
        return messages, buffer
    # Complete messages end on an ASCII boundary, so they decode together in one call.
    for block in buffer[:end].decode("utf-8", "replace").split("\r\n\r\n"):
        if block:
            pairs = [line.partition(":") for line in block.split("\r\n") if line]
            messages.append(
                Message(tuple([(k, v[1:] if v[:1] == " " else v) for k, _, v in pairs]))
            )
    return messages, buffer[end + 4 :]


class AmiParser:
    """Stateful wrapper over `parse` for a stream: keeps the incomplete tail between feeds."""

    def __init__(self, max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> None:
        self._leftover = b""
        self._max = max_message_bytes

    @property
    def leftover(self) -> bytes:
        """Bytes received that do not yet form a complete message."""
        return self._leftover

    def feed(self, data: bytes) -> list[Message]:
        """Add bytes from the stream; return the messages they complete, in order."""
        messages, self._leftover = parse(self._leftover + data if self._leftover else data)
        if len(self._leftover) > self._max:
            size = len(self._leftover)
            self._leftover = b""
            raise AmiProtocolError(
                f"{size} bytes without a blank line; an AMI message is never this long"
            )
        return messages

    def reset(self) -> None:
        """Forget the tail, for a new connection (its first bytes are a new banner)."""
        self._leftover = b""
