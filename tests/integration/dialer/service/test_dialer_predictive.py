"""Predictive dialling on the real Asterisk: the pacing policy's answer becomes Originates, more
calls than ready agents go out, and a spent abandon budget drops the campaign to progressive.

The policy is the real one from make_policy. A live floor teaches it over its first 300 dials;
a test cannot wait for that, so it starts from a previous shift's history (the same events the
dialer feeds it: resolutions, talk and wrap times) fed through its own `observe`.
"""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from ami_helpers import Watch
from dialer_rig import ASTERISK_ROOT, Floor, NoKeyOffer, Rig, running
from sqlmodel import select

from core.events import (
    CAMPAIGN_STATS_KEY,
    CallAbandoned,
    CallConnected,
    CallEnded,
    CallPlaced,
    CampaignStats,
    parse_envelope,
)
from core.models import ContactAttempt
from dialer import agents
from dialer.campaigns import CampaignPlan
from dialer.commands import CALL_COMMANDS_KEY
from dialer.pacing import PacingEvent, PacingPolicy, PacingSnapshot, make_policy

pytestmark = [pytest.mark.integration, pytest.mark.asterisk, pytest.mark.db]

# what each outcome digit of the simulated network may settle as
DESIGNED = {1: {"conversation", "abandoned"}, 3: {"voicemail"}, 4: {"busy"}, 5: {"no_answer"},
            0: {"not_connected"}}  # fmt: skip
TALK_S = 3.0  # how long a simulated agent talks before hanging up from the console


def previous_shift(policy: PacingPolicy, seed: int = 7) -> None:
    """A shift like this simulated network's: ~1 dial in 8 a person, short talks."""
    rng = random.Random(seed)
    at = 0.0
    for _ in range(400):
        at += 1.0
        draw = rng.random()
        if draw < 0.12:
            policy.observe(PacingEvent("resolved", at, rng.uniform(3, 6), "live"))
        elif draw < 0.40:
            policy.observe(PacingEvent("resolved", at, rng.uniform(3, 6), "machine"))
        elif draw < 0.70:
            policy.observe(PacingEvent("resolved", at, 0.2, "busy"))
        else:
            policy.observe(PacingEvent("resolved", at, 15.0, "no_answer"))
    for _ in range(40):
        policy.observe(PacingEvent("talk_ended", at, rng.uniform(3, 8)))
        policy.observe(PacingEvent("wrap_ended", at, rng.uniform(0.5, 2)))
        policy.observe(PacingEvent("connected", at, 0.05))


@dataclass
class Decisions:
    """The real policy, with each answer it gives written down."""

    policy: PacingPolicy
    asked: list[tuple[int, int]] = field(default_factory=list)  # (agents ready, calls)
    heard: list[PacingEvent] = field(default_factory=list)
    wraps: list[list[float]] = field(default_factory=list)  # wrap_elapsed per snapshot

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        calls = self.policy.calls_to_place(snapshot)
        self.asked.append((snapshot.agents_ready, calls))
        self.wraps.append(snapshot.wrap_elapsed)
        return calls

    def observe(self, event: PacingEvent) -> None:
        self.heard.append(event)
        self.policy.observe(event)


async def agents_work(rig: Rig, campaign_id: int, stop: asyncio.Event) -> None:
    """Simulated agents: talk TALK_S, hang up from the console, then ready again (until stop)."""
    handled: set[str] = set()
    freed: set[str] = set()
    while True:
        for event in rig.screens.of(CallConnected):
            if event.call_id not in handled:
                handled.add(event.call_id)
                asyncio.get_running_loop().call_later(
                    TALK_S, lambda c=event.call_id: asyncio.ensure_future(hang_up(rig, c))
                )
        for ended in rig.screens.of(CallEnded):
            if ended.agent_id is not None and ended.call_id not in freed:
                freed.add(ended.call_id)
                state: agents.AgentState = "paused" if stop.is_set() else "ready"
                await rig.set_state(ended.agent_id, state, campaign_id)
        await asyncio.sleep(0.05)


async def hang_up(rig: Rig, call_id: str) -> None:
    await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps({"call_id": call_id, "action": "hangup"}))


