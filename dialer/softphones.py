"""Simulated agent softphones, for development and demos without real SIP phones.

On a live floor each agent's softphone dials its own agent number and sits in its conference
(`concord-agents` in infra/asterisk/extensions.conf). `concord up` has no phones, so it seats a
simulated one per demo agent on the same path: a Local channel that answers and stays off-hook,
joined to `concord-agent-<extension>`. The dialer then sees those agents as dialable once they
go ready in the console, exactly as it would with a real phone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable

from dialer.ami import AmiActionError, AmiClient, Message
from dialer.translate import AGENT_BRIDGE_PREFIX, AGENT_CONTEXT

SOFTPHONE_CONTEXT = "concord-sim-softphone"
log = logging.getLogger(__name__)


async def seat_softphones(
    ami: AmiClient, extensions: Iterable[str], timeout: float = 10.0
) -> set[str]:
    """Seat a simulated softphone in each extension's conference; returns those that joined."""
    wanted = set(extensions)
    joined: set[str] = set()
    events = ami.subscribe({"ConfbridgeJoin"})
    try:
        stamp = time.monotonic_ns() % 10**9
        for extension in sorted(wanted):
            try:
                await ami.originate(
                    f"Local/{extension}@{SOFTPHONE_CONTEXT}",
                    f"softphone-{extension}-{stamp}",
                    context=AGENT_CONTEXT,
                    exten=extension,
                )
            except AmiActionError as exc:  # no such extension: reported by the caller
                log.warning("softphone for extension %s refused: %s", extension, exc)
        deadline = time.monotonic() + timeout
        while joined != wanted and (left := deadline - time.monotonic()) > 0:
            try:
                event = await asyncio.wait_for(events.get(), left)
            except TimeoutError:
                break
            conference = event.get("Conference") if isinstance(event, Message) else None
            if conference and conference.startswith(AGENT_BRIDGE_PREFIX):
                joined.add(conference.removeprefix(AGENT_BRIDGE_PREFIX))
    finally:
        events.close()
    return joined & wanted


SIM_CALLER_CONTEXT = "concord-sim-caller"
INBOUND_CONTEXT = "concord-inbound"


async def simulated_call_in(ami: AmiClient, caller: str, our_number: str, stays: int) -> str:
    """A debtor on the simulated network dials `our_number` from `caller` ("" withholds the
    number) and stays on the line `stays` seconds; returns the call's id."""
    call_id = f"in-sim-{time.monotonic_ns() % 10**12}"
    await ami.originate(
        f"Local/{stays}@{SIM_CALLER_CONTEXT}", call_id, context=INBOUND_CONTEXT,
        exten=our_number, caller_id=caller,
    )  # fmt: skip
    return call_id
