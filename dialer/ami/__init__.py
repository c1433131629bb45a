"""AMI for the dialer: a sans-IO parser (`parser`) and a thin asyncio client (`client`).

    client = AmiClient("127.0.0.1", 5038, "concord", "concord-secret")
    await client.start()                      # logged in and FullyBooted
    events = client.subscribe({"OriginateResponse", "Hangup", "UserEvent"})
    await client.originate("Local/+12025550110@concord-sim-pstn", "att-42",
                           context="concord-dialer", exten="s")
    async for item in events:                 # Message, ConnectionLost or Reconciled
        ...

See infra/asterisk/README.md for the dialplan contract the dialer drives through this client.
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
