"""One campaign while the dialer runs it: its hopper, pacing policy, abandon ledger and mode.

Each tick decides how many calls to place (progressive: one per free agent; predictive: the
pacing policy; preview: none, agents click), tops the hopper up with accounts the compliance
engine allows, asks the engine again for each account just before dialling it, and places the
calls. A hopper that cannot supply a call the floor needs raises HopperEmpty; the floor never
goes quiet without someone being told why.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core.events import (
    NOTHING_TO_DIAL,
    OUTSIDE_SCHEDULE,
    CampaignStats,
    HopperEmpty,
    pause_pending,
)
from dialer import gate
from dialer.abandon import AbandonLedger, effective_mode, pacing_history
from dialer.calls import CONNECT_DEADLINE_S, Call
from dialer.campaigns import CampaignPlan, standard_offset
from dialer.candidates import callable_now, clear_to_dial
from dialer.hopper import Candidate, Hopper
from dialer.models import PacingMemory
from dialer.pacing import make_policy
from dialer.pacing_contract import PacingEvent, PacingPolicy
from dialer.pacing_predictive import PredictivePolicy, default_day_cap, progressive_calls
from dialer.snapshot import pacing_snapshot, pauses_due

if TYPE_CHECKING:
    from dialer.service import DialerService

log = logging.getLogger(__name__)

ALERT_EVERY_S = 60.0
STATS_EVERY_S = 5.0
# Refill at least this often even when the hopper is full, so a callback that fell due and a
# changed segment score get their place in the queue.
REFILL_EVERY_S = 30.0
# After a refill found nothing to dial, search again only this often: a search reads up to
# candidates.SCAN_LIMIT accounts, and what frees one up (a clock hour, a retry interval, an
# import) does not come every tick.
STARVED_REFILL_S = 15.0


@dataclass
class CampaignRuntime:
    plan: CampaignPlan
    ledger: AbandonLedger
    predictive: PacingPolicy
    hopper: Hopper
    effective_mode: str
    # the client's limited-content message (a Playback name), "" for the dialplan's default
    message: str = ""
    # calls placed since start, by the mode that placed them (logs, `describe`, tests)
    placed: Counter[str] = field(default_factory=Counter)
    last_alert: float = -ALERT_EVERY_S
    last_stats: float = -STATS_EVERY_S
    last_refill: float = field(default=-REFILL_EVERY_S)
    # why the last refill found nothing to dial ("" while it found something): the alert's and
    # the wallboard's words
    starved: str = ""
    # where the next refill reads on from, when the last one stopped at its limit short of
    # enough accounts (candidates.callable_now); None: from the best-scored account
    resume: tuple[float, int] | None = None
    # attempts of today and yesterday already out of the ledger: agents heard no live person
    uncounted: set[int] = field(default_factory=set)

    @classmethod
    def build(
        cls,
        campaign: CampaignPlan,
        ledger: AbandonLedger,
        pacing: Callable[[CampaignPlan], PacingPolicy] | None = None,
        memory: PacingMemory | None = None,
    ) -> CampaignRuntime:
        """`pacing` makes the predictive policy for a plan (default: make_policy's own); it
        hears the stored window's live answers before its first decision, and resumes from
        `memory`, what it had learned when a dialer last saved it."""
        predictive = _policy(campaign, ledger, pacing)
        if memory is not None and isinstance(predictive, PredictivePolicy):
            resume(predictive, memory)
        return cls(
            plan=campaign,
            ledger=ledger,
            predictive=predictive,
            hopper=Hopper(campaign.id),
            effective_mode=campaign.dial_mode,
        )

    def retarget(
        self, campaign: CampaignPlan, pacing: Callable[[CampaignPlan], PacingPolicy] | None = None
    ) -> None:
        """Takes `campaign`'s new abandon target (or per-day limit, when a portfolio of another
        law joins it) at once rather than at the next dialer start: a team lead who lowers a
        client's target means the calls placed from now on. A policy
        for the new target hears the window's live answers again and resumes what the old one
        had learned, its threshold scaled to the new target (`PredictivePolicy.recall`)."""
        old = self.predictive
        self.predictive = _policy(campaign, self.ledger, pacing)
        if isinstance(old, PredictivePolicy) and isinstance(self.predictive, PredictivePolicy):
            self.predictive.recall(old.memory())
        log.warning("campaign %s: abandon target now %.2f%% (was %.2f%%), day limit %s; pacing "
                    "follows it now", campaign.id, campaign.abandon_target * 100,
                    self.plan.abandon_target * 100, campaign.day_limit)  # fmt: skip
        self.plan = campaign

    def resume_from(self, before: CampaignRuntime) -> None:
        """Takes over what `before` (this campaign's runtime until its settings changed under
        it) had learned and the mode it dials in, keeping this one's own ledger."""
        old, new = before.predictive, self.predictive
        if isinstance(old, PredictivePolicy) and isinstance(new, PredictivePolicy):
            new.recall(old.memory())
        self.effective_mode = before.effective_mode

    def take_out(self, no_live_person: Mapping[int, date]) -> None:
        """Takes the connected calls agents have since dispositioned as no contact (AMD let a
        machine through) out of the ledger, each once, so the rate the cap and the fallback to
        progressive go by is the rate over live answers now, not at the next dialer start.
        `no_live_person` is every such attempt since yesterday (store.no_live_person)."""
        for attempt_id, day in no_live_person.items():
            if attempt_id not in self.uncounted:
                self.ledger.uncount_live(day)
        self.uncounted = set(no_live_person)

    def observe(self, event: PacingEvent) -> None:
        """The predictive policy keeps learning even while the campaign runs progressive."""
        self.predictive.observe(event)

    # -- one tick -------------------------------------------------------------------------------

    async def tick(self, service: DialerService) -> None:
        now = service.clock()
        rate = self.ledger.rate_30d(self.plan.day_of(now))
        mode = effective_mode(
            self.plan.dial_mode, rate, self.plan.abandon_target, self.effective_mode
        )
        if mode != self.effective_mode:
            log.warning("campaign %s now dials %s (30-day abandon rate %.2f%%)",
                        self.plan.id, mode, rate.value * 100)  # fmt: skip
            self.effective_mode = mode
        await self._start_pauses(service)
        wanted = 0
        if (
            mode != "preview"
            and self.plan.in_schedule(now)
            and not service.inbound.holding_for(self.plan.client_id)
        ):
            wanted = self._calls_wanted(service)
        if wanted > 0:
            placed = await self._dial(service, wanted, now)
            self.placed[mode] += placed
            if placed:
                self.starved = ""
            if mode == "predictive":
                log.info("campaign %s: pacing asked for %d call(s), %d placed", self.plan.id,
                         wanted, placed)  # fmt: skip
            if placed == 0 and time.monotonic() - self.last_alert >= ALERT_EVERY_S:
                self.last_alert = time.monotonic()
                reason = self.starved or "no account of this campaign may be called now"
                await service.notifier.publish(
                    HopperEmpty(at=now, campaign_id=self.plan.id, reason=reason)
                )
        else:
            self.starved = ""  # the floor asks for nothing: the wallboard shows the mode
        if time.monotonic() - self.last_stats >= STATS_EVERY_S:
            self.last_stats = time.monotonic()
            await self._publish_stats(service, now)

    async def _start_pauses(self, service: DialerService) -> None:
        """Pauses the agents who asked while calls were out for them, once those are settled."""
        calls = self._own_calls(service)
        for view in pauses_due(
            calls, service.floor, self.plan.id, service.pacing_now(), time.monotonic()
        ):
            reason = pause_pending(view.reason) or ""
            log.info("agent %s: calls out before the pause settled; paused (%s)",
                     view.agent_id, reason)  # fmt: skip
            await service.set_agent_state(view.agent_id, "paused", view.campaign_id, reason)

    def _own_calls(self, service: DialerService) -> list[Call]:
        return [c for c in service.calls.values() if c.campaign_id == self.plan.id]

    def _calls_wanted(self, service: DialerService) -> int:
        snapshot = pacing_snapshot(
            self._own_calls(service),
            service.floor,
            self.plan.id,
            service.pacing_now(),
            time.monotonic(),
        )
        if self.effective_mode == "progressive":
            return progressive_calls(snapshot)
        return self.predictive.calls_to_place(snapshot)

    async def _dial(self, service: DialerService, wanted: int, now: datetime) -> int:
        busy = {c.account_id for c in service.calls.values()}
        since = time.monotonic() - self.last_refill
        resting = self.starved and since < STARVED_REFILL_S  # a search found nothing just now
        if since >= REFILL_EVERY_S or (self.hopper.wants_refill(wanted) and not resting):
            self.last_refill = time.monotonic()
            start = self.resume
            search = await service.db(
                lambda s: callable_now(s, self.plan, now, self.hopper.size, start)
            )
            self.hopper.refill(search.found, busy)
            self.starved = "" if search.found else search.why_none()
            self.resume = search.resume
        placed, tries = 0, 0
        while placed < wanted and tries < wanted + self.hopper.size:
            tries += 1
            ready = set(service.floor.dialable(self.plan.id))
            entry = self.hopper.take(ready, now)
            if entry is None:
                break
            if entry.account_id in busy:
                continue
            if await self._place(service, entry, ready, now):
                placed += 1
                busy.add(entry.account_id)
        return placed

    async def _place(
        self, service: DialerService, entry: Candidate, ready: set[int], now: datetime
    ) -> bool:
        """Ask the work rules and compliance once more, then place the call; False when the
        account may not be dialled now."""
        try:
            cleared = await service.db(lambda s: clear_to_dial(s, self.plan, entry, now))
        except gate.ContactDataError as exc:
            log.error("%s; account skipped", exc)
            return False
        if isinstance(cleared, str):
            log.info("account %s no longer dialled: %s", entry.account_id, cleared)
            return False
        owner = entry.callback_agent if entry.callback_agent in ready else None
        call = Call(
            call_id=f"cc-{uuid.uuid4().hex[:24]}",
            campaign_id=self.plan.id,
            account_id=entry.account_id,
            debtor_id=entry.debtor_id,
            number=entry.number,
            mode="callback" if entry.callback_id else self.effective_mode,
            placed_at=time.monotonic(),
            agent_hint=owner,
            callback_id=entry.callback_id,
            decision=cleared.record,
        )
        if owner is not None:
            service.floor.reserve(owner, call.call_id)
        variables = {"CONCORD_MACHINE": "message" if cleared.machine == "voicemail" else "hangup"}
        if self.message:
            variables["CONCORD_MESSAGE"] = self.message
        return await service.place(
            call, caller_id=self.plan.caller_id, script_name=self.plan.script_name,
            variables=variables, addressee=cleared.addressee,
        )  # fmt: skip

    async def _publish_stats(self, service: DialerService, now: datetime) -> None:
        calls = self._own_calls(service)
        await service.notifier.publish(
            CampaignStats(
                at=now, campaign_id=self.plan.id, dial_mode=self.plan.dial_mode,
                effective_mode=self.effective_mode,
                abandon_rate_30d=self.ledger.rate_30d(self.plan.day_of(now)).value,
                abandon_rate_today=self.ledger.rate_day(self.plan.day_of(now)).value,
                agents_ready=len(service.floor.available(self.plan.id)),
                calls_in_flight=len(calls), hopper_size=len(self.hopper),
                pacing=self.standing(now),
            )
        )  # fmt: skip

    def standing(self, now: datetime) -> str:
        """What the wallboard says about how this campaign dials right now, and why."""
        if not self.plan.in_schedule(now):
            return OUTSIDE_SCHEDULE
        if self.starved:
            return f"{NOTHING_TO_DIAL}{self.starved}"
        if self.effective_mode == "preview":
            return "agents dial from the account preview"
        if self.effective_mode == "progressive":
            if self.plan.dial_mode == "predictive":
                return "30-day abandon budget spent: one call per ready agent until it recovers"
            return "one call per ready agent"
        if isinstance(self.predictive, PredictivePolicy):
            return self.predictive.standing()
        return "dialing ahead"


