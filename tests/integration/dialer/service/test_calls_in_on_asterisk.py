"""A debtor calling in, on the real Asterisk: greeted and recorded, put through to an agent of
their client with the screen pop, kept as an inbound attempt outside the abandon rate."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from ami_helpers import Watch
from dialer_rig import ASTERISK_ROOT, Floor, Rig, host_path, running
from sqlmodel import Session, select

from core.events import CALLS_IN_HOLDING_KEY, CallAbandoned, CallConnected, CallEnded
from core.models import Campaign, CampaignAgent, Client, ContactAttempt, Portfolio
from dialer import store
from dialer.ami import AmiClient
from dialer.commands import CALL_COMMANDS_KEY
from dialer.messages import MessageLibrary
from dialer.models import UnmatchedCall

# On PostgreSQL too (the `db` lane) only the tests that write each kind of row: the rest are
# the same rows under other timings, and each real-PBX test costs seconds in both lanes.
pytestmark = [pytest.mark.integration, pytest.mark.asterisk]

OUR_NUMBER = "+18005550100"


def attempts(session: Session) -> list[ContactAttempt]:
    session.expire_all()
    return list(session.exec(select(ContactAttempt)).all())


def side_portfolio(floor: Floor) -> Portfolio:
    """A portfolio of the floor's client that no campaign dials: its debtor only calls in."""
    portfolio = Portfolio(
        client_id=floor.client.id or 0, name="P2", calling_profile=floor.place.profile
    )
    floor.session.add(portfolio)
    floor.session.commit()
    return portfolio


def other_client_campaign(floor: Floor) -> Campaign:
    """Another client's active campaign, with nothing to dial."""
    client = Client(code=f"o{uuid.uuid4().hex[:6]}", name="Other Bank", business_name="Other")
    floor.session.add(client)
    floor.session.flush()
    portfolio = Portfolio(client_id=client.id or 0, name="O1", calling_profile=floor.place.profile)
    floor.session.add(portfolio)
    floor.session.flush()
    campaign = Campaign(
        client_id=client.id or 0, name="Other", portfolio_ids=[portfolio.id or 0],
        dial_mode="progressive", caller_id="+12025550100",
    )  # fmt: skip
    floor.session.add(campaign)
    floor.session.commit()
    return campaign


async def call_in(rig: Rig, number: str, *, stays: int = 60, wait_s: str = "") -> str:
    """A debtor dials our number from `number` and stays on the line `stays` seconds."""
    call_id = f"in-{uuid.uuid4().hex[:12]}"
    variables = {"CONCORD_INBOUND_WAIT": wait_s} if wait_s else {}
    await rig.ami.originate(
        f"Local/{stays}@concord-sim-caller", call_id, context="concord-inbound",
        exten=OUR_NUMBER, caller_id=number, variables=variables,
    )  # fmt: skip
    return call_id


