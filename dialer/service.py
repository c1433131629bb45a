"""The dialer service: one asyncio loop wiring AMI, pacing, the hoppers, Redis and the database.

Gateways come in from outside (an AmiClient, a Redis client, an SQLAlchemy engine), built by
`dialer.cli`; the rules live in the pure modules (calls, hopper, abandon, floor, pacing) and this
module only moves facts between them. Three tasks run side by side: AMI events (call and agent
facts, reconnect notices), a one-second pacing tick per campaign, and the console's Redis lists
(preview dials and call commands). Every database write runs in a worker thread so a slow disk
never delays the two-second connect window.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.db import session_scope
from core.events import (
    CAMPAIGN_STATS_KEY,
    AgentState,
    CallAbandoned,
    CallConnected,
    CallEnded,
    CallPlaced,
    pause_pending,
)
from dialer import agents, store
from dialer.adopt import OpenAttempt, adopt, state_of
from dialer.ami import AmiActionError, AmiClient, AmiError, ConnectionLost, Message, Reconciled
from dialer.calls import CONNECT_DEADLINE_S, INBOUND, Call, CallState, pacing_result
from dialer.campaigns import CampaignError, CampaignPlan, campaign_zone, plan
from dialer.console import PREVIEW_PREFIX, ConsoleRequests
from dialer.floor import Floor
from dialer.inbound_desk import InboundDesk
from dialer.inbound_desk import holding as inbound_holding
from dialer.keypad import OPT_OUT_NOTE, stop_calls_to
from dialer.listening import Listening
from dialer.messages import ClientMessage, MessageLibrary
from dialer.notifier import Notifier
from dialer.pacing_contract import PacingEvent, PacingPolicy
from dialer.pacing_predictive import PredictivePolicy
from dialer.runtime import CampaignRuntime
from dialer.translate import EVENTS, Fact, translate

log = logging.getLogger(__name__)
T = TypeVar("T")

# How long a bare hangup of a call that never answered waits for its OriginateResponse.
REASON_WAIT_S = 2.0
# How often the pacing policies' memories are saved (and once more at a clean stop): a killed
# dialer loses at most this much learning.
MEMORY_EVERY_S = 300.0
# Campaign settings are read again this often: an edited filter, schedule, dial mode or abandon
# target is dialled within this many seconds, without a restart.
RELOAD_EVERY_S = 30.0
# A message shorter than this is a caller hanging up at the tone: nothing to play back.
MESSAGE_MIN_SECONDS = 2


class DialerService:
    """Runs every active campaign until `stop()`; `run()` returns once everything is stopped."""

    def __init__(
        self,
        ami: AmiClient,
        redis: Redis[bytes],
        engine: Engine,
        *,
        dial_channel: str = "Local/{number}@concord-sim-pstn",
        ring_timeout_s: int = 25,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        tick_s: float = 1.0,
        messages: MessageLibrary | None = None,
        pacing: Callable[[CampaignPlan], PacingPolicy] | None = None,
        agency_name: str = "",
    ) -> None:
        """`messages` makes each client's limited-content message (None: the dialplan's
        stock prompt) and, with `agency_name`, the greeting a debtor calling in hears;
        `pacing` builds a campaign's predictive policy (None: make_policy's)."""
        if ring_timeout_s < 15:
            raise ValueError("ring_timeout_s must be at least 15 (unanswered calls ring 15 s)")
        self.ami, self.redis, self.engine = ami, redis, engine
        self.dial_channel = dial_channel
        self.ring_timeout_s = ring_timeout_s
        self.clock = clock
        self.tick_s = tick_s
        self.messages = messages
        self.pacing = pacing
        self.notifier = Notifier(redis)
        self.floor = Floor()
        self.calls: dict[str, Call] = {}
        self.campaigns: dict[int, CampaignRuntime] = {}
        self.answer_to_agent_ms: list[int] = []
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._events = ami.subscribe(EVENTS)
        self._tasks: list[asyncio.Task[None]] = []
        self._awaiting_reason: dict[str, float] = {}
        self._kept: dict[int, dict[str, Any]] = {}  # each campaign's memory as last saved
        self.inbound = InboundDesk(self, agency_name)
        self.listening = Listening(self)

    def pacing_now(self) -> float:
        """The pacing policies' clock: epoch seconds (elapsed times stay monotonic); each
        policy shifts it by its campaign's standard UTC offset to count the campaign's days."""
        return self.clock().timestamp()

    # -- lifecycle ------------------------------------------------------------------------------

    async def run(self) -> None:
        """Start the three loops; return when stopped (or raise if one of them crashed)."""
        await self._load_campaigns()
        await self._refresh_agents()
        await self.inbound.clear_holding()
        await self._rebuild_bridges()
        await self.listening.reset()
        await self.inbound.greet()
        if self.messages is not None and (
            pruned := await asyncio.to_thread(self.messages.prune_addressed, time.time())
        ):
            log.info("%d addressee clips unused for a month deleted", pruned)
        console = ConsoleRequests(self)
        self._tasks = [
            asyncio.create_task(self._event_loop(), name="dialer-events"),
            asyncio.create_task(self._tick_loop(), name="dialer-tick"),
            asyncio.create_task(console.run(self._stopping), name="dialer-console"),
        ]
        stop = asyncio.create_task(self._stopping.wait())
        done, _ = await asyncio.wait([stop, *self._tasks], return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._events.close()
        await self.keep_memories()
        crashed = [t.exception() for t in self._tasks if t in done and not t.cancelled()]
        for error in crashed:
            if error is not None:
                raise error

    def stop(self) -> None:
        self._stopping.set()

    def wake(self) -> None:
        """Run the pacing tick now (an agent freed up, a call ended)."""
        self._wake.set()

    async def db(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction in a worker thread."""

        def unit() -> T:
            with session_scope(self.engine) as session:
                return work(session)

        return await asyncio.to_thread(unit)

    async def keep_memories(self, runtimes: Mapping[int, CampaignRuntime] | None = None) -> None:
        """Saves what every campaign's predictive policy has learned (or those of `runtimes`),
        so a restart resumes it. A failed save is logged, not raised: pacing goes on, and the
        next save may succeed."""
        at = self.clock()
        memories = {
            campaign_id: runtime.predictive.memory()
            for campaign_id, runtime in (self.campaigns if runtimes is None else runtimes).items()
            if isinstance(runtime.predictive, PredictivePolicy)
        }
        # a campaign that heard nothing since its last save (a night, a paused floor) is not
        # written again: ~50 KB a row every 5 minutes for nothing
        changed = {c: m for c, m in memories.items() if m != self._kept.get(c)}

        def keep(session: Session) -> None:
            for campaign_id, memory in changed.items():
                store.keep_pacing_memory(session, campaign_id, memory, at)

        if changed:
            try:
                await self.db(keep)
            except Exception:
                log.exception("pacing memories not saved; the next save tries again")
                return
            self._kept.update(changed)

    # -- campaigns and agents -------------------------------------------------------------------

    async def _load_campaigns(self) -> None:
        now = self.clock()
        # a campaign whose time zone changed is built afresh: its ledger counts other days
        held = {cid: runtime.plan.timezone for cid, runtime in self.campaigns.items()}
        no_live_person: dict[int, dict[int, date]] = {}

        def load(
            session: Session,
        ) -> tuple[list[CampaignPlan], list[CampaignRuntime], dict[int, ClientMessage]]:
            plans, fresh = [], []
            for row in store.active_campaigns(session):
                campaign_id = row.id or 0
                zone = campaign_zone(row.schedule)  # the days its abandon figures count
                today = now.astimezone(zone).date()
                # a call settled before midnight may be dispositioned after it
                since = today - timedelta(days=1)
                found = store.no_live_person(session, campaign_id, since, zone)
                try:
                    campaign = plan(row, store.calling_profiles(session, row.portfolio_ids))
                    if held.get(campaign_id) == campaign.timezone:  # keep its policy, hopper
                        # and ledger; take its new settings
                        plans.append(campaign)
                        no_live_person[campaign_id] = found
                        continue
                    ledger = store.abandon_ledger(session, campaign_id, today, zone)  # w/o found
                    memory = store.pacing_memory(session, campaign_id)
                    fresh.append(CampaignRuntime.build(campaign, ledger, self.pacing, memory))
                    fresh[-1].uncounted = set(found)
                    plans.append(fresh[-1].plan)
                except CampaignError as exc:
                    log.error("%s; campaign not dialled", exc)
            clients = store.client_messages(session, {p.client_id for p in plans})
            self.inbound.assigned = store.assignments(session)
            return plans, fresh, clients

        plans, fresh, clients = await self.db(load)
        messages: dict[int, str] = {}
        if self.messages is not None:
            for client_id, client in clients.items():
                # espeak-ng runs once per changed text; the file check is all a reload costs
                messages[client_id] = await asyncio.to_thread(self.messages.message_for, client)
        for campaign_id in set(held) - {p.id for p in plans}:
            await self._retire(campaign_id)
        for runtime in fresh:
            before = self.campaigns.get(runtime.plan.id)
            if before is not None:  # a new time zone: what pacing learned goes on
                runtime.resume_from(before)
            self.campaigns[runtime.plan.id] = runtime
        for campaign in plans:
            runtime = self.campaigns[campaign.id]
            limits = (campaign.abandon_target, campaign.day_limit)
            if limits != (runtime.plan.abandon_target, runtime.plan.day_limit):
                runtime.retarget(campaign, self.pacing)
            runtime.plan = campaign
            if campaign.id in no_live_person:
                runtime.take_out(no_live_person[campaign.id])
            runtime.message = messages.get(campaign.client_id, "")

    async def _retire(self, campaign_id: int) -> None:
        """Stops a campaign that was deactivated, or whose new settings no longer validate: no
        call is placed for it from this reload on (a client recalling a portfolio must not wait
        for a restart). Its calls in flight still settle and are stored; what its pacing learned
        is saved, so a reactivation resumes it. Its last figures leave the pages' store: a lead
        reactivating it must not read last month's mode and rates as today's. It leaves
        `campaigns` last, so whoever sees it gone sees its memory kept and its figures gone."""
        await self.keep_memories({campaign_id: self.campaigns[campaign_id]})
        await self.redis.hdel(CAMPAIGN_STATS_KEY, str(campaign_id))
        del self.campaigns[campaign_id]
        log.warning("campaign %s no longer dialled: inactive, or settings refused", campaign_id)

    async def _refresh_agents(self) -> None:
        wraps_ended = self.floor.refresh(await agents.read_states(self.redis))
        self.floor.away = await agents.read_away(self.redis, time.time())
        unknown = [a for a in self.floor.views if a not in self.floor.extensions]
        if unknown:
            self.floor.extensions.update(
                await self.db(lambda s: store.agent_extensions(s, unknown))
            )
        self._wraps_ended(wraps_ended)

    def _wraps_ended(self, wraps: list[tuple[agents.AgentView, float]]) -> None:
        """Tells each campaign's pacing how long its agents' finished wrap-ups lasted."""
        now_epoch = self.pacing_now()
        for last, began in wraps:
            runtime = self.campaigns.get(last.campaign_id) if last.campaign_id else None
            if runtime is not None:
                runtime.observe(PacingEvent("wrap_ended", now_epoch, max(0.0, now_epoch - began)))

    async def _rebuild_bridges(self) -> None:
        """Which agent softphones sit in their bridges, from the live channel list. Attempts a
        previous run left open are taken over when their channel is still up, settled if not."""
        channels = await self.ami.live_channels()
        self._bridges_from(channels)
        by_id = {ch.get("Uniqueid") or "": ch for ch in channels}
        live = set(by_id) - {""}
        holding = [ch for ch in channels if inbound_holding(ch)]
        adoptable = live - {ch.get("Uniqueid") or "" for ch in holding}

        def recover(
            session: Session,
        ) -> tuple[list[OpenAttempt], dict[str, int], list[store.Orphan]]:
            rows = store.open_attempts(session, adoptable)
            bridges = {state_of(by_id[row.call_id])[1] for row in rows} - {""}
            found = store.agents_by_extension(session, bridges)
            return rows, found, store.settle_orphans(session, live, self.clock())

        rows, agent_of, settled = await self.db(recover)
        if settled:
            log.warning("settled %d attempt(s) left open by a previous run", len(settled))
        for row in rows:
            self._adopt(row, by_id[row.call_id], agent_of)
        for orphan in settled:
            await self._orphan_ended(orphan)
        await self.inbound.adopt_waiting(holding)

    async def _orphan_ended(self, orphan: store.Orphan) -> None:
        """A call that ended while no dialer ran: its agent's screen still shows it live and
        the agent could not go ready; they go to wrap-up and record the outcome as after any
        call. The console marks the call ended on CallEnded, as for a call it saw end."""
        view = self.floor.views.get(orphan.agent_id) if orphan.agent_id is not None else None
        if view is not None and view.state == "on_call" and orphan.agent_id is not None:
            await self.set_agent_state(orphan.agent_id, "wrap_up", orphan.campaign_id)
        await self.notifier.publish(
            CallEnded(
                at=self.clock(), call_id=orphan.call_id, account_id=orphan.account_id,
                outcome=orphan.outcome, agent_id=orphan.agent_id, attempt_id=orphan.attempt_id,
            )
        )  # fmt: skip

    def _adopt(self, row: OpenAttempt, channel: Message, agent_of: dict[str, int]) -> None:
        runtime = self.campaigns.get(row.campaign_id or -1)
        mode = runtime.effective_mode if runtime else "progressive"
        if row.call_id.startswith(PREVIEW_PREFIX):
            mode = "preview"
        bridge = state_of(channel)[1]
        agent_id = agent_of.get(bridge)
        call = adopt(row, channel, mode, agent_id, now=self.clock(), monotonic=time.monotonic())
        self.calls[call.call_id] = call
        self.ami.track(call.call_id)
        if call.agent_id is not None:
            self.floor.extensions[call.agent_id] = bridge
            self.floor.reserve(call.agent_id, call.call_id)
        log.warning("took over call %s (%s, agent %s) from a previous run", call.call_id,
                    call.state, call.agent_id)  # fmt: skip

    def _bridges_from(self, channels: list[Message]) -> None:
        self.floor.in_bridge = {
            ch.get("Exten", "") or ""
            for ch in channels
            if ch.get("Context") == "concord-agents" and ch.get("Application") == "ConfBridge"
        }

    async def set_agent_state(
        self, agent_id: int, state: AgentState, campaign_id: int | None, reason: str | None = None
    ) -> None:
        """Writes the agent's state; without a `reason`, a pause the agent asked for while a
        call rang for them stays asked for through the call (core.events.PAUSING)."""
        view = self.floor.views.get(agent_id)
        if reason is None:
            reason = view.reason if view and pause_pending(view.reason) is not None else ""
        await agents.write_state(self.redis, agent_id, state, self.clock(), campaign_id, reason)
        ended = self.floor.update(
            agents.AgentView(
                agent_id,
                state,
                self.clock().timestamp(),
                campaign_id if campaign_id else (view.campaign_id if view else None),
                reason,
            )
        )
        self._wraps_ended([ended] if ended else [])

    # -- the pacing tick ------------------------------------------------------------------------

    async def _tick_loop(self) -> None:
        last_reload = time.monotonic()
        last_memory = time.monotonic()
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.tick_s)
            self._wake.clear()
            try:
                last_reload, last_memory = await self._tick(last_reload, last_memory)
            except RedisError as exc:  # a stall must not end the dialer and every live call
                log.warning("Redis did not answer during the tick (%s); trying again", exc)

    async def _tick(self, last_reload: float, last_memory: float) -> tuple[float, float]:
        """One pacing tick: reload what is due, read the floor, let each campaign dial.
        Returns when the campaigns were last reloaded and the memories last kept."""
        if time.monotonic() - last_reload > RELOAD_EVERY_S:
            await self._load_campaigns()
            last_reload = time.monotonic()
        if time.monotonic() - last_memory > MEMORY_EVERY_S:
            await self.keep_memories()
            last_memory = time.monotonic()
        await self._refresh_agents()
        await self._sweep_hangups()
        if not self.ami.connected:
            return last_reload, last_memory
        await self.inbound.serve()  # a caller holding takes the next free agent before pacing
        for runtime in list(self.campaigns.values()):
            try:
                await runtime.tick(self)
            except Exception:
                log.exception("campaign %s tick failed", runtime.plan.id)
        return last_reload, last_memory

    # -- placing a call -------------------------------------------------------------------------

    async def place(
        self,
        call: Call,
        *,
        caller_id: str,
        script_name: str,
        variables: dict[str, str],
        addressee: str = "",
    ) -> bool:
        """Store the attempt, announce it and send the Originate; False if Asterisk refused.
        The limited-content message (`CONCORD_MESSAGE`) first says whom it is for: `addressee`,
        the debtor the call is about."""
        message = variables.get("CONCORD_MESSAGE", "")
        if message and addressee and self.messages is not None:
            clip = await asyncio.to_thread(self.messages.addressed_to, addressee)
            if clip:
                variables = {**variables, "CONCORD_MESSAGE": f"{clip}&{message}"}
        self.calls[call.call_id] = call
        await self.db(lambda s: store.record_placed(s, call, self.clock(), script_name))
        await self.notifier.publish(
            CallPlaced(
                at=self.clock(), call_id=call.call_id, campaign_id=call.campaign_id,
                account_id=call.account_id, number=call.number, agent_id=call.agent_hint,
            )
        )  # fmt: skip
        try:
            await self.ami.originate(
                self.dial_channel.format(number=call.number), call.call_id,
                context="concord-dialer", exten="s", timeout_ms=self.ring_timeout_s * 1000,
                caller_id=caller_id or None, variables=variables,
            )  # fmt: skip
        except AmiActionError as exc:
            log.error("Originate %s refused: %s", call.call_id, exc)
            call.originate_failed("0", self.clock())
            await self._settle(call, notes=f"{store.REFUSED_NOTE}: {exc}")
            return False
        except AmiError as exc:
            # The client keeps tracking the id; the next Reconciled settles it.
            log.warning("Originate %s unconfirmed: %s", call.call_id, exc)
        return True

    # -- AMI facts ------------------------------------------------------------------------------

    async def _event_loop(self) -> None:
        async for item in self._events:
            try:
                if isinstance(item, Message):
                    fact = translate(item)
                    if fact is not None:
                        await self.on_fact(fact)
                elif isinstance(item, Reconciled):
                    await self._on_reconciled(item)
                elif isinstance(item, ConnectionLost):
                    # Softphones may be gone when we are back; the Reconciled notice says.
                    self.floor.in_bridge.clear()
                    log.warning("AMI connection lost (%s); dialling paused", item.reason)
            except Exception:
                log.exception("could not handle %r", item)

    async def on_fact(self, fact: Fact) -> None:
        if fact.kind == "inbound":
            await self.inbound.call_in(fact)
            return
        if fact.kind == "agent_joined":
            self.floor.in_bridge.add(fact.extension)
            await self.inbound.serve()
            self.wake()
            return
        if fact.kind == "agent_left":
            self.floor.in_bridge.discard(fact.extension)
            return
        if fact.kind == "hangup" and await self.listening.ended(fact.uid):
            return
        call = self.calls.get(fact.uid)
        if call is None:
            return
        handler = getattr(self, f"_on_{fact.kind}")
        await handler(call, fact)

    async def _on_seen(self, call: Call, fact: Fact) -> None:
        call.seen(fact.at)

    async def _on_ringing(self, call: Call, fact: Fact) -> None:
        call.ringing(fact.at)

    async def _on_originate_failed(self, call: Call, fact: Fact) -> None:
        call.originate_failed(fact.detail, fact.at)
        await self._settle(call)

    async def _on_answered(self, call: Call, fact: Fact) -> None:
        call.answered(fact.at, fact.detail)

    async def _on_amd(self, call: Call, fact: Fact) -> None:
        call.amd(fact.detail, fact.at)
        if call.state is CallState.MACHINE:
            self._resolved(call)

    async def _on_machine(self, call: Call, fact: Fact) -> None:
        call.machine(fact.at)

    async def _on_live(self, call: Call, fact: Fact) -> None:
        call.live(fact.at, time.monotonic())
        self._resolved(call)
        await self.connect(call)

    async def connect(self, call: Call) -> None:
        """Join a live call to an agent with one Redirect, if one is free in time (a caller
        holding on a call in has no deadline but the dialplan's)."""
        if call.state is not CallState.LIVE or call.live_seen is None:
            return
        if call.mode != INBOUND and time.monotonic() - call.live_seen > CONNECT_DEADLINE_S:
            return
        agent_id = self._pick_agent(call)
        if agent_id is None:
            return
        self.floor.reserve(agent_id, call.call_id)
        call.connecting(agent_id)
        try:
            await self.ami.send_action(
                "Redirect",
                {"Channel": call.call_id, "Context": "concord-connect",
                 "Exten": self.floor.extension(agent_id), "Priority": "1"},
            )  # fmt: skip
        except AmiError as exc:
            log.warning("Redirect of %s to agent %s failed: %s", call.call_id, agent_id, exc)
            self.floor.release(agent_id, call.call_id)
            call.connect_failed()

    def _pick_agent(self, call: Call) -> int | None:
        if call.mode == INBOUND:
            return self.inbound.agent_for(call)
        hint = call.agent_hint
        if hint is not None and self.floor.can_take(hint, call.call_id):
            return hint
        if call.mode == "preview":
            return None  # a preview call belongs to the agent who dialled it
        free = self.floor.available(call.campaign_id)
        return free[0] if free else None

    async def _on_joined(self, call: Call, fact: Fact) -> None:
        agent_id = self.floor.agent_for_extension(fact.extension)
        if agent_id is None:
            return
        first = call.state is not CallState.CONNECTED
        previous = call.agent_id
        call.connected(agent_id, fact.at)
        self.floor.release_call(call.call_id)
        self.floor.reserve(agent_id, call.call_id)
        if not first and previous == agent_id:
            # Back from hold: the same call goes on, timed from when it began (a fresh on_call
            # restarted the agent's and the lead's clocks, and the pacing's talk time).
            return
        await self.set_agent_state(agent_id, "on_call", call.campaign_id)
        if not first:
            if previous is not None and previous != agent_id:  # a transfer landed
                # The attempt stays the first agent's: they walked the script and record the
                # outcome (the lead has no screen for it), and QA scores them for it.
                self.floor.release(previous, call.call_id)
                await self.set_agent_state(previous, "wrap_up", call.campaign_id)
            return
        if call.mode == INBOUND:
            await self._call_in_joined(call, agent_id, fact.at)
            return
        ms = call.answer_to_agent_ms or 0
        self.answer_to_agent_ms.append(ms)
        runtime = self.campaigns.get(call.campaign_id or -1)
        if runtime is not None:
            runtime.observe(PacingEvent("connected", self.pacing_now(), ms / 1000))
        await self.notifier.publish(
            CallConnected(
                at=fact.at, call_id=call.call_id, agent_id=agent_id, account_id=call.account_id,
                debtor_id=call.debtor_id, campaign_id=call.campaign_id, number=call.number,
                answer_to_agent_ms=ms,
            )
        )  # fmt: skip
        await self.db(lambda s: store.record_joined(s, call.call_id, agent_id))

    async def _call_in_joined(self, call: Call, agent_id: int, at: datetime) -> None:
        """A call in reached an agent: the screen pop, with the agent's campaign (its script
        variant and callbacks), while the attempt stays out of every campaign's ledger."""
        await self.inbound.off_hold(call)
        await self.notifier.publish(
            CallConnected(
                at=at, call_id=call.call_id, agent_id=agent_id, account_id=call.account_id,
                debtor_id=call.debtor_id, campaign_id=self.inbound.campaign_of(call, agent_id),
                number=call.number, answer_to_agent_ms=call.answer_to_agent_ms or 0, inbound=True,
            )
        )  # fmt: skip
        await self.db(lambda s: store.record_joined(s, call.call_id, agent_id))

    async def _on_greeted(self, call: Call, fact: Fact) -> None:
        await self.inbound.greeted(call)

    async def _on_missed(self, call: Call, fact: Fact) -> None:
        """A caller held until the dialplan gave up: the closing message plays, then the end."""
        call.abandoned(fact.at)
        self.floor.release_call(call.call_id)

    async def _on_message(self, call: Call, fact: Fact) -> None:
        """A caller no agent took left a message after the tone (the dialplan's h extension,
        before the hang-up settles the call). A second or so is a hang-up at the tone."""
        if fact.seconds >= MESSAGE_MIN_SECONDS and fact.detail:
            call.message = fact.detail
            log.info("call in %s left a %d s message", call.call_id, fact.seconds)

    async def _on_opt_out(self, call: Call, fact: Fact) -> None:
        """The person pressed the opt-out key at the limited-content message: the number goes
        on the agency's do-not-call list now (the hang-up follows the confirmation); the
        attempt's notes say so when it settles."""
        call.opted_out = True
        new = await self.db(lambda s: stop_calls_to(s, call.number, fact.at))
        log.info("call %s: pressed %s at the message; %s on the do-not-call list%s",
                 call.call_id, fact.detail, call.number, "" if new else " already")  # fmt: skip

    async def _on_left(self, call: Call, fact: Fact) -> None:
        """The debtor left the bridge: on hold or transferred (a join follows) or hanging up."""

    async def _on_abandoned(self, call: Call, fact: Fact) -> None:
        call.abandoned(fact.at)
        self.floor.release_call(call.call_id)
        await self._announce_abandon(call, fact.at)

    async def _announce_abandon(self, call: Call, at: datetime) -> None:
        if call.abandon_told:
            return
        call.abandon_told = True
        runtime = self.campaigns.get(call.campaign_id or -1)
        if runtime is not None:
            # counted now, not when the message ends: the next tick must already see the
            # budget spent, or it could place more predictive calls while the message plays
            runtime.ledger.record(runtime.plan.day_of(self.clock()), "abandoned")
            runtime.observe(PacingEvent("abandoned", self.pacing_now()))
        await self.notifier.publish(
            CallAbandoned(
                at=at,
                call_id=call.call_id,
                campaign_id=call.campaign_id,
                account_id=call.account_id,
            )
        )

    async def _on_hangup(self, call: Call, fact: Fact) -> None:
        was_connected = call.state is CallState.CONNECTED
        call.hangup(fact.detail, fact.at)
        if call.is_over:
            await self._settle(call, was_connected)
        else:
            self._awaiting_reason[call.call_id] = time.monotonic()

    async def _sweep_hangups(self) -> None:
        """Settle calls whose bare hangup never got its OriginateResponse reason."""
        now = time.monotonic()
        for call_id, since in list(self._awaiting_reason.items()):
            call = self.calls.get(call_id)
            if call is None or call.is_over:
                del self._awaiting_reason[call_id]
            elif now - since > REASON_WAIT_S:
                del self._awaiting_reason[call_id]
                call.lost(self.clock())
                await self._settle(call)

    async def _on_reconciled(self, notice: Reconciled) -> None:
        """Settle every call that ended while AMI was away; re-learn which agents are in."""
        now = self.clock()
        log.warning("AMI reconciled (restarted=%s): %d live, %d ended unseen",
                    notice.restarted, len(notice.live), len(notice.ended))  # fmt: skip
        for call_id in notice.ended:
            call = self.calls.get(call_id)
            if call is not None and not call.is_over:
                was_connected = call.state is CallState.CONNECTED
                call.lost(now)
                await self._settle(call, was_connected)
        self._bridges_from([*notice.live.values(), *notice.untracked.values()])
        if notice.restarted:
            await self.inbound.greet()  # a restarted PBX read its globals from the config again
        await self.inbound.adopt_waiting(list(notice.untracked.values()))
        self.wake()

    # -- the end of a call ----------------------------------------------------------------------

    def _resolved(self, call: Call) -> None:
        """Tell pacing once how the placement resolved."""
        if call.pacing_told:
            return
        call.pacing_told = True
        runtime = self.campaigns.get(call.campaign_id or -1)
        if runtime is not None and call.mode != "preview":
            seconds = max(0.0, time.monotonic() - call.placed_at)
            result = pacing_result(call)
            runtime.observe(PacingEvent("resolved", self.pacing_now(), seconds, result))

    async def _settle(self, call: Call, was_connected: bool = False, notes: str = "") -> None:
        """Store the outcome once, free the agent, tell pacing and the screens."""
        self._resolved(call)
        self.calls.pop(call.call_id, None)
        self.ami.forget(call.call_id)
        self.floor.release_call(call.call_id)
        if self.inbound.unidentified(call):
            row = None
            await self.db(lambda s: store.record_unmatched(s, call))
            log.info("call in %s from %s ended with no account found; kept as unmatched",
                     call.call_id, call.number or "a withheld number")  # fmt: skip
        else:
            said = notes or (OPT_OUT_NOTE if call.opted_out else "")
            row = await self.db(lambda s: _settle_row(s, call, said))
        runtime = self.campaigns.get(call.campaign_id or -1)
        if runtime is not None and call.outcome != "abandoned":
            runtime.ledger.record(runtime.plan.day_of(self.clock()), call.outcome)
        if call.outcome == "abandoned" and call.mode != INBOUND:
            await self._announce_abandon(call, call.ended_at or self.clock())
        await self.inbound.off_hold(call)
        self.inbound.forget(call.call_id)
        if was_connected and call.agent_id is not None:
            if runtime is not None and call.connected_at and call.ended_at:
                talk = (call.ended_at - call.connected_at).total_seconds()
                runtime.observe(PacingEvent("talk_ended", self.pacing_now(), max(0.0, talk)))
            await self.set_agent_state(call.agent_id, "wrap_up", call.campaign_id)
        await self.notifier.publish(
            CallEnded(
                at=call.ended_at or self.clock(), call_id=call.call_id, account_id=call.account_id,
                outcome=call.outcome, agent_id=call.agent_id, attempt_id=row,
                recording_ref=call.recording,
            )
        )  # fmt: skip
        self.wake()


def _settle_row(session: Session, call: Call, notes: str) -> int | None:
    row = store.record_settled(session, call, notes)
    return row.id if row is not None else None


def describe(service: DialerService) -> dict[str, Any]:
    """A snapshot for logs and the `concord dialer` status line."""
    return {
        "calls": len(service.calls),
        "campaigns": {
            cid: {"mode": rt.effective_mode, "placed": dict(rt.placed)}
            for cid, rt in service.campaigns.items()
        },
        "agents_in_bridge": sorted(service.floor.in_bridge),
    }
