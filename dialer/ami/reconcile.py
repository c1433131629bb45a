"""What the client tells its subscribers about the connection itself, and the reconciliation.

While the AMI connection is down, Asterisk keeps running calls (or restarts and loses them all)
and the events about them are gone for good. After every reconnect the client lists the live
channels (`CoreShowChannels`) and compares them with the ChannelIds it originated and has not
yet seen end. The comparison is a pure function, so its cases are tested without a PBX.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .message import Message


@dataclass(frozen=True, slots=True)
class ConnectionLost:
    """The AMI session ended; events until the next `Reconciled` are lost.

    `at` is the client's monotonic clock; `reason` says what broke (EOF, ping timeout, ...).
    """

    at: float
    reason: str


@dataclass(frozen=True, slots=True)
class Reconciled:
    """After a reconnect: where every originated, not-yet-ended ChannelId stands.

    - `live`: still up on Asterisk; value = its `CoreShowChannel` entry (state, context, exten,
      application, bridge). Keep following it: its later events arrive normally.
    - `ended`: gone while the connection was down (or never started), so its Hangup, and maybe
      its OriginateResponse, will never be seen: settle it from what was already known.
    - `untracked`: live channels this client did not originate (the other leg of a Local
      channel, a softphone, another process's calls), for the caller to match if it wants.
    - `restarted`: Asterisk itself restarted (its startup time changed): every call was lost.
    """

    at: float
    restarted: bool
    live: Mapping[str, Message]
    ended: frozenset[str]
    untracked: Mapping[str, Message] = field(default_factory=dict)


Notice = ConnectionLost | Reconciled


def reconcile(
    tracked: Iterable[str], channels: Iterable[Message], *, restarted: bool, at: float
) -> Reconciled:
    """Split `tracked` ChannelIds by the `CoreShowChannel` events of the live channels."""
    by_id = {ch["Uniqueid"]: ch for ch in channels if "Uniqueid" in ch}
    tracked_ids = set(tracked)
    live = {cid: by_id[cid] for cid in tracked_ids if cid in by_id}
    ended = frozenset(tracked_ids - live.keys())
    untracked = {uid: ch for uid, ch in by_id.items() if uid not in tracked_ids}
    return Reconciled(at=at, restarted=restarted, live=live, ended=ended, untracked=untracked)