@pytest.mark.db
async def test_a_debtor_calling_in_reaches_an_agent_of_their_client_with_the_screen_pop(
    rig: Rig, floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = floor.account(1, portfolio=side_portfolio(floor))
    ours = floor.agent("7301")
    theirs = floor.agent("7302")
    other = other_client_campaign(floor)
    campaign_id = floor.campaign.id or 0
    listed = rig.service.inbound._holding

    async def slow_listing(*args: Any) -> None:
        """A slow Redis while the caller is listed: the dialer ticks meanwhile. A clean-clone
        CI run once routed the call in that gap before its debtor was known, to `theirs`."""
        await asyncio.sleep(1.5)
        await listed(*args)

    monkeypatch.setattr(rig.service.inbound, "_holding", slow_listing)
    async with running(rig):
        await rig.login("7302")
        await rig.login("7301")
        # the other client's agent has waited longest: an ACD by idle time alone would pick them
        await rig.set_state(theirs, "ready", other.id or 0)
        await rig.set_state(ours, "ready", campaign_id)
        # a carrier sends the ten digits alone as often as E.164
        call_id = await call_in(rig, floor.number(1).removeprefix("+1"))
        (pop,) = await rig.screens.wait(
            lambda: rig.screens.of(CallConnected), 15, "the call in put through"
        )
        assert pop.call_id == call_id and pop.inbound
        assert (pop.agent_id, pop.account_id) == (ours, account.id)
        assert pop.campaign_id == campaign_id  # the agent's: its script variant and callbacks
        assert pop.number == floor.number(1)
        await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps({"call_id": call_id,
                                                              "action": "hangup"}))  # fmt: skip
        (ended,) = await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the end")
        assert ended.outcome == "conversation" and ended.agent_id == ours
        ledger = rig.service.campaigns[campaign_id].ledger
    (row,) = attempts(floor.session)
    assert (row.call_id, row.direction, row.outcome) == (call_id, "inbound", "conversation")
    assert (row.account_id, row.agent_id, row.campaign_id) == (account.id, ours, None)
    assert row.to_address == floor.number(1)
    assert host_path(row.recording_ref).exists()
    # a call in is no live answer of the campaign: it neither dilutes nor spends the 3%
    today = row.started_at.date()
    assert (ledger.rate_30d(today).live, ledger.rate_30d(today).abandoned) == (0, 0)
    stored = store.abandon_ledger(floor.session, campaign_id, today).rate_30d(today)
    assert (stored.live, stored.abandoned) == (0, 0)
    assert rig.service.floor.views[theirs].state == "ready"


async def test_a_caller_no_agent_of_their_client_takes_hears_the_closing_and_is_kept(
    rig: Rig, floor: Floor
) -> None:
    account = floor.account(1, portfolio=side_portfolio(floor))
    theirs = floor.agent("7303")
    other = other_client_campaign(floor)
    async with running(rig):
        await rig.login("7303")
        await rig.set_state(theirs, "ready", other.id or 0)
        call_id = await call_in(rig, floor.number(1), stays=15, wait_s="2")
        listed = await rig.screens.wait(
            lambda: rig.service.inbound.callers and True, 10, "the caller found"
        )
        assert listed
        held = json.loads(await rig.redis.hget(CALLS_IN_HOLDING_KEY, call_id) or b"{}")
        assert held["client_id"] == floor.client.id  # on the leads' queue while holding
        (ended,) = await rig.screens.wait(lambda: rig.screens.of(CallEnded), 20, "the end")
        assert not await rig.redis.hexists(CALLS_IN_HOLDING_KEY, call_id)  # and off it after
    assert ended.call_id == call_id and ended.agent_id is None
    assert not rig.screens.of(CallConnected)
    assert not rig.screens.of(CallAbandoned)  # no campaign's abandon: nobody dialled it
    (row,) = attempts(floor.session)
    assert (row.direction, row.outcome, row.account_id) == ("inbound", "abandoned", account.id)
    # the greeting and the 2 s hold were heard before the closing message
    assert row.ended_at is not None and (row.ended_at - row.started_at).total_seconds() > 2
    assert rig.service.floor.views[theirs].state == "ready"
    assert theirs not in rig.service.floor.reserved


async def test_a_caller_hears_the_agencys_greeting_saying_the_call_may_be_recorded(
    rig: Rig, floor: Floor
) -> None:
    floor.account(1, portfolio=side_portfolio(floor))
    library = MessageLibrary.under_root(str(ASTERISK_ROOT))
    rig.service.messages = library
    rig.service.inbound.agency_name = "Concord Services"
    watch = Watch(rig.ami)
    async with running(rig):

        async def set_on_the_pbx() -> bool:
            reply = await rig.ami.send_action("Getvar", {"Variable": "CONCORD_INBOUND_GREETING"})
            return (reply.get("Value") or "").startswith("/var/lib/asterisk/sounds/concord/")

        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while not await set_on_the_pbx():  # the dialer sets it once at start
            assert loop.time() < deadline, "the dialer never set the greeting"
            await asyncio.sleep(0.1)
        call_id = await call_in(rig, floor.number(1), stays=12, wait_s="1")
        greeted = await rig.screens.wait(
            lambda: watch.user_events("ConcordGreeted", call_id), 15, "the greeting played"
        )
        await rig.screens.wait(lambda: rig.screens.of(CallEnded), 20, "the end")
    watch.close()
    expected = library.greeting_for("Concord Services")
    assert greeted[0]["Greeting"] == expected and expected.startswith("/var/lib/asterisk/")
    assert greeted[0]["Status"] == "SUCCESS"  # Asterisk found the file and played it
    assert (ASTERISK_ROOT / f"{expected.lstrip('/')}.wav").exists()


