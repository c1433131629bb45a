"""Call controls from the console on the real Asterisk: hold, unhold, transfer to the team lead."""

from __future__ import annotations

import asyncio
import json

import pytest
from ami_helpers import Watch
from dialer_rig import Floor, Rig, running
from sqlmodel import select

from core.events import (
    LISTEN_REQUESTS_KEY,
    LISTENING_KEY,
    CallConnected,
    CallEnded,
    CallPlaced,
    ListenState,
    agent_channel,
)
from core.models import ContactAttempt, Team
from dialer import agents
from dialer.ami import Message
from dialer.commands import CALL_COMMANDS_KEY
from dialer.listening import Listening

pytestmark = [pytest.mark.integration, pytest.mark.asterisk, pytest.mark.db]


async def command(rig: Rig, call_id: str, action: str, agent_id: int) -> None:
    body = {"call_id": call_id, "action": action, "agent_id": agent_id}
    await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(body))


def bridge_events(watch: Watch, name: str, call_id: str, conference: str) -> list[Message]:
    return [m for m in watch.messages(name, call_id) if m.get("Conference") == conference]


async def test_hold_and_unhold_take_the_debtor_out_of_the_agents_conference_and_back(
    rig: Rig, floor: Floor
) -> None:
    floor.account(1, score=0.9)
    waiting = floor.account(1, score=0.1)  # would reach the agent if hold freed them
    agent_id = floor.agent("7701")
    campaign_id = floor.campaign.id or 0
    watch = Watch(rig.ami)
    conference = "concord-agent-7701"
    async with running(rig):
        await rig.login("7701")
        await rig.set_state(agent_id, "ready", campaign_id)
        (connected,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "connect")
        call_id = connected.call_id
        on_call_since = (await agents.read_states(rig.redis))[agent_id].since

        await command(rig, call_id, "hold", agent_id)
        held = await watch.wait_for(lambda: watch.user_events("ConcordHold", call_id), 5)
        assert held["Agent"] == "7701"
        await watch.wait_for(lambda: bridge_events(watch, "ConfbridgeLeave", call_id, conference))
        # the agent's softphone stays in the conference, promised to the held call
        assert "7701" in rig.service.floor.in_bridge
        assert rig.service.floor.reserved.get(agent_id) == call_id
        channels = await rig.ami.live_channels()
        on_hold = [c for c in channels if c.get("Uniqueid") == call_id]
        assert on_hold and on_hold[0].get("Application") == "MusicOnHold"
        await asyncio.sleep(1.5)  # two pacing ticks: the agent on hold gets no new call
        assert [e.account_id for e in rig.screens.of(CallPlaced)] == [connected.account_id]

        await command(rig, call_id, "unhold", agent_id)
        await watch.wait_for(
            lambda: bridge_events(watch, "ConfbridgeJoin", call_id, conference)[1:], 5
        )
        assert call_id in rig.service.calls
        back = await agents.read_states(rig.redis)
        assert (back[agent_id].state, back[agent_id].since) == ("on_call", on_call_since)
        await command(rig, call_id, "hangup", agent_id)
        (ended,) = await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the call ended")
        await rig.set_state(agent_id, "paused", campaign_id)
    watch.close()
    assert (ended.outcome, ended.agent_id) == ("conversation", agent_id)
    assert waiting.id not in {e.account_id for e in rig.screens.of(CallPlaced)}


async def refused(rig: Rig, agent_id: int, call_id: str, action: str) -> str:
    """What the dialer tells the agent when it refuses `action` on `call_id`."""
    refusals = rig.redis.pubsub()
    await refusals.subscribe(agent_channel(agent_id))
    await command(rig, call_id, action, agent_id)
    said = ""
    for _ in range(50):
        frame = await refusals.get_message(ignore_subscribe_messages=True, timeout=0.1)
        if frame is not None:
            said = frame["data"].decode()
            break
    await refusals.aclose()
    return said


