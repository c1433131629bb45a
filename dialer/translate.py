"""Raw AMI in, dialer facts out: the only place that knows event names and header spellings.

Pure, so recorded transcripts from the real Asterisk replay through it in unit tests. The facts
follow the dialplan contract of infra/asterisk/extensions.conf: `ConcordAnswered`, `ConcordAmd`,
`ConcordLive`, `ConcordAbandoned`, `ConcordMachine`, `ConcordOptOut` (a key pressed at the
message) user events carry the call's ChannelId in `CallId`, as do a debtor's call in
(`ConcordInbound`, `ConcordInboundMissed`, `ConcordMessage`); an agent's softphone and a
connected debtor both show up as `ConfbridgeJoin` into `concord-agent-<extension>`, told apart
by the context the channel is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from dialer.ami import Message

AGENT_BRIDGE_PREFIX = "concord-agent-"
AGENT_CONTEXT = "concord-agents"
# The two legs of a team lead listening in (dialer.listening): in a bridge, but no debtor.
LISTEN_CONTEXT, LISTEN_LEAD_CONTEXT = "concord-listen", "concord-listen-lead"


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing that happened. `kind` is one of:

    seen, ringing, originate_failed, answered, amd, live, abandoned, machine, joined, left, hangup,
    agent_joined, agent_left, inbound (a call in: detail the recording, number the caller's),
    missed (a call in that no agent took in time), greeted (its greeting has played), message
    (the caller of a missed call in left a message: detail the file, `seconds` its length).
    """

    kind: str
    uid: str  # the call's ChannelId, or the agent leg's Uniqueid
    at: datetime
    detail: str = ""  # reason / cause / recording / AMD status / machine action
    extension: str = ""  # the agent bridge involved, for joined/left/agent_*
    number: str = ""  # the caller's number, for inbound
    dialled: str = ""  # the number they dialled (our DID), for inbound
    seconds: int = 0  # a message's length, for message


def ami_time(message: Message) -> datetime:
    """Asterisk's own `Timestamp` (manager.conf timestampevents=yes); the receive time is not
    used, so a replayed transcript yields the same attempt times."""
    stamp = message.get("Timestamp")
    if stamp is None:
        raise ValueError(f"AMI {message.name} has no Timestamp: set timestampevents=yes")
    return datetime.fromtimestamp(float(stamp), UTC)


def _h(message: Message, key: str, default: str = "") -> str:
    return message.get(key) or default


_USER_EVENTS = {
    "ConcordAnswered": ("answered", "Recording"),
    "ConcordAmd": ("amd", "Status"),
    "ConcordLive": ("live", ""),
    "ConcordAbandoned": ("abandoned", ""),
    "ConcordMachine": ("machine", "Action"),
    "ConcordInbound": ("inbound", "Recording"),
    "ConcordInboundMissed": ("missed", ""),
    "ConcordGreeted": ("greeted", "Status"),
    "ConcordMessage": ("message", "File"),
    "ConcordOptOut": ("opt_out", "Key"),
}


def translate(message: Message) -> Fact | None:
    """The fact an event reports, or None when the dialer does not care about it."""
    name = message.name
    if name == "UserEvent":
        spec = _USER_EVENTS.get(_h(message, "UserEvent"))
        call_id = message.get("CallId")
        if spec is None or not call_id:
            return None
        kind, key = spec
        detail = _h(message, key) if key else ""
        seconds = _h(message, "Seconds")
        return Fact(
            kind, call_id, ami_time(message), detail,
            number=_h(message, "From"), dialled=_h(message, "To"),
            seconds=int(seconds) if seconds.isdigit() else 0,
        )  # fmt: skip
    if name == "OriginateResponse":
        uid = _h(message, "Uniqueid")
        if not uid or uid == "<unknown>" or message.get("Response") == "Success":
            return None
        return Fact("originate_failed", uid, ami_time(message), _h(message, "Reason", "0"))
    if name == "Newstate" and message.get("ChannelStateDesc") == "Ringing":
        return Fact("ringing", _h(message, "Uniqueid"), ami_time(message))
    if name == "Newchannel":
        return Fact("seen", _h(message, "Uniqueid"), ami_time(message))
    if name == "Hangup":
        return Fact("hangup", _h(message, "Uniqueid"), ami_time(message), _h(message, "Cause"))
    if name in ("ConfbridgeJoin", "ConfbridgeLeave"):
        conference = _h(message, "Conference")
        if not conference.startswith(AGENT_BRIDGE_PREFIX):
            return None
        if message.get("Context") in (LISTEN_CONTEXT, LISTEN_LEAD_CONTEXT):
            return None  # a lead listening in: neither a softphone nor a debtor
        extension = conference.removeprefix(AGENT_BRIDGE_PREFIX)
        agent_leg = message.get("Context") == AGENT_CONTEXT
        joined = name == "ConfbridgeJoin"
        kind = (
            ("agent_joined" if joined else "agent_left")
            if agent_leg
            else ("joined" if joined else "left")
        )
        return Fact(kind, _h(message, "Uniqueid"), ami_time(message), extension=extension)
    return None


EVENTS = frozenset(
    {
        "UserEvent",
        "OriginateResponse",
        "Newchannel",
        "Newstate",
        "Hangup",
        "ConfbridgeJoin",
        "ConfbridgeLeave",
    }
)