async def test_a_caller_on_file_for_nobody_reaches_an_agent_who_names_the_account(
    rig: Rig, floor: Floor
) -> None:
    account = floor.account(1, portfolio=side_portfolio(floor))
    agent = floor.agent("7304")
    async with running(rig):
        await rig.login("7304")
        await rig.set_state(agent, "ready", floor.campaign.id or 0)
        call_id = await call_in(rig, "+13125550188")  # their work phone, never given to us
        (pop,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "put through")
        assert (pop.call_id, pop.agent_id, pop.account_id, pop.inbound) == (call_id, agent, 0, True)
        assert attempts(floor.session) == []  # nothing to file it under yet
        await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
            {"call_id": call_id, "action": "identify", "agent_id": agent,
             "account_id": account.id}))  # fmt: skip
        await rig.screens.wait(lambda: attempts(floor.session), 5, "the attempt stored")
        await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
            {"call_id": call_id, "action": "hangup", "agent_id": agent}))  # fmt: skip
        await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the end")
    (row,) = attempts(floor.session)
    assert (row.account_id, row.debtor_id, row.direction) == (account.id, account.debtor_id,
                                                              "inbound")  # fmt: skip
    assert (row.outcome, row.agent_id, row.to_address) == ("conversation", agent, "+13125550188")
    assert host_path(row.recording_ref).exists()


@pytest.mark.db
async def test_a_caller_nobody_identified_is_kept_as_unmatched_and_frees_the_agent(
    rig: Rig, floor: Floor
) -> None:
    agent = floor.agent("7305")
    async with running(rig):
        await rig.login("7305")
        await rig.set_state(agent, "ready", floor.campaign.id or 0)
        call_id = await call_in(rig, "", stays=2)  # caller ID withheld, hangs up after 2 s
        await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "put through")
        (ended,) = await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the end")
        await rig.screens.wait(
            lambda: rig.service.floor.views[agent].state == "wrap_up", 5, "wrap-up"
        )
    assert (ended.call_id, ended.account_id, ended.attempt_id) == (call_id, 0, None)
    assert attempts(floor.session) == []  # no account: no attempt ...
    (kept,) = floor.session.exec(select(UnmatchedCall)).all()  # ... but the call is kept
    assert (kept.call_id, kept.number, kept.outcome, kept.agent_id) == (
        call_id, "", "conversation", agent
    )  # fmt: skip
    assert host_path(kept.recording_ref).exists()
    assert call_id not in rig.service.calls and agent not in rig.service.floor.reserved


async def test_a_caller_who_came_in_while_ami_was_away_is_taken_when_it_is_back(
    rig: Rig, floor: Floor
) -> None:
    account = floor.account(1, portfolio=side_portfolio(floor))
    agent = floor.agent("7306")
    direct = AmiClient("127.0.0.1", rig.asterisk.ami_port, "concord", "concord-secret")
    await direct.start(timeout=15)
    watch = Watch(direct)
    try:
        async with running(rig):
            await rig.login("7306")
            await rig.set_state(agent, "ready", floor.campaign.id or 0)
            rig.proxy.down = True
            rig.proxy.cut()
            await rig.screens.wait(lambda: not rig.ami.connected, 5, "the dialer cut off")
            call_id = f"in-{uuid.uuid4().hex[:12]}"
            await direct.originate(
                "Local/60@concord-sim-caller", call_id, context="concord-inbound",
                exten=OUR_NUMBER, caller_id=floor.number(1),
            )  # fmt: skip
            await rig.screens.wait(
                lambda: watch.user_events("ConcordInbound", call_id), 10, "the call in"
            )
            assert not rig.screens.of(CallConnected)
            rig.proxy.down = False  # AMI back: the reconcile finds the caller holding
            (pop,) = await rig.screens.wait(
                lambda: rig.screens.of(CallConnected), 20, "the caller put through"
            )
            assert (pop.call_id, pop.agent_id, pop.account_id) == (call_id, agent, account.id)
            await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
                {"call_id": call_id, "action": "hangup", "agent_id": agent}))  # fmt: skip
            await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the end")
    finally:
        watch.close()
        await direct.close()
    (row,) = attempts(floor.session)
    assert (row.call_id, row.direction, row.outcome) == (call_id, "inbound", "conversation")


