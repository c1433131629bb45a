"""The dialer service end to end on the real Asterisk: campaigns, outcomes, agents, recovery."""

from __future__ import annotations

import asyncio
import json

import pytest
from dialer_rig import Floor, Rig, host_path, running
from sqlmodel import Session, select

from core.events import CallAbandoned, CallConnected, CallEnded, CallPlaced, agent_channel
from core.models import Callback, ContactAttempt, utcnow
from dialer import agents
from dialer.ami import AmiClient
from dialer.commands import CALL_COMMANDS_KEY, DIAL_REQUESTS_KEY
from dialer.service import DialerService

pytestmark = [pytest.mark.integration, pytest.mark.asterisk, pytest.mark.db]


def attempts(session: Session) -> list[ContactAttempt]:
    session.expire_all()
    return list(session.exec(select(ContactAttempt)).all())


async def hang_up_when_connected(rig: Rig, call_id: str, after: float = 0.3) -> None:
    """What an agent does from the console: end the conversation with the call controls."""
    await asyncio.sleep(after)
    await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps({"call_id": call_id, "action": "hangup"}))


async def settle_every_placed_call(rig: Rig, timeout: float) -> None:
    """Hang up each connected call that has not ended, until every placed call has ended."""
    hung: set[str] = set()

    def unsettled() -> set[str]:
        ended = {e.call_id for e in rig.screens.of(CallEnded)}
        return {e.call_id for e in rig.screens.of(CallPlaced)} - ended

    async def hang_up_connected() -> bool:
        pending = unsettled()
        for call in rig.screens.of(CallConnected):
            if call.call_id in pending and call.call_id not in hung:
                hung.add(call.call_id)
                await hang_up_when_connected(rig, call.call_id, 0)
        return not pending

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await hang_up_connected():
        if loop.time() > deadline:
            raise AssertionError(f"calls still open after {timeout}s: {sorted(unsettled())}")
        await asyncio.sleep(0.1)


async def agents_free_again(rig: Rig, floor: Floor, campaign_id: int) -> None:
    """Simulated agents: after each call's wrap-up, go ready again."""
    seen: set[str] = set()
    while True:
        for ended in rig.screens.of(CallEnded):
            if ended.call_id in seen or ended.agent_id is None:
                continue
            seen.add(ended.call_id)
            await rig.set_state(ended.agent_id, "ready", campaign_id)
        await asyncio.sleep(0.05)


async def test_progressive_campaign_records_each_outcome_and_connects_live_answers(
    rig: Rig, floor: Floor
) -> None:
    # no-answer first (highest score) so its 15 s of ringing overlaps the rest
    no_answer = floor.account(5, score=0.99)
    live_a = floor.account(1, score=0.9)
    busy = floor.account(4, score=0.8)
    machine = floor.account(3, score=0.7)
    live_b = floor.account(1, score=0.6)
    dead = floor.account(0, score=0.5)
    campaign_id = floor.campaign.id or 0
    agent_ids = [floor.agent(ext) for ext in ("7101", "7102", "7103")]
    async with running(rig):
        for ext in ("7101", "7102", "7103"):
            await rig.login(ext)
        helper = asyncio.create_task(agents_free_again(rig, floor, campaign_id))
        for agent_id in agent_ids:
            await rig.set_state(agent_id, "ready", campaign_id)
        hangups: list[asyncio.Task[None]] = []

        def connected() -> list[CallConnected]:
            found = rig.screens.of(CallConnected)
            for ev in found[len(hangups) :]:
                hangups.append(asyncio.create_task(hang_up_when_connected(rig, ev.call_id)))
            return found if len(found) >= 2 else []

        await rig.screens.wait(connected, 25, "two live answers connected")
        await rig.screens.wait(lambda: len(rig.screens.of(CallEnded)) >= 6, 30, "six calls ended")
        helper.cancel()

    by_account = {a.account_id: a for a in attempts(floor.session)}
    assert len(attempts(floor.session)) == 6
    outcomes = {acc.id: by_account[acc.id or 0].outcome for acc in
                (no_answer, live_a, busy, machine, live_b, dead)}  # fmt: skip
    assert outcomes == {
        no_answer.id: "no_answer", live_a.id: "conversation", busy.id: "busy",
        machine.id: "voicemail", live_b.id: "conversation", dead.id: "not_connected",
    }  # fmt: skip
    for event in rig.screens.of(CallConnected):
        row = next(a for a in attempts(floor.session) if a.call_id == event.call_id)
        assert event.agent_id in agent_ids and row.agent_id == event.agent_id
        assert event.debtor_id == row.debtor_id
        assert event.answer_to_agent_ms < 2000
        assert row.recording_ref.endswith(f"{row.call_id}.wav")
        assert host_path(row.recording_ref).exists()
        assert row.ended_at is not None and row.started_at < row.ended_at
        assert row.compliance["allowed"] is True
    placed = {e.call_id for e in rig.screens.of(CallPlaced)}
    assert placed == {a.call_id for a in attempts(floor.session)}
    print("answer-to-agent ms:", rig.service.answer_to_agent_ms)


