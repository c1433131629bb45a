"""One AMI message (event, response or banner) and the encoding of an action.

AMI messages are ordered `Key: value` lines, and keys repeat: `ChanVariable` once per variable
listed in manager.conf's `channelvars`, `Output` once per line of a `Command` response, `Variable`
once per variable in an `Originate`. A dict would silently keep only one of them, so a message
keeps its headers as an ordered tuple of pairs and offers dict-like lookups on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

MessageKind = Literal["event", "response", "banner", "unknown"]

BANNER_PREFIX = "Asterisk Call Manager/"


@dataclass(frozen=True, slots=True)
class Message:
    """An AMI message as received: headers in wire order, duplicate keys kept.

    Keys are matched exactly (Asterisk's own spelling, e.g. `ActionID`, `Uniqueid`); Asterisk
    is consistent about them, and an exact match keeps lookups cheap on the hot path.
    """

    headers: tuple[tuple[str, str], ...]

    @property
    def kind(self) -> MessageKind:
        """`event` or `response` from the first header; `banner` for the greeting line."""
        if not self.headers:
            return "unknown"
        first = self.headers[0][0]
        if first == "Event":
            return "event"
        if first == "Response":
            return "response"
        if first == "Banner":
            return "banner"
        return "unknown"

    @property
    def name(self) -> str:
        """The event name (`Hangup`), the response status (`Success`) or the banner text."""
        return self.headers[0][1] if self.headers else ""

    @property
    def action_id(self) -> str | None:
        return self.get("ActionID")

    def get(self, key: str, default: str | None = None) -> str | None:
        """The first value of `key`, or `default` when the message lacks it."""
        for k, v in self.headers:
            if k == key:
                return v
        return default

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(f"AMI {self.kind} {self.name!r} has no header {key!r}")
        return value

    def __contains__(self, key: object) -> bool:
        return any(k == key for k, _ in self.headers)

    def get_all(self, key: str) -> list[str]:
        """Every value of a repeated key, in wire order (e.g. `Output` lines)."""
        return [v for k, v in self.headers if k == key]

    def channel_variables(self) -> dict[str, str]:
        """The `channelvars` of the event's main channel, from `ChanVariable: NAME=value`.

        Asterisk writes `ChanVariable(<channel>): NAME=value` in OriginateResponse and plain
        `ChanVariable: NAME=value` elsewhere; both count. Prefixed forms for other channels of a
        two-channel event (`DestChanVariable`) are left to `get_all`.
        """
        found: dict[str, str] = {}
        for k, v in self.headers:
            if k == "ChanVariable" or k.startswith("ChanVariable("):
                name, _, value = v.partition("=")
                found[name] = value
        return found

    def as_dict(self) -> dict[str, str]:
        """First value per key, for logging and simple consumers that know keys do not repeat."""
        found: dict[str, str] = {}
        for k, v in self.headers:
            found.setdefault(k, v)
        return found


def make_message(pairs: Mapping[str, str] | Iterable[tuple[str, str]]) -> Message:
    """A Message from a mapping or pairs, e.g. to build one in a test or a reconciliation."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return Message(tuple((str(k), str(v)) for k, v in items))


def encode_action(
    action: str, headers: Mapping[str, str] | Iterable[tuple[str, str]] = ()
) -> bytes:
    """The bytes of one AMI action. Pairs allow repeated keys (one `Variable` per variable).

    CR or LF inside a key or value would let a caller inject a second action (a dialled
    number taken from an import file, say), so they are refused with the offending field named.
    """
    items = headers.items() if isinstance(headers, Mapping) else headers
    lines = [f"Action: {_clean('Action', action)}"]
    for key, value in items:
        lines.append(f"{_clean('header name', key)}: {_clean(key, str(value))}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def _clean(field: str, text: str) -> str:
    if "\r" in text or "\n" in text:
        raise ValueError(f"AMI header {field!r} contains a line break: {text!r}")
    return text