async def test_predictive_overdials_on_the_policys_word_and_falls_back_when_the_budget_is_spent(
    rig: Rig, floor: Floor
) -> None:
    # a tiny abandon target: the first abandon spends the budget
    floor.campaign.dial_mode, floor.campaign.abandon_target = "predictive", 0.001
    floor.portfolio.machine_action = "hangup"
    floor.client.callback_number = "+12025550123"
    floor.session.add_all([floor.campaign, floor.portfolio, floor.client])
    floor.session.commit()
    # first dialled (highest score): four people answering together, so once the policy asks
    # for more calls than the three agents, one of them is abandoned; then the rest of the mix
    mix = [(1, 1), (1, 1), (1, 1), (1, 1), (5, 1), (3, 1), (4, 1), (0, 1), (1, 3)]
    mix += [(4, 1), (1, 1), (1, 2), (3, 1), (1, 1), (0, 1)] * 3
    for rank, (digit, seconds) in enumerate(mix):
        floor.account(digit, seconds, score=1.0 - rank / 100)
    campaign_id = floor.campaign.id or 0
    decisions: list[Decisions] = []

    def pacing(plan: CampaignPlan) -> PacingPolicy:
        # as bold as a 3% campaign starts (a 0.1% one starts 30x more careful): it must
        # over-dial, so that the first abandon spends the tiny budget
        policy = make_policy("predictive", plan.abandon_target, initial_threshold=0.012)
        previous_shift(policy)
        decisions.append(Decisions(policy))
        return decisions[-1]

    rig.service.pacing = pacing
    rig.service.messages = NoKeyOffer.under_root(str(ASTERISK_ROOT))
    exts = ("7601", "7602", "7603")
    agent_ids = [floor.agent(ext) for ext in exts]
    watch = Watch(rig.ami)
    stop = asyncio.Event()
    async with running(rig):
        for ext in exts:
            await rig.login(ext)
        # all three softphones in their bridges first: one still joining made the first tick
        # see two ready agents (a slow CI machine, the PostgreSQL lane)
        await rig.screens.wait(lambda: set(exts) <= rig.service.floor.in_bridge, 10, "seated")
        worker = asyncio.create_task(agents_work(rig, campaign_id, stop))
        now = datetime.now(UTC)
        # all three ready in one write, then one pacing tick: three writes in a row let a tick
        # fall between them and see two
        ready = {"state": "ready", "since": now.timestamp(), "campaign_id": campaign_id}
        await rig.redis.hset(
            agents.AGENT_STATES_KEY, mapping={str(a): json.dumps(ready) for a in agent_ids}
        )
        rig.service.wake()
        runtime = await rig.screens.wait(lambda: rig.service.campaigns.get(campaign_id), 5, "rt")

        def stats(mode: str) -> list[CampaignStats]:
            return [s for s in rig.screens.of(CampaignStats) if s.effective_mode == mode]

        await rig.screens.wait(lambda: stats("predictive"), 10, "stats while predictive")
        await rig.screens.wait(lambda: rig.screens.of(CallAbandoned), 20, "an abandon")
        await rig.screens.wait(lambda: stats("progressive"), 25, "stats after the fallback")
        await rig.screens.wait(lambda: runtime.placed["progressive"], 10, "a progressive call")
        stop.set()  # agents finish their calls and step away; every call is let end
        for agent_id in agent_ids:
            if agent_id not in rig.service.floor.reserved:
                await rig.set_state(agent_id, "paused", campaign_id)
        await rig.screens.wait(
            lambda: (
                not rig.service.calls
                and len(rig.screens.of(CallEnded)) == len(rig.screens.of(CallPlaced))
            ),
            30,
            "every call ended",
        )
        worker.cancel()
    watch.close()

    # the policy's answers drove the Originates, and it asked for more calls than agents
    (policy,) = decisions
    first_ready, first_calls = next(asked for asked in policy.asked if asked != (0, 0))
    assert first_ready == 3 and first_calls > 3, policy.asked
    assert runtime.placed["predictive"] == sum(calls for _, calls in policy.asked)
    assert any(calls > ready for ready, calls in policy.asked)
    # every attempt stored once, settled, announced once
    floor.session.expire_all()
    rows = floor.session.exec(select(ContactAttempt)).all()
    placed = [e.call_id for e in rig.screens.of(CallPlaced)]
    assert sorted(placed) == sorted(r.call_id for r in rows) and len(set(placed)) == len(rows)
    assert sum(runtime.placed.values()) == len(rows)
    assert all(r.outcome and r.ended_at for r in rows)
    ended = [e.call_id for e in rig.screens.of(CallEnded)]
    assert sorted(ended) == sorted(placed)
    outcomes = [r.outcome for r in rows]
    assert {"conversation", "abandoned"} <= set(outcomes)
    for row in rows:  # each number did what its digit says (+1 NPA 555 01 D N)
        assert row.outcome in DESIGNED[int(row.to_address[-2])], (row.to_address, row.outcome)
    # live answers reached agents within the 2 s window
    connects = rig.screens.of(CallConnected)
    assert len(connects) == outcomes.count("conversation") >= 3
    assert all(c.agent_id in agent_ids and c.answer_to_agent_ms < 2000 for c in connects)
    # each abandon heard the client's message and counts against the campaign
    abandoned = {r.call_id for r in rows if r.outcome == "abandoned"}
    assert {e.call_id for e in rig.screens.of(CallAbandoned)} == abandoned
    heard = {m["CallId"]: m for m in watch.user_events("ConcordMessage")}
    assert abandoned <= set(heard)
    assert runtime.message and all(
        (heard[c]["Message"] or "").endswith(f"&{runtime.message}") for c in abandoned
    )  # the debtor's name first, then the client's words
    assert all(heard[c]["Status"] == "SUCCESS" for c in abandoned)
    days = [runtime.ledger.rate_day(d) for d in {r.started_at.date() for r in rows}]  # midnight
    assert sum(rate.abandoned for rate in days) == len(abandoned)
    assert sum(rate.live for rate in days) == len(connects) + len(abandoned)
    last = rig.screens.of(CampaignStats)[-1]
    assert (last.dial_mode, last.effective_mode) == ("predictive", "progressive")
    assert last.pacing.startswith("30-day abandon budget spent")
    assert stats("predictive")[0].pacing == "dialing ahead"
    kept = await rig.redis.hget(CAMPAIGN_STATS_KEY, str(campaign_id))  # what the lead page reads
    assert kept is not None and parse_envelope(kept) == last
    if len(days) == 1:  # a run across midnight splits today's rate; the sums above still hold
        live = len(connects) + len(abandoned)
        assert last.abandon_rate_today == pytest.approx(len(abandoned) / live)
    print(
        f"\npolicy asked (ready, calls): {policy.asked[:12]}"
        f"\nplaced by mode: {dict(runtime.placed)}; outcomes: "
        f"{ {o: outcomes.count(o) for o in set(outcomes)} }"
        f"\nanswer-to-agent ms: {sorted(c.answer_to_agent_ms for c in connects)}"
    )