async def test_live_answer_with_no_agent_ready_hears_the_message_and_counts_abandoned(
    rig: Rig, floor: Floor
) -> None:
    account = floor.account(1)
    agent_id = floor.agent("7201")
    campaign_id = floor.campaign.id or 0
    async with running(rig):
        await rig.login("7201")
        await rig.set_state(agent_id, "ready", campaign_id)
        await rig.screens.wait(lambda: rig.screens.of(CallPlaced), 5, "the call placed")
        # the agent takes a break while the number rings: nobody is ready at the answer
        await rig.set_state(agent_id, "paused", campaign_id)
        abandoned = await rig.screens.wait(lambda: rig.screens.of(CallAbandoned), 15, "abandon")
        await rig.screens.wait(lambda: rig.screens.of(CallEnded), 15, "the call ended")
    (row,) = attempts(floor.session)
    assert abandoned[0].call_id == row.call_id and row.account_id == account.id
    assert row.outcome == "abandoned"
    assert not rig.screens.of(CallConnected)
    assert host_path(row.recording_ref).exists()
    # the limited-content message played: the call lasted beyond the 2 s wait
    assert row.ended_at is not None
    ledger = rig.service.campaigns[campaign_id].ledger
    assert ledger.rate_day(row.ended_at.date()).value == 1.0


async def agent_view(rig: Rig, agent_id: int) -> agents.AgentView:
    return (await agents.read_states(rig.redis))[agent_id]


async def test_a_pause_asked_while_the_call_rings_takes_the_call_then_pauses(
    rig: Rig, floor: Floor
) -> None:
    """The same click as above, from the console, which now waits for the calls already out
    (console.services.agent_state.pause): the debtor reaches the agent, not the message."""
    floor.account(1, seconds=3)
    agent_id = floor.agent("7205")
    campaign_id = floor.campaign.id or 0
    async with running(rig):
        await rig.login("7205")
        await rig.set_state(agent_id, "ready", campaign_id)
        (placed,) = await rig.screens.wait(lambda: rig.screens.of(CallPlaced), 5, "placed")
        await rig.set_state(agent_id, "ready", campaign_id, "pausing:break")
        await asyncio.sleep(0.5)  # a few ticks: the call out was paced counting on the agent
        assert (await agent_view(rig, agent_id)).state == "ready"
        (joined,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "joined")
        assert joined.agent_id == agent_id and joined.call_id == placed.call_id
        assert (await agent_view(rig, agent_id)).reason == "pausing:break"  # on the call
        await hang_up_when_connected(rig, joined.call_id)
        await rig.screens.wait(lambda: rig.screens.of(CallEnded), 15, "the call ended")
        await asyncio.sleep(0.3)
        after = await agent_view(rig, agent_id)
    assert (after.state, after.reason) == ("wrap_up", "pausing:break")  # the console pauses
    assert not rig.screens.of(CallAbandoned)
    (row,) = attempts(floor.session)
    assert row.outcome == "conversation"


async def test_a_pause_with_no_call_out_before_it_starts_within_a_tick(
    rig: Rig, floor: Floor
) -> None:
    agent_id = floor.agent("7206")
    campaign_id = floor.campaign.id or 0
    async with running(rig):
        await rig.login("7206")
        await rig.set_state(agent_id, "ready", campaign_id, "pausing:lunch")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while (view := await agent_view(rig, agent_id)).state != "paused":
            assert loop.time() < deadline, f"still {view}"
            await asyncio.sleep(0.1)
    assert view.reason == "lunch" and not rig.screens.of(CallPlaced)