async def test_transfer_goes_to_a_free_team_lead_whose_call_it_then_is(
    rig: Rig, floor: Floor
) -> None:
    floor.account(1)
    team = Team(name="Early-stage A")
    floor.session.add(team)
    floor.session.commit()
    agent_id = floor.agent("7711", team_id=team.id)
    lead_id = floor.agent("7712", role="team_lead", team_id=team.id)
    campaign_id = floor.campaign.id or 0
    watch = Watch(rig.ami)
    async with running(rig):
        await rig.login("7711")
        await rig.login("7712")  # the lead's softphone is in; no console state set
        await rig.set_state(agent_id, "ready", campaign_id)
        (connected,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "connect")
        call_id = connected.call_id
        # A lead already on a call: their bridge holds one debtor, a second one would be dropped.
        rig.service.floor.reserve(lead_id, "c-the-leads-own-call")
        busy = await refused(rig, agent_id, call_id, "transfer")
        rig.service.floor.release(lead_id, "c-the-leads-own-call")
        assert "your team lead is on another call" in busy and call_id in rig.service.calls
        await command(rig, call_id, "transfer", agent_id)
        await watch.wait_for(
            lambda: bridge_events(watch, "ConfbridgeJoin", call_id, "concord-agent-7712"), 5
        )
        states = await rig.screens.wait(
            lambda: (
                (s := rig.service.floor.views).get(agent_id)
                and s[agent_id].state == "wrap_up"
                and s
            ),
            5,
            "the agent in wrap-up after handing over",
        )
        assert states[lead_id].state == "on_call"
        # The agent's stale screen may not hold or hang up the lead's call.
        stale = await refused(rig, agent_id, call_id, "hangup")
        assert "transferred and is with your team lead now" in stale
        await asyncio.sleep(0.5)
        assert call_id in rig.service.calls
        await command(rig, call_id, "hangup", lead_id)
        (ended,) = await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the call ended")
    watch.close()
    assert ended.agent_id == lead_id
    stored = await agents.read_states(rig.redis)
    assert stored[lead_id].state == "wrap_up"
    floor.session.expire_all()
    row = floor.session.exec(select(ContactAttempt)).one()
    # The attempt stays the agent's, who walked the script and records the outcome.
    assert (row.outcome, row.agent_id) == ("conversation", agent_id)


async def test_a_team_lead_listens_in_unheard_and_stops(rig: Rig, floor: Floor) -> None:
    floor.account(1)
    team = Team(name="Early-stage B")
    floor.session.add(team)
    floor.session.commit()
    agent_id = floor.agent("7721", team_id=team.id)
    lead_id = floor.agent("7722", role="team_lead", team_id=team.id)
    campaign_id = floor.campaign.id or 0
    agent_room, lead_room = "concord-agent-7721", "concord-agent-7722"
    watch = Watch(rig.ami)

    def joined(conference: str, context: str) -> list[Message]:
        return [
            m
            for m in watch.messages("ConfbridgeJoin")
            if m.get("Conference") == conference and m.get("Context") == context
        ]

    def left(conference: str) -> list[Message]:
        return [
            m
            for m in watch.messages("ConfbridgeLeave")
            if m.get("Conference") == conference and m.get("Context") == "concord-listen"
        ]

    async with running(rig):
        await rig.login("7721")
        await rig.login("7722")
        await rig.set_state(agent_id, "ready", campaign_id)
        (connected,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "connect")
        call_id = connected.call_id
        await listen(rig, lead_id, agent_id)
        ear = await watch.wait_for(lambda: joined(agent_room, "concord-listen"), 5)
        await watch.wait_for(lambda: joined(lead_room, "concord-listen-lead"), 5)
        state = await listening_state(rig, lead_id)
        busy = await refused(rig, agent_id, call_id, "transfer")

        assert ear.get("Muted") == "Yes"  # the debtor and the agent never hear the lead
        assert state is not None and (state.listening, state.agent_id) == (True, agent_id)
        assert "your team lead is on another call" in busy  # not dropped by a full bridge
        assert rig.service.floor.present(agent_id) and call_id in rig.service.calls

        await rig.redis.rpush(LISTEN_REQUESTS_KEY, json.dumps({"lead_id": lead_id,
                                                              "action": "stop"}))  # fmt: skip
        await watch.wait_for(lambda: left(agent_room), 5)
        await rig.screens.wait(
            lambda: lead_id not in rig.service.floor.reserved, 5, "the lead free again"
        )
        assert await listening_state(rig, lead_id) is None
        assert rig.service.floor.present(agent_id) and call_id in rig.service.calls

        # A dialer started again finds the pair the last one left up, and hangs it up.
        await listen(rig, lead_id, agent_id)
        await watch.wait_for(lambda: joined(agent_room, "concord-listen")[1:], 5)
        await Listening(rig.service).reset()
        await watch.wait_for(lambda: left(agent_room)[1:], 5)
        await rig.screens.wait(
            lambda: lead_id not in rig.service.floor.reserved, 5, "the lead free again"
        )
        assert call_id in rig.service.calls
        await command(rig, call_id, "hangup", agent_id)
        await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the call ended")
    watch.close()


async def listen(rig: Rig, lead_id: int, agent_id: int) -> None:
    body = {"lead_id": lead_id, "agent_id": agent_id, "action": "listen"}
    await rig.redis.rpush(LISTEN_REQUESTS_KEY, json.dumps(body))


async def listening_state(rig: Rig, lead_id: int) -> ListenState | None:
    raw = await rig.redis.hget(LISTENING_KEY, str(lead_id))
    return None if raw is None else ListenState.model_validate_json(raw)