def resume(policy: PredictivePolicy, memory: PacingMemory) -> None:
    """Loads a stored memory; one that cannot be read is logged and left for the next save to
    replace, and the policy learns afresh (dialing progressively meanwhile)."""
    try:
        policy.recall(memory.memory)
    except ValueError as exc:
        log.warning("campaign %s: stored pacing memory of %s not used (%s); learning afresh",
                    memory.campaign_id, memory.saved_at, exc)  # fmt: skip
        return
    log.info("campaign %s: pacing resumes what it had learned by %s (%d placements, %d talks)",
             memory.campaign_id, memory.saved_at, policy.dials.all.samples,
             policy.talk.samples)  # fmt: skip


def default_pacing(campaign: CampaignPlan) -> PacingPolicy:
    """The predictive policy for the campaign's target, counting on an agent freeing up only
    within the dialer's own connect deadline (not the rule's 2 s: detection takes the rest);
    where its portfolios' law caps every day (campaign.day_limit), the policy's day cap is that
    limit when it is the lower. Its days are the campaign's (schedule time zone, standard time)."""
    target = campaign.abandon_target
    offset = standard_offset(ZoneInfo(campaign.timezone), datetime.now(UTC))
    if campaign.day_limit is None:
        return make_policy(
            "predictive", target, grace_seconds=CONNECT_DEADLINE_S, day_offset=offset
        )
    return make_policy(
        "predictive", target, grace_seconds=CONNECT_DEADLINE_S, day_offset=offset,
        day_cap=min(campaign.day_limit, default_day_cap(target)),
    )  # fmt: skip


def _policy(
    campaign: CampaignPlan,
    ledger: AbandonLedger,
    pacing: Callable[[CampaignPlan], PacingPolicy] | None,
) -> PacingPolicy:
    """The campaign's predictive policy, having heard the stored window's live answers (its
    window budget and day guard start from the ledger, not from zero)."""
    policy = (pacing or default_pacing)(campaign)
    for event in pacing_history(ledger, ZoneInfo(campaign.timezone)):
        policy.observe(event)
    return policy