@pytest.mark.parametrize(
    ("machine_action", "outcome"), [("voicemail", "abandoned"), ("hangup", "voicemail")]
)
async def test_a_person_amd_took_for_a_machine_who_hangs_up_on_the_message_counts_abandoned(
    rig: Rig, floor: Floor, machine_action: str, outcome: str
) -> None:
    """+1 NPA 555 0199 answers with a long hello (AMD: MACHINE) and hangs up 2 s later. With
    the message to leave, the hang-up comes before it is left: a person, counted abandoned.
    Told to hang up on machines, the dialer hangs up first and AMD's verdict is all it has."""
    floor.portfolio.machine_action = machine_action
    floor.session.add(floor.portfolio)
    floor.account(9, 9)
    agent_id = floor.agent("7211")
    campaign_id = floor.campaign.id or 0
    async with running(rig):
        await rig.login("7211")
        await rig.set_state(agent_id, "ready", campaign_id)
        (ended,) = await rig.screens.wait(lambda: rig.screens.of(CallEnded), 20, "the call ended")
    (row,) = attempts(floor.session)
    assert (ended.outcome, row.outcome) == (outcome, outcome)
    assert not rig.screens.of(CallConnected)
    abandons = [e.call_id for e in rig.screens.of(CallAbandoned)]
    assert abandons == ([row.call_id] if outcome == "abandoned" else [])
    ledger = rig.service.campaigns[campaign_id].ledger
    assert ledger.rate_day(row.started_at.date()).abandoned == len(abandons)


async def test_due_callback_goes_to_the_agent_who_scheduled_it(rig: Rig, floor: Floor) -> None:
    account = floor.account(1)
    first, owner = floor.agent("7301"), floor.agent("7302")
    campaign_id = floor.campaign.id or 0
    floor.session.add(
        Callback(account_id=account.id or 0, agent_id=owner, campaign_id=campaign_id,
                 due_at=utcnow())
    )  # fmt: skip
    floor.session.commit()
    async with running(rig):
        await rig.login("7301")
        await rig.login("7302")
        # 7301 has waited longest, so a plain call would go to them
        await rig.set_state(first, "ready", campaign_id)
        await asyncio.sleep(0.2)
        await rig.set_state(owner, "ready", campaign_id)
        (event,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "connect")
        await hang_up_when_connected(rig, event.call_id, 0)
        await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the call ended")
    assert event.agent_id == owner and event.account_id == account.id
    floor.session.expire_all()
    assert floor.session.exec(select(Callback)).one().status == "dialed"


