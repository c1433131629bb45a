"""The agent websocket's wire contract: the envelope ops and the close codes, named.

Frames are `{"op": ..., "v": 1, "data": {...}}`: domain events pass through as the event
contract frames them (core.events), and the console adds only `hello`. Close codes in the 4000
range tell the browser what to do next; every one of them ends in "load the snapshot again".
"""

from __future__ import annotations

import json
from enum import IntEnum
from typing import Any

from core.events import ENVELOPE_VERSION


class CloseCode(IntEnum):
    NORMAL = 1000
    GOING_AWAY = 1001  # server shutting down: reconnect with backoff
    UNAUTHENTICATED = 4401  # no or expired session: the browser goes to the login page
    FORBIDDEN = 4403  # not an agent, or a cross-site origin: do not retry
    SLOW_CONSUMER = 4429  # the screen fell behind: reconnect, reload the snapshot


def frame(op: str, data: dict[str, Any]) -> str:
    return json.dumps({"op": op, "v": ENVELOPE_VERSION, "data": data})