async def test_a_wrap_up_is_timed_from_the_calls_end_through_the_saved_outcome(
    rig: Rig, floor: Floor
) -> None:
    """The console restarts an agent's `since` when the outcome is saved (timed after-call work
    follows); the policy must still hear one wrap-up, from the call's end to ready."""
    floor.campaign.dial_mode = "predictive"
    floor.session.add(floor.campaign)
    floor.session.commit()
    campaign_id = floor.campaign.id or 0
    agent_id = floor.agent("7601")
    decisions: list[Decisions] = []

    def pacing(plan: CampaignPlan) -> PacingPolicy:
        decisions.append(Decisions(make_policy("predictive", plan.abandon_target)))
        return decisions[-1]

    rig.service.pacing = pacing
    call_ended = datetime.now(UTC) - timedelta(seconds=40)
    await agents.write_state(rig.redis, agent_id, "wrap_up", call_ended, campaign_id)

    async def next_wraps() -> list[float]:
        """The wrap-up times the next pacing tick hands the policy."""
        seen = len(decisions[0].wraps) if decisions else 0
        rig.service.wake()
        await rig.screens.wait(lambda: decisions and len(decisions[0].wraps) > seen, 5, "a tick")
        return decisions[0].wraps[-1]

    async with running(rig):
        assert (await next_wraps())[0] >= 40.0
        await rig.set_state(agent_id, "wrap_up", campaign_id)  # the outcome saved just now
        saved_seen = lambda: any(  # noqa: E731
            v.agent_id == agent_id and v.since > call_ended.timestamp() + 30
            for v in rig.service.floor.views.values()
        )
        await rig.screens.wait(saved_seen, 5, "the console's save seen")
        wraps = await next_wraps()
        assert len(wraps) == 1 and wraps[0] >= 40.0, wraps
        await rig.set_state(agent_id, "ready", campaign_id)
        (policy,) = decisions
        wrap_ends = lambda: [e for e in policy.heard if e.kind == "wrap_ended"]  # noqa: E731
        await rig.screens.wait(wrap_ends, 5, "the wrap-up's end heard")
    (ended,) = wrap_ends()
    assert 40.0 <= ended.seconds < 50.0