async def test_with_nobody_on_the_floor_a_caller_hears_the_greeting_then_the_closing_at_once(
    rig: Rig, floor: Floor
) -> None:
    floor.account(1, portfolio=side_portfolio(floor))
    watch = Watch(rig.ami)
    async with running(rig):
        # the dialplan would hold them 120 s; they hang up 15 s in, leaving a message
        call_id = await call_in(rig, floor.number(1), stays=15)
        (ended,) = await rig.screens.wait(lambda: rig.screens.of(CallEnded), 30, "the end")
    watch.close()
    assert ended.call_id == call_id and ended.outcome == "abandoned"
    (greeted,) = watch.user_events("ConcordGreeted", call_id)
    (missed,) = watch.user_events("ConcordInboundMissed", call_id)
    assert missed["Why"] == "closed"  # sent there once the greeting had played
    assert float(missed["Timestamp"] or 0) >= float(greeted["Timestamp"] or 0)
    (row,) = attempts(floor.session)
    assert (row.direction, row.outcome) == ("inbound", "abandoned")  # on the missed list


async def test_a_caller_on_file_for_nobody_reaches_the_client_whose_number_they_dialled(
    rig: Rig, floor: Floor
) -> None:
    floor.client.callback_number = "(800) 555-0100"  # OUR_NUMBER: its messages give this one
    floor.session.add(floor.client)
    floor.session.commit()
    ours, theirs = floor.agent("7307"), floor.agent("7308")
    other = other_client_campaign(floor)
    async with running(rig):
        await rig.login("7308")
        await rig.login("7307")
        await rig.set_state(theirs, "ready", other.id or 0)  # idle longer, another client
        await rig.set_state(ours, "ready", floor.campaign.id or 0)
        call_id = await call_in(rig, "+13125550177")  # a new phone of theirs
        (pop,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "put through")
        assert (pop.call_id, pop.agent_id, pop.account_id) == (call_id, ours, 0)
        await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
            {"call_id": call_id, "action": "hangup", "agent_id": ours}))  # fmt: skip
        await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the end")


async def test_an_agent_on_another_clients_campaign_takes_a_caller_of_a_client_they_also_work(
    rig: Rig, floor: Floor
) -> None:
    account = floor.account(1, portfolio=side_portfolio(floor))
    both = floor.agent("7309")
    other = other_client_campaign(floor)
    floor.session.add(CampaignAgent(campaign_id=floor.campaign.id or 0, user_id=both))
    floor.session.commit()
    async with running(rig):
        await rig.login("7309")
        await rig.set_state(both, "ready", other.id or 0)  # working the other client now
        call_id = await call_in(rig, floor.number(1))
        (pop,) = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 15, "put through")
        assert (pop.call_id, pop.agent_id, pop.account_id) == (call_id, both, account.id)
        assert pop.campaign_id == floor.campaign.id  # under the caller's client's campaign
        await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
            {"call_id": call_id, "action": "hangup", "agent_id": both}))  # fmt: skip
        await rig.screens.wait(lambda: rig.screens.of(CallEnded), 10, "the end")


