"""A team lead listening in on an agent's calls, from the lead's own phone.

Coaching starts with hearing the call. The lead's softphone sits in its own conference, as an
agent's does, so listening is one Originate of a Local channel pair: one leg joins the agent's
conference muted (the `concord_listener` profile: admin, so the two-member bridge admits it,
and gone when the agent leaves), the other joins the lead's, so the lead hears the agent and
the debtor and neither hears the lead. The lead stays reserved while listening: a transfer
then says the lead is on another call instead of being dropped by a full bridge.

The console asks over `concord:listen_requests`, `{"lead_id": 3, "agent_id": 7, "action":
"listen"}` or `{"lead_id": 3, "action": "stop"}`; the dialer answers in the hash
`concord:listening` (lead id -> ListenState as JSON), which the lead page reads as it polls.
A restarted dialer hangs up the pairs it finds in that hash (`reset`): it no longer holds
their leads, so a transfer could reach a full bridge; the lead presses Listen again.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from core.events import LISTENING_KEY, ListenState
from dialer import store
from dialer.ami import AmiError
from dialer.translate import LISTEN_CONTEXT, LISTEN_LEAD_CONTEXT

if TYPE_CHECKING:
    from dialer.service import DialerService

log = logging.getLogger(__name__)


class ListenRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    lead_id: int
    action: Literal["listen", "stop"]
    agent_id: int | None = None


def parse_listen_request(raw: bytes | str) -> ListenRequest | None:
    """The request, or None (logged) when it cannot be read: it names no lead to answer."""
    try:
        return ListenRequest.model_validate_json(raw)
    except ValidationError as exc:
        log.warning("listen request %r dropped: %s", raw, exc)
        return None


class Listening:
    """Who listens to whom (lead id -> (listen channel id, agent id)), on the dialer's floor."""

    def __init__(self, service: DialerService) -> None:
        self.service = service
        self.sessions: dict[int, tuple[str, int]] = {}

    async def handle(self, request: ListenRequest) -> None:
        if request.action == "stop" or request.agent_id is None:
            await self.stop(request.lead_id)
            return
        await self.stop(request.lead_id)  # a lead moving to another agent
        why = await self._start(request.lead_id, request.agent_id)
        if why:
            await self._say(request.lead_id, request.agent_id, False, why)

    async def _start(self, lead_id: int, agent_id: int) -> str:
        """Starts listening; "" when started, else why not, in the lead's words."""
        service, floor = self.service, self.service.floor
        unknown = [a for a in (lead_id, agent_id) if a not in floor.extensions]
        if unknown:  # a lead never sets a console state, so the agent refresh skips them
            floor.extensions.update(await service.db(lambda s: store.agent_extensions(s, unknown)))
        if not floor.present(lead_id):
            return "your phone is not connected: dial your own number, then press Listen again"
        if lead_id in floor.reserved:
            return "you are on a call: listen in once it has ended"
        if not floor.present(agent_id):
            return "the agent's phone is not connected"
        listen_id = f"listen-{lead_id}-{uuid.uuid4().hex[:12]}"
        floor.reserve(lead_id, listen_id)
        try:
            await service.ami.originate(
                f"Local/{floor.extension(agent_id)}@{LISTEN_CONTEXT}/n",
                listen_id,
                context=LISTEN_LEAD_CONTEXT,
                exten=floor.extension(lead_id),
            )
        except AmiError as exc:
            floor.release(lead_id, listen_id)
            return f"the phone system refused: {exc}"
        self.sessions[lead_id] = (listen_id, agent_id)
        await self._say(lead_id, agent_id, True, channel=listen_id)
        log.info("lead %s listening to agent %s (%s)", lead_id, agent_id, listen_id)
        return ""

    async def stop(self, lead_id: int) -> None:
        session = self.sessions.pop(lead_id, None)
        await self.service.redis.hdel(LISTENING_KEY, str(lead_id))
        if session is None:
            return
        listen_id, _ = session
        self.service.floor.release(lead_id, listen_id)
        await self._hang_up(listen_id)

    async def ended(self, uid: str) -> bool:
        """Whether a hung-up channel was a listen pair's (the agent left, the PBX ended it);
        the lead is free again and the page says so."""
        for lead_id, (listen_id, agent_id) in list(self.sessions.items()):
            if uid == listen_id:
                del self.sessions[lead_id]
                self.service.floor.release(lead_id, listen_id)
                await self._say(lead_id, agent_id, False, "the listening line ended")
                return True
        return False

    async def reset(self) -> None:
        """Hangs up the listen pairs a previous dialer left (see the module docstring)."""
        kept = await self.service.redis.hgetall(LISTENING_KEY)
        for raw in kept.values():
            channel = ListenState.model_validate_json(raw).channel
            if channel:
                await self._hang_up(channel)
        await self.service.redis.delete(LISTENING_KEY)

    async def _hang_up(self, listen_id: str) -> None:
        try:
            await self.service.ami.send_action("Hangup", {"Channel": listen_id, "Cause": "16"})
        except AmiError as exc:  # gone already (the agent logged out)
            log.info("listen %s: hangup: %s", listen_id, exc)

    async def _say(
        self, lead_id: int, agent_id: int, on: bool, message: str = "", channel: str = ""
    ) -> None:
        state = ListenState(
            agent_id=agent_id, listening=on, message=message, since=datetime.now(UTC),
            channel=channel,
        )  # fmt: skip
        await self.service.redis.hset(LISTENING_KEY, str(lead_id), state.model_dump_json())
