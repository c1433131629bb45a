"""AMI for the dialer: a sans-IO parser (`parser`) and a thin asyncio client (`client`).

    client = AmiClient("127.0.0.1", 5038, "concord", "concord-secret")
    await client.start(timeout=15)            # logged in and FullyBooted, or raises
    events = client.subscribe({"OriginateResponse", "Hangup", "UserEvent", "ConfbridgeJoin"})
    await client.originate("Local/+12025550110@concord-sim-pstn", "att-42",
                           context="concord-dialer", exten="s", timeout_ms=30_000,
                           variables={"CONCORD_MACHINE": "message"})
    async for item in events:                 # Message, ConnectionLost or Reconciled
        ...                                   # e.g. on UserEvent ConcordLive:
        await client.redirect("att-42", context="concord-connect", exten="1001")

The API, all on `AmiClient`:
- `start(timeout)`, `close()`, `async with`; `connected`, `wait_connected()`, `sessions`.
- `subscribe(names | None) -> Subscription`: every matching event plus every notice, in wire
  order, unbounded (read it, or `close()` it). Notices: `ConnectionLost(at, reason)` when a
  session ends, `Reconciled(at, restarted, live, ended, untracked)` after each reconnect.
- `originate(channel, channel_id, *, context, exten, ...)`: queued async; returns the Response,
  the outcome comes as an `OriginateResponse` event with `Uniqueid == channel_id`.
- `send_action(name, headers)` -> Message; `send_list_action(name, headers)` -> ListResult;
  `redirect`, `hangup`, `ping`, `live_channels`. Errors: `AmiActionError` (Asterisk said
  Error), `AmiConnectionLost` (no response: the action may have run; trust the next
  `Reconciled`), `AmiLoginError`. Actions sent while reconnecting wait for the next session.
- `tracked`: originated ChannelIds whose end was not seen; `track(id)` / `forget(id)`.

No domain logic here: what an outcome means for an attempt belongs to the dialer service. See
infra/asterisk/README.md for the dialplan contract (UserEvents, variables, numbering plan).
"""

from .client import (
    AmiActionError,
    AmiClient,
    AmiConnectionLost,
    AmiError,
    AmiLoginError,
    Delivery,
    ListResult,
    Subscription,
)
from .message import Message, encode_action, make_message
from .parser import AmiParser, AmiProtocolError, parse
from .reconcile import ConnectionLost, Notice, Reconciled, reconcile

__all__ = [
    "AmiActionError",
    "AmiClient",
    "AmiConnectionLost",
    "AmiError",
    "AmiLoginError",
    "AmiParser",
    "AmiProtocolError",
    "ConnectionLost",
    "Delivery",
    "ListResult",
    "Message",
    "Notice",
    "Reconciled",
    "Subscription",
    "encode_action",
    "make_message",
    "parse",
    "reconcile",
]