@pytest.mark.db
async def test_a_call_in_that_popped_the_wrong_person_is_filed_under_the_caller_or_unmatched(
    rig: Rig, floor: Floor
) -> None:
    """A number two people share popped the wrong one: "not the caller" takes the attempt off
    that account at once, and the call is filed under the account the agent finds, or kept as
    unmatched when the caller hangs up first."""
    side = side_portfolio(floor)
    wrong, caller = floor.account(1, portfolio=side), floor.account(2, portfolio=side)
    agents = [floor.agent("7311"), floor.agent("7312")]
    async with running(rig):
        for extension, agent in zip(("7311", "7312"), agents, strict=True):
            await rig.login(extension)
            await rig.set_state(agent, "ready", floor.campaign.id or 0)
        found_id = await call_in(rig, floor.number(1))
        gone_id = await call_in(rig, floor.number(1), stays=8)
        pops = await rig.screens.wait(
            lambda: rig.screens.of(CallConnected) if len(rig.screens.of(CallConnected)) == 2
            else None, 15, "both calls put through",
        )  # fmt: skip
        by_call = {pop.call_id: pop for pop in pops}
        assert {pop.account_id for pop in pops} == {wrong.id}
        await rig.screens.wait(lambda: len(attempts(floor.session)) == 2, 5, "both filed")
        for call_id in (found_id, gone_id):
            await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
                {"call_id": call_id, "action": "not_caller",
                 "agent_id": by_call[call_id].agent_id}))  # fmt: skip
        await rig.screens.wait(lambda: attempts(floor.session) == [], 5, "both taken off")
        await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
            {"call_id": found_id, "action": "identify", "agent_id": by_call[found_id].agent_id,
             "account_id": caller.id}))  # fmt: skip
        await rig.screens.wait(lambda: attempts(floor.session), 5, "filed under the caller")
        await rig.screens.wait(lambda: len(rig.screens.of(CallEnded)) == 1, 15, "one hangs up")
        await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
            {"call_id": found_id, "action": "hangup",
             "agent_id": by_call[found_id].agent_id}))  # fmt: skip
        await rig.screens.wait(lambda: len(rig.screens.of(CallEnded)) == 2, 10, "both ended")
    (row,) = attempts(floor.session)
    assert (row.call_id, row.account_id, row.debtor_id) == (found_id, caller.id, caller.debtor_id)
    assert (row.outcome, row.direction) == ("conversation", "inbound")
    assert host_path(row.recording_ref).exists()
    (kept,) = floor.session.exec(select(UnmatchedCall)).all()
    assert (kept.call_id, kept.number, kept.outcome) == (gone_id, floor.number(1), "conversation")
    assert host_path(kept.recording_ref).exists()


@pytest.mark.db
async def test_a_caller_nobody_takes_leaves_a_message_kept_apart_from_the_call(
    rig: Rig, floor: Floor
) -> None:
    """After the closing words and the tone the caller speaks: the message is its own file,
    named on the missed call (known number) or the unmatched call (a number on file for
    nobody), so a lead hears it without scrubbing through the hold music."""
    account = floor.account(1, portfolio=side_portfolio(floor))
    library = MessageLibrary.under_root(str(ASTERISK_ROOT))
    rig.service.messages = library
    rig.service.inbound.agency_name = "Concord Services"
    watch = Watch(rig.ami)
    async with running(rig):  # nobody on the floor: the closing words after the greeting
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while True:  # the dialer sets the closing words once at start, with the greeting
            reply = await rig.ami.send_action("Getvar", {"Variable": "CONCORD_INBOUND_CLOSED"})
            if (reply.get("Value") or "") == library.closing():
                break
            assert loop.time() < deadline, "the dialer never set the closing words"
            await asyncio.sleep(0.1)
        known = await call_in(rig, floor.number(1), stays=22)
        stranger = await call_in(rig, "+13035550166", stays=22)
        await rig.screens.wait(lambda: len(rig.screens.of(CallEnded)) == 2, 50, "both ended")
    watch.close()
    (row,) = attempts(floor.session)
    assert (row.call_id, row.account_id, row.outcome) == (known, account.id, "abandoned")
    (kept,) = floor.session.exec(select(UnmatchedCall)).all()
    assert kept.call_id == stranger
    for call_id, message in ((known, row.message_ref), (stranger, kept.message_ref)):
        (event,) = watch.user_events("ConcordMessage", call_id)
        assert message == event["File"] and message.endswith(f"msg-{call_id}.wav")
        assert int(event["Seconds"] or 0) >= 2
        assert host_path(message).stat().st_size > 1_000  # audio, not a header
    assert row.recording_ref != row.message_ref  # the whole call is recorded too
    played = library.closing()
    assert played.startswith("/var/lib/asterisk/sounds/concord/")
    assert (ASTERISK_ROOT / f"{played.lstrip('/')}.wav").exists()