async def test_ami_drop_mid_call_and_asterisk_restart_mid_campaign_record_every_attempt_once(
    rig: Rig, floor: Floor
) -> None:
    talked = floor.account(1, score=0.9)
    ringing = floor.account(5, score=0.8)
    later = [floor.account(1, score=0.5), floor.account(1, score=0.4)]
    campaign_id = floor.campaign.id or 0
    exts = ("7401", "7402")
    agent_ids = [floor.agent(ext) for ext in exts]
    direct = AmiClient("127.0.0.1", rig.asterisk.ami_port, "concord", "concord-secret")
    await direct.start(timeout=10)
    async with running(rig):
        for ext in exts:
            await rig.login(ext)
        helper = asyncio.create_task(agents_free_again(rig, floor, campaign_id))
        for agent_id in agent_ids:
            await rig.set_state(agent_id, "ready", campaign_id)
        (first,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "connect")
        assert first.account_id == talked.id

        # the wire to Asterisk breaks mid-call; the debtor hangs up while the dialer is blind
        rig.proxy.cut()
        await direct.send_action("Hangup", {"Channel": first.call_id})
        ended = await rig.screens.wait(
            lambda: [e for e in rig.screens.of(CallEnded) if e.call_id == first.call_id], 15,
            "the unseen hangup settled after reconnect",
        )  # fmt: skip
        assert ended[0].outcome == "conversation"

        # Asterisk itself restarts while the second number still rings
        assert any(c.account_id == ringing.id for c in rig.service.calls.values())
        await direct.close()
        await asyncio.to_thread(rig.asterisk.restart)
        await rig.screens.wait(
            lambda: any(e.account_id == ringing.id for e in rig.screens.of(CallEnded)), 20,
            "the ringing call settled after the restart",
        )  # fmt: skip

        # agents' softphones come back and the campaign carries on
        for ext in exts:
            await rig.login(ext)
        for agent_id in agent_ids:
            await rig.set_state(agent_id, "ready", campaign_id)
        (after,) = await rig.screens.wait(
            lambda: [e for e in rig.screens.of(CallConnected) if e.call_id != first.call_id][:1],
            15, "a call connected after the restart",
        )  # fmt: skip
        await hang_up_when_connected(rig, after.call_id, 0)
        await rig.screens.wait(
            lambda: [e for e in rig.screens.of(CallEnded) if e.call_id == after.call_id], 10,
            "that call ended",
        )  # fmt: skip
        helper.cancel()
        # The other ready agent may have been sent a call too: wind the floor down so every
        # placed call is settled before the service stops (a stop leaves live calls open).
        for agent_id in agent_ids:
            await rig.set_state(agent_id, "paused", campaign_id)
        await settle_every_placed_call(rig, 40)

    rows = attempts(floor.session)
    placed = [e.call_id for e in rig.screens.of(CallPlaced)]
    assert sorted(placed) == sorted(r.call_id for r in rows)  # one row per call, none twice
    assert all(r.outcome and r.ended_at for r in rows)
    outcomes = {(r.account_id, r.outcome) for r in rows}
    assert (talked.id, "conversation") in outcomes
    assert (ringing.id, "no_answer") in outcomes  # it rang when the PBX went down
    assert after.account_id in {a.id for a in later}
    assert (after.account_id, "conversation") in outcomes
    # a dial Asterisk refused while shutting down is kept as not_connected, nothing else
    assert all(r.outcome == "not_connected" for r in rows if r.notes)
    ended_ids = [e.call_id for e in rig.screens.of(CallEnded)]
    assert len(ended_ids) == len(set(ended_ids)) == len(rows)


async def test_preview_dial_connects_the_agent_who_clicked_and_a_refusal_says_why(
    rig: Rig, floor: Floor
) -> None:
    allowed = floor.account(1)
    blocked = floor.account(1, dnc=True)
    floor.campaign.dial_mode = "preview"
    floor.session.add(floor.campaign)
    floor.session.commit()
    agent_id = floor.agent("7501")
    campaign_id = floor.campaign.id or 0
    pubsub = rig.redis.pubsub()
    await pubsub.subscribe(agent_channel(agent_id))
    async with running(rig):
        await rig.login("7501")
        await rig.set_state(agent_id, "paused", campaign_id)  # preview: no automatic dials
        for account in (blocked, allowed):
            request = {"agent_id": agent_id, "account_id": account.id, "campaign_id": campaign_id,
                       "number": floor.number(1)}  # fmt: skip
            await rig.redis.rpush(DIAL_REQUESTS_KEY, json.dumps(request))
        (event,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "connect")
        await hang_up_when_connected(rig, event.call_id, 0)
        await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the call ended")
        refusal = None
        deadline = asyncio.get_running_loop().time() + 5
        while refusal is None and asyncio.get_running_loop().time() < deadline:
            # None also stands for the ignored subscribe confirmation: keep reading
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
            if message is not None and json.loads(message["data"])["op"] == "dial_refused":
                refusal = json.loads(message["data"])["data"]
        assert refusal is not None, "no refusal reached the agent"
    await pubsub.aclose()
    assert event.agent_id == agent_id and event.account_id == allowed.id
    assert refusal["account_id"] == blocked.id and refusal["reasons"] == ["dnc"]
    assert "do-not-call" in refusal["explanations"][0]
    assert refusal["next_allowed_at"] is None
    (row,) = attempts(floor.session)  # the refused dial left no attempt
    assert row.account_id == allowed.id and row.outcome == "conversation"
    assert row.agent_id == agent_id


