"""The dialer's side of a debtor calling in: find the account, keep the attempt, join an agent.

The dialplan answers, records and greets (`[concord-inbound]`); this desk hears ConcordInbound,
looks the caller's number up (dialer.callers), stores the attempt as an inbound call and joins the
caller to an agent of their client (dialer.inbound) as soon as one is free, before pacing dials
for that agent. From the join on, the call is any connected call: the screen pops, the agent
records the outcome, the hang-up settles the attempt. Its wait is not an outbound live answer's:
it feeds neither a campaign's abandon rate nor the answer-to-agent figures.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import TYPE_CHECKING

from redis.exceptions import RedisError
from sqlmodel import Session

from core.events import CALLS_IN_HOLDING_KEY
from core.models import Account
from core.phones import e164
from dialer import store
from dialer.ami import AmiError, Message
from dialer.callers import client_called, find_caller
from dialer.calls import INBOUND, Call, CallState
from dialer.commands import BadRequest
from dialer.inbound import Caller, Desk, agent_for, campaign_for
from dialer.translate import Fact

if TYPE_CHECKING:
    from dialer.service import DialerService

log = logging.getLogger(__name__)

INBOUND_CONTEXT = "concord-inbound"
# An outbound placement still out: it may yet bring a live answer that needs a ready agent.
OUT = frozenset({CallState.DIALING, CallState.ANSWERED, CallState.LIVE})


def holding(channel: Message) -> bool:
    """A live channel of a caller answered and waiting in the inbound context."""
    return channel.get("Context") == INBOUND_CONTEXT and channel.get("ChannelStateDesc") == "Up"


class InboundDesk:
    def __init__(self, service: DialerService, agency_name: str = "") -> None:
        self.service = service
        self.agency_name = agency_name
        self.callers: dict[str, Caller] = {}
        self.clients: dict[str, int] = {}  # the client whose number a caller dialled
        self.assigned: dict[int, set[int]] = {}  # each agent's campaigns, read with them
        self._closing: set[str] = set()  # callers sent to the closing message
        self._greeted: set[str] = set()  # callers whose greeting has played

    async def greet(self) -> None:
        """Sets the greeting calls in hear, what they hear before leaving a message when
        nobody takes them, and the opt-out key offered after an abandoned call's message
        (globals, so again after an Asterisk restart)."""
        messages = self.service.messages
        if messages is None:
            return
        greeting = await asyncio.to_thread(messages.greeting_for, self.agency_name)
        closing = await asyncio.to_thread(messages.closing)
        offer, done = await asyncio.to_thread(messages.opt_out_prompts)
        try:
            for variable, value in (
                ("CONCORD_INBOUND_GREETING", greeting),
                ("CONCORD_INBOUND_CLOSED", closing),
                ("CONCORD_OPT_OUT_PROMPT", offer),
                ("CONCORD_OPT_OUT_DONE", done),
            ):
                await self.service.ami.send_action("Setvar", {"Variable": variable, "Value": value})
        except AmiError as exc:
            log.warning("inbound greeting not set (%s); callers hear the dialplan's", exc)

    async def call_in(self, fact: Fact) -> None:
        """A debtor's call was answered: find whose it is, store it, put it through."""
        service = self.service
        if fact.uid in service.calls:
            return  # a replayed event
        number = e164(fact.number) or ""  # carriers send +1..., 1... or ten digits

        def lookup(session: Session) -> tuple[int | None, Caller | None]:
            client_id = client_called(session, e164(fact.dialled) or "")
            return client_id, find_caller(session, number, client_id)

        client_id, caller = await service.db(lookup)
        if client_id is not None:
            self.clients[fact.uid] = client_id
        call = Call(
            call_id=fact.uid, campaign_id=None, account_id=caller.account_id if caller else 0,
            debtor_id=caller.debtor_id if caller else 0, number=number, mode=INBOUND,
            placed_at=time.monotonic(),
        )  # fmt: skip
        call.answered(fact.at, fact.detail)
        call.live(fact.at, time.monotonic())
        call.pacing_told = True  # it was never a placement
        if caller is not None:  # known before the call is: a tick in an await below routes it
            self.callers[call.call_id] = caller  # by its client, not to anyone idle longest
        service.calls[call.call_id] = call
        service.ami.track(call.call_id)
        await self._holding(call, caller, fact)
        if caller is not None:
            await self._keep(call, caller)
        else:  # the agent asks who is calling and finds the account (identify)
            log.info("call in %s from %r: the number is on file for nobody", call.call_id,
                     fact.number or "a withheld number")  # fmt: skip
        await self.serve()

    async def _keep(self, call: Call, caller: Caller) -> None:
        """The call is about `caller`'s account from now on: store its attempt."""
        self.callers[call.call_id] = caller
        call.account_id, call.debtor_id = caller.account_id, caller.debtor_id

        def keep(session: Session) -> None:
            store.record_placed(session, call, self.service.clock())
            if call.agent_id is not None:
                store.record_joined(session, call.call_id, call.agent_id)

        await self.service.db(keep)
        log.info("call in %s from %s: account %s", call.call_id, call.number or "withheld",
                 caller.account_id)  # fmt: skip

    async def identify(self, call: Call, account_id: int | None, agent_id: int | None) -> None:
        """The agent found the account of a caller whose number was on file for nobody.
        BadRequest (told to the agent) when the call is not such a call or the account is not
        there; the console has checked the agent may see it."""
        if call.mode != INBOUND or call.account_id:
            raise BadRequest("identify: the call is already about an account", agent_id)
        if account_id is None:
            raise BadRequest("identify: account_id is missing", agent_id)

        def load(session: Session) -> Caller | None:
            account = session.get(Account, account_id)
            if account is None:
                return None
            return Caller(account.id or 0, account.debtor_id, account.client_id,
                          account.portfolio_id)  # fmt: skip

        caller = await self.service.db(load)
        if caller is None:
            raise BadRequest(f"identify: no account {account_id}", agent_id)
        await self._keep(call, caller)

    async def not_caller(self, call: Call, agent_id: int | None) -> None:
        """The agent found the caller is not the person the number popped (a number two people
        share, or one passed on to someone new): the call's attempt is taken off that account,
        whose 7-in-7 count and history it would falsify, and the call is about no account until
        the agent identifies the caller (or, never identified, it is kept as unmatched)."""
        if call.mode != INBOUND or not call.account_id:
            raise BadRequest("not_caller: the call is not a call in about an account", agent_id)
        wrong = call.account_id
        if not await self.service.db(lambda s: store.unfile_call_in(s, call.call_id)):
            raise BadRequest("not_caller: the call's outcome is saved already", agent_id)
        self.callers.pop(call.call_id, None)
        call.account_id = call.debtor_id = 0
        log.info("call in %s from %s is not about account %s after all; agent %s finds the caller",
                 call.call_id, call.number or "withheld", wrong, agent_id)  # fmt: skip

    async def adopt_waiting(self, channels: list[Message]) -> None:
        """Callers already holding when the dialer starts or AMI comes back: their
        ConcordInbound went by while nobody listened, and they would hold until the dialplan
        gave up. Each is taken as if the event had just come."""
        for channel in channels:
            uid = channel.get("Uniqueid") or ""
            if not uid or uid in self.service.calls or not holding(channel):
                continue
            recording = channel.channel_variables().get("CONCORD_RECORDING", "")
            number = channel.get("CallerIDNum") or ""
            log.warning("call in %s was holding unseen; taking it now", uid)
            if channel.get("Application") == "MusicOnHold":
                self._greeted.add(uid)  # past its greeting already
            await self.call_in(Fact("inbound", uid, self.service.clock(), recording, number=number))

    def _desks(self) -> dict[int, Desk]:
        return {
            campaign_id: Desk(runtime.plan.client_id, frozenset(runtime.plan.portfolio_ids))
            for campaign_id, runtime in self.service.campaigns.items()
        }

    def agent_for(self, call: Call) -> int | None:
        """The agent to put `call` through to now (dialer.inbound.agent_for)."""
        caller, client_id = self.callers.get(call.call_id), self.clients.get(call.call_id)
        floor = self.service.floor
        dialled: dict[int, int] = {}
        promised = set(floor.reserved.values())  # a preview's or callback's own agent
        for out in self.service.calls.values():
            if (
                out.mode != INBOUND
                and out.campaign_id is not None
                and out.state in OUT
                and out.call_id not in promised
            ):
                dialled[out.campaign_id] = dialled.get(out.campaign_id, 0) + 1
        return agent_for(floor, self._desks(), caller, client_id, self.assigned, dialled)

    def holding_for(self, client_id: int) -> bool:
        """A caller holds whom an agent of `client_id` could take: that client's debtor, or a
        caller on file for nobody who dialled its number (or no client's). The client's campaigns
        then dial nothing new: a caller first, rather than a live answer abandoned for want of
        the agent the caller took, and the calls already out free their agents for the caller."""
        for call in self.service.calls.values():
            if call.mode != INBOUND or call.state is not CallState.LIVE:
                continue
            caller = self.callers.get(call.call_id)
            whose = caller.client_id if caller is not None else self.clients.get(call.call_id)
            if whose is None or whose == client_id:
                return True
        return False

    def campaign_of(self, call: Call, agent_id: int) -> int | None:
        """The campaign the agent takes `call` under: theirs when it is the caller's client's,
        else another of theirs that is (its script and callbacks fit the account)."""
        view = self.service.floor.views.get(agent_id)
        current = view.campaign_id if view else None
        caller, client_id = self.callers.get(call.call_id), self.clients.get(call.call_id)
        found = campaign_for(
            current, self.assigned.get(agent_id, ()), self._desks(), caller, client_id
        )
        return current if found is None else found[1]

    async def serve(self) -> None:
        """Put every waiting caller through to a free agent, longest waiting first; with no
        agent on the floor at all, tell them at once instead of holding them for no one."""
        waiting = sorted(
            (c for c in self.service.calls.values()
             if c.mode == INBOUND and c.state is CallState.LIVE),
            key=lambda c: c.placed_at,
        )  # fmt: skip
        for call in waiting:
            await self.service.connect(call)
        if waiting and not self._anyone_on_floor():
            for call in waiting:
                # after the greeting (it says the call may be recorded), never through it
                if call.state is CallState.LIVE and call.call_id in self._greeted - self._closing:
                    await self._closed(call)

    async def greeted(self, call: Call) -> None:
        """The caller has heard the greeting: from now on they may be told nobody is here."""
        self._greeted.add(call.call_id)
        await self.serve()

    def _anyone_on_floor(self) -> bool:
        """Some agent is signed in (ready, paused, on a call or in wrap-up): a caller may yet be
        taken. Their phones are not asked: a conference list emptied by an AMI reconnect must
        not turn a Ready agent's caller away."""
        return any(view.state != "logged_out" for view in self.service.floor.views.values())

    async def _closed(self, call: Call) -> None:
        """Send the caller to the closing message (the dialplan's `closed`)."""
        self._closing.add(call.call_id)
        try:
            await self.service.ami.send_action(
                "Redirect",
                {"Channel": call.call_id, "Context": INBOUND_CONTEXT, "Exten": "closed",
                 "Priority": "1"},
            )  # fmt: skip
            log.info("call in %s: nobody on the floor; the closing message plays", call.call_id)
        except AmiError as exc:  # gone already, or AMI away: the dialplan's wait still ends it
            log.warning("call in %s not sent to the closing message: %s", call.call_id, exc)

    async def _holding(self, call: Call, caller: Caller | None, fact: Fact) -> None:
        """List the caller on the leads' holding queue (until put through or gone)."""
        client = caller.client_id if caller else self.clients.get(call.call_id)
        entry = {"since": fact.at.isoformat(), "client_id": client}
        try:
            await self.service.redis.hset(CALLS_IN_HOLDING_KEY, call.call_id, json.dumps(entry))
        except RedisError as exc:  # the queue on the lead page is a view; the call goes on
            log.warning("holding queue not updated for %s: %s", call.call_id, exc)

    async def off_hold(self, call: Call) -> None:
        """The caller reached an agent or is gone: off the leads' holding queue."""
        if call.mode != INBOUND:
            return
        try:
            await self.service.redis.hdel(CALLS_IN_HOLDING_KEY, call.call_id)
        except RedisError as exc:
            log.warning("holding queue not updated for %s: %s", call.call_id, exc)

    async def clear_holding(self) -> None:
        """At start: what a previous run listed is stale; callers still holding are listed
        again as they are taken (adopt_waiting)."""
        try:
            await self.service.redis.delete(CALLS_IN_HOLDING_KEY)
        except RedisError as exc:
            log.warning("holding queue not cleared: %s", exc)

    def forget(self, call_id: str) -> None:
        self.callers.pop(call_id, None)
        self.clients.pop(call_id, None)
        self._closing.discard(call_id)
        self._greeted.discard(call_id)

    @staticmethod
    def unidentified(call: Call) -> bool:
        """A call in that ended before anyone found whose it was: it has no attempt to settle."""
        return call.mode == INBOUND and not call.account_id
