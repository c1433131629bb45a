"""Requests from the agent console: preview (click-to-dial) dials and call controls.

A preview dial is human-initiated, so it may reach numbers the predictive modes may not
(mobiles without consent), but never without the compliance engine: a "no" goes back to the
agent with every reason, in words, and the time the account may next be called. Call controls
are one AMI action each on the debtor's channel, keyed by the call id the screen got in
CallConnected.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import TYPE_CHECKING, Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlmodel import Session

from compliance.reasons import explain
from core.events import ENVELOPE_VERSION, LISTEN_REQUESTS_KEY, agent_channel
from core.models import Account
from dialer import gate, store
from dialer.ami import AmiError
from dialer.calls import Call
from dialer.commands import (
    CALL_COMMANDS_KEY,
    DIAL_REQUESTS_KEY,
    BadRequest,
    CallCommand,
    DialRequest,
    parse_call_command,
    parse_dial_request,
)
from dialer.listening import parse_listen_request

if TYPE_CHECKING:
    from dialer.service import DialerService

# Call ids of preview calls start with this; a restarted dialer knows them by it (dialer.adopt).
PREVIEW_PREFIX = "cp-"

log = logging.getLogger(__name__)

# The dialplan context a debtor on hold waits in (its exten is the agent's bridge number, so
# taking the call off hold is a Redirect back to concord-connect with the same exten).
HOLD_CONTEXT = "concord-hold"


def refusal(op: str, message: str, **data: Any) -> str:
    return json.dumps({"op": op, "v": ENVELOPE_VERSION, "data": {"message": message, **data}})


#: How long to wait before asking Redis again after it failed to answer.
REDIS_RETRY_S = 1.0


async def next_request(redis: Redis[bytes]) -> tuple[bytes, bytes] | None:
    """The next dial request or call command, waiting up to a second; None when there is none
    or Redis did not answer. A Redis stall (a paused process, a failover, a full disk) once
    ended the dialer, and with it every live call on the floor: the requests wait in Redis, so
    asking again a moment later loses nothing."""
    try:
        popped = await redis.blpop(
            [DIAL_REQUESTS_KEY, CALL_COMMANDS_KEY, LISTEN_REQUESTS_KEY], timeout=1
        )
    except RedisError as exc:
        log.warning("Redis did not answer (%s); asking again in %.0f s", exc, REDIS_RETRY_S)
        await asyncio.sleep(REDIS_RETRY_S)
        return None
    if popped is None:
        return None
    key, value = popped
    return key, value


class ConsoleRequests:
    def __init__(self, service: DialerService) -> None:
        self.service = service

    async def run(self, stopping: asyncio.Event) -> None:
        redis = self.service.redis
        while not stopping.is_set():
            popped = await next_request(redis)
            if popped is None:
                continue
            raw_key, raw = popped
            key = raw_key.decode()
            try:
                if key == LISTEN_REQUESTS_KEY:
                    if (listen := parse_listen_request(raw)) is not None:
                        await self.service.listening.handle(listen)
                elif key == DIAL_REQUESTS_KEY:
                    await self.dial(parse_dial_request(raw))
                else:
                    await self.command(parse_call_command(raw))
            except BadRequest as exc:
                log.warning("%s", exc)
                if exc.agent_id is not None:
                    op = "dial_refused" if key == DIAL_REQUESTS_KEY else "command_refused"
                    await self._tell(exc.agent_id, refusal(op, str(exc)))
            except Exception:
                log.exception("could not handle %s request %r", key, raw)

    async def _tell(self, agent_id: int, frame: str) -> None:
        await self.service.notifier.publish_raw(agent_channel(agent_id), frame)

    # -- preview dials --------------------------------------------------------------------------

    async def dial(self, request: DialRequest) -> None:
        service = self.service
        now = service.clock()
        floor = service.floor
        if request.agent_id not in floor.extensions:  # clicked before the next agent refresh
            agent = request.agent_id
            floor.extensions.update(await service.db(lambda s: store.agent_extensions(s, [agent])))
        if request.agent_id in floor.reserved or not floor.present(request.agent_id):
            raise BadRequest(
                "dial refused: your phone is not connected or you are already on a call",
                request.agent_id,
            )

        def check(session: Session) -> tuple[Any, int, str, str] | None:
            account = session.get(Account, request.account_id)
            if account is None:
                return None
            verdict = gate.decide_call(session, account, request.number, now)
            return (verdict, account.debtor_id, store.machine_action(session, account.id or 0),
                    store.debtor_name(session, account.debtor_id))  # fmt: skip

        try:
            checked = await service.db(check)
        except gate.ContactDataError as exc:
            raise BadRequest(f"dial refused: {exc}", request.agent_id) from exc
        if checked is None:
            raise BadRequest(f"account_id: no account {request.account_id}", request.agent_id)
        verdict, debtor_id, machine, addressee = checked
        decision = verdict.decision
        if not decision.allowed:
            await self._tell(
                request.agent_id,
                refusal(
                    "dial_refused",
                    "The compliance engine does not allow this call now.",
                    account_id=request.account_id,
                    number=request.number,
                    reasons=[str(r) for r in decision.reasons],
                    explanations=[explain(r) for r in decision.reasons],
                    next_allowed_at=(
                        decision.next_allowed_at.isoformat() if decision.next_allowed_at else None
                    ),
                ),
            )
            return
        call = Call(
            call_id=f"{PREVIEW_PREFIX}{uuid.uuid4().hex[:24]}",
            campaign_id=request.campaign_id,
            account_id=request.account_id,
            debtor_id=debtor_id,
            number=request.number,
            mode="preview",
            placed_at=time.monotonic(),
            agent_hint=request.agent_id,
            decision=verdict.record,
        )
        floor.reserve(request.agent_id, call.call_id)
        runtime = service.campaigns.get(request.campaign_id or -1)
        # The agent is listening already: no machine detection delay before the connect.
        variables = {
            "CONCORD_AMD": "no",
            "CONCORD_MACHINE": "message" if machine == "voicemail" else "hangup",
        }
        if runtime is not None and runtime.message:
            variables["CONCORD_MESSAGE"] = runtime.message
        await service.place(
            call,
            caller_id=runtime.plan.caller_id if runtime else "",
            script_name=runtime.plan.script_name if runtime else "",
            variables=variables,
            addressee=addressee,
        )

    # -- call controls --------------------------------------------------------------------------

    async def command(self, cmd: CallCommand) -> None:
        service = self.service
        call = service.calls.get(cmd.call_id)
        if call is None and cmd.action == "not_caller":
            # The caller hung up as the agent pressed it: the settled call leaves the wrong
            # account all the same, kept as unmatched until the agent finds the caller.
            await service.db(lambda s: store.unfile_call_in(s, cmd.call_id))
            return
        if call is None:
            raise BadRequest(f"call_id: no call {cmd.call_id} in progress", cmd.agent_id)
        if call.agent_id is not None and cmd.agent_id is not None and call.agent_id != cmd.agent_id:
            # Transferred: the call is the lead's now, and a stale screen's Hold or Hang up would
            # pull the debtor off the lead or cut them off.
            raise BadRequest(
                f"{cmd.action}: the call was transferred and is with your team lead now",
                cmd.agent_id,
            )
        agent_id = call.agent_id if call.agent_id is not None else cmd.agent_id
        if cmd.action == "identify":
            await service.inbound.identify(call, cmd.account_id, cmd.agent_id)
            return
        if cmd.action == "not_caller":
            await service.inbound.not_caller(call, cmd.agent_id)
            return
        try:
            if cmd.action == "hangup":
                await service.ami.send_action("Hangup", {"Channel": call.call_id, "Cause": "16"})
            elif cmd.action in ("hold", "unhold"):
                if agent_id is None:
                    raise BadRequest("call is not with an agent", cmd.agent_id)
                context = HOLD_CONTEXT if cmd.action == "hold" else "concord-connect"
                await self._redirect(call.call_id, context, service.floor.extension(agent_id))
            else:
                await self._transfer(call, cmd, agent_id)
        except AmiError as exc:
            raise BadRequest(f"{cmd.action} failed: {exc}", cmd.agent_id) from exc

    async def _transfer(self, call: Call, cmd: CallCommand, agent_id: int | None) -> None:
        service = self.service
        target = cmd.target_agent_id
        if target is None and agent_id is not None:
            target = await service.db(lambda s: store.team_lead_of(s, agent_id))
        if target is None:
            raise BadRequest("transfer: no team lead found for your team", cmd.agent_id)
        if target not in service.floor.extensions:  # a lead who never set a console state
            found = target
            service.floor.extensions.update(
                await service.db(lambda s: store.agent_extensions(s, [found]))
            )
        if not service.floor.present(target):
            raise BadRequest(
                "transfer: the team lead's phone is not connected; try again or book a callback",
                cmd.agent_id,
            )
        if target in service.floor.reserved:
            # The lead's bridge holds two members: a second debtor redirected there is dropped.
            raise BadRequest(
                "transfer: your team lead is on another call; keep the debtor, try again "
                "shortly, or book a callback",
                cmd.agent_id,
            )
        service.floor.reserve(target, call.call_id)
        await self._redirect(call.call_id, "concord-connect", service.floor.extension(target))

    async def _redirect(self, call_id: str, context: str, exten: str) -> None:
        await self.service.ami.send_action(
            "Redirect", {"Channel": call_id, "Context": context, "Exten": exten, "Priority": "1"}
        )