async def test_attempt_left_open_by_a_stopped_dialer_is_settled_once_at_start(
    rig: Rig, floor: Floor
) -> None:
    account = floor.account(1)
    floor.session.add(
        ContactAttempt(account_id=account.id or 0, debtor_id=account.debtor_id, channel="call",
                       started_at=utcnow(), call_id="cc-from-a-crashed-run")
    )  # fmt: skip
    floor.session.commit()
    floor.campaign.active = False  # nothing new is dialled: only the recovery is under test
    floor.session.add(floor.campaign)
    floor.session.commit()
    async with running(rig):
        await rig.screens.wait(
            lambda: all(r.outcome for r in attempts(floor.session)), 5, "the orphan settled"
        )
    (row,) = attempts(floor.session)
    assert (row.outcome, row.ended_at is not None) == ("no_answer", True)


async def test_a_call_that_ended_while_the_dialer_was_down_frees_its_agents_screen_at_start(
    rig: Rig, floor: Floor
) -> None:
    account = floor.account(1)
    agent_id = floor.agent("7902")
    campaign_id = floor.campaign.id or 0
    async with running(rig):
        await rig.login("7902")
        await rig.set_state(agent_id, "ready", campaign_id)
        (event,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "connect")
        await rig.screens.wait(
            lambda: [r for r in attempts(floor.session) if r.agent_id == agent_id],
            5,
            "the agent named on the attempt while the call is up",
        )
        await rig.set_state(agent_id, "paused", campaign_id)  # nothing else is dialled
        await rig.set_state(agent_id, "on_call", campaign_id)  # as the screen still shows
    # the dialer is gone, and the debtor hangs up before it comes back
    fresh = AmiClient("127.0.0.1", rig.asterisk.ami_port, "concord", "concord-secret")
    await fresh.start(timeout=10)
    await fresh.send_action("Hangup", {"Channel": event.call_id, "Cause": "16"})
    second = DialerService(fresh, rig.redis, rig.service.engine, ring_timeout_s=15, tick_s=0.5)
    seen = len(rig.screens.of(CallEnded))
    task = asyncio.create_task(second.run())
    try:
        (ended,) = await rig.screens.wait(lambda: rig.screens.of(CallEnded)[seen:], 10, "ended")
        states = await agents.read_states(rig.redis)
    finally:
        second.stop()
        await asyncio.wait_for(task, 10)
        await fresh.close()
    assert (ended.call_id, ended.agent_id, ended.account_id) == (
        event.call_id,
        agent_id,
        account.id,
    )
    assert ended.outcome == "conversation"
    assert states[agent_id].state == "wrap_up"  # free to record the outcome and go ready
    (row,) = attempts(floor.session)
    assert (row.outcome, row.agent_id, row.id) == ("conversation", agent_id, ended.attempt_id)


async def test_call_still_up_when_the_dialer_restarts_is_taken_over_and_settled_once(
    rig: Rig, floor: Floor
) -> None:
    account = floor.account(1)
    agent_id = floor.agent("7901")
    campaign_id = floor.campaign.id or 0
    async with running(rig):
        await rig.login("7901")
        await rig.set_state(agent_id, "ready", campaign_id)
        (event,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "connect")
        await rig.set_state(agent_id, "paused", campaign_id)  # nothing else is dialled
    # the dialer process is gone; debtor and agent keep talking on Asterisk
    fresh = AmiClient("127.0.0.1", rig.asterisk.ami_port, "concord", "concord-secret")
    await fresh.start(timeout=10)
    second = DialerService(fresh, rig.redis, rig.service.engine, ring_timeout_s=15, tick_s=0.5)
    task = asyncio.create_task(second.run())
    try:
        taken = await rig.screens.wait(
            lambda: second.calls.get(event.call_id), 10, "the live call taken over"
        )
        assert (taken.agent_id, taken.account_id) == (agent_id, account.id)
        assert second.floor.reserved.get(agent_id) == event.call_id
        # the agent's hang-up button works on the new run
        await hang_up_when_connected(rig, event.call_id, 0)
        (ended,) = await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "ended")
    finally:
        second.stop()
        await asyncio.wait_for(task, 10)
        await fresh.close()
    assert (ended.call_id, ended.outcome, ended.agent_id) == (
        event.call_id,
        "conversation",
        agent_id,
    )
    (row,) = attempts(floor.session)
    assert (row.outcome, row.agent_id) == ("conversation", agent_id)
    assert row.recording_ref.endswith(f"{event.call_id}.wav") and row.ended_at is not None
    assert host_path(row.recording_ref).exists()