async def test_a_caller_waits_for_the_agent_a_call_out_was_dialled_for_instead_of_an_abandon(
    rig: Rig, floor: Floor
) -> None:
    """The dialer dials one call for the Ready agent; a debtor calls in a second later. Given
    that agent, the caller left the live answer 6 s later with nobody: an abandon, counted
    against the 3%. The caller now waits for it: the live answer gets the agent, then the
    caller does, and the campaign dials nothing new meanwhile."""
    dialled = floor.account(1, seconds=6)  # a person answers after 6 s of ringing
    floor.account(5, score=0.1)  # a no-answer the campaign would dial next
    caller = floor.account(2, portfolio=side_portfolio(floor))
    agent = floor.agent("7321")
    campaign_id = floor.campaign.id or 0
    async with running(rig):
        await rig.login("7321")
        await rig.set_state(agent, "ready", campaign_id)
        await rig.screens.wait(
            lambda: [c for c in rig.service.calls.values() if c.account_id == dialled.id],
            10, "the call dialled for the agent",
        )  # fmt: skip
        call_id = await call_in(rig, floor.number(2), stays=60)
        first = await rig.screens.wait(lambda: rig.screens.of(CallConnected), 20, "a connect")
        assert (first[0].account_id, first[0].inbound) == (dialled.id, False)
        assert rig.service.calls[call_id].state.value == "live"  # the caller still holds
        placed = [c.account_id for c in rig.service.calls.values() if c.mode != "inbound"]
        assert placed == [dialled.id]  # nothing new dialled while the caller holds
        await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
            {"call_id": first[0].call_id, "action": "hangup", "agent_id": agent}))  # fmt: skip
        await rig.screens.wait(
            lambda: rig.service.floor.views[agent].state == "wrap_up", 10, "wrap-up"
        )
        await rig.set_state(agent, "ready", campaign_id)
        pops = await rig.screens.wait(
            lambda: rig.screens.of(CallConnected)[1:], 15, "the caller put through"
        )
        assert (pops[0].call_id, pops[0].account_id, pops[0].inbound) == (call_id, caller.id, True)
        await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
            {"call_id": call_id, "action": "hangup", "agent_id": agent}))  # fmt: skip
        await rig.screens.wait(lambda: len(rig.screens.of(CallEnded)) == 2, 10, "both ended")
    assert not rig.screens.of(CallAbandoned)


async def test_not_the_caller_said_as_the_caller_hung_up_still_takes_the_call_off_the_account(
    rig: Rig, floor: Floor
) -> None:
    """The agent pressed "Not this caller" as the caller hung up: the dialer had settled the call
    under the wrong person already, and answered "no call in progress". It now files the call
    as one no account matched, as the agent said."""
    floor.account(1, portfolio=side_portfolio(floor))
    agent = floor.agent("7331")
    async with running(rig):
        await rig.login("7331")
        await rig.set_state(agent, "ready", floor.campaign.id or 0)
        call_id = await call_in(rig, floor.number(1), stays=6)
        await rig.screens.wait(lambda: rig.screens.of(CallEnded), 25, "the caller gone")
        assert [a.call_id for a in attempts(floor.session)] == [call_id]
        await rig.redis.rpush(CALL_COMMANDS_KEY, json.dumps(
            {"call_id": call_id, "action": "not_caller", "agent_id": agent}))  # fmt: skip
        await rig.screens.wait(lambda: not attempts(floor.session), 5, "taken off the account")
    floor.session.expire_all()
    (kept,) = floor.session.exec(select(UnmatchedCall)).all()
    assert (kept.call_id, kept.outcome, kept.agent_id) == (call_id, "conversation", agent)
    assert host_path(kept.recording_ref).exists()
