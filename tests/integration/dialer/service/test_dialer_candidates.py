"""The hopper's search reads past the best-scored accounts the compliance engine refuses, so a
book whose top is resting (DNC, Reg F caps, night in their time zone) still fills the hopper."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dialer_rig import Floor, Rig, running
from sqlmodel import select

from core.events import CallPlaced, CampaignStats, HopperEmpty
from core.models import Callback, Phone, utcnow
from dialer import candidates, runtime
from dialer.campaigns import plan
from dialer.candidates import PAGE, callable_now

pytestmark = [pytest.mark.integration, pytest.mark.db]


def test_a_refill_reads_past_a_page_of_refused_top_accounts_to_the_callable_ones(
    floor: Floor,
) -> None:
    refused = [floor.account(1, score=0.9, dnc=True).id for _ in range(PAGE + 30)]
    callable_ids = [floor.account(1, score=0.2).id for _ in range(3)]

    search = callable_now(floor.session, plan(floor.campaign), utcnow(), want=20)

    assert [c.account_id for c in search.found] == callable_ids
    assert search.read == len(refused) + len(callable_ids)
    assert search.refused == {"dnc": len(refused)}


def test_a_search_stopped_at_its_limit_hands_on_where_the_next_one_reads_on_from(
    floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(candidates, "SCAN_LIMIT", PAGE)
    for _ in range(PAGE + 30):
        floor.account(1, score=0.9, dnc=True)
    callable_ids = [floor.account(1, score=0.2).id for _ in range(3)]
    campaign = plan(floor.campaign)

    first = callable_now(floor.session, campaign, utcnow(), want=20)
    second = callable_now(floor.session, campaign, utcnow(), want=20, after=first.resume)

    assert (first.found, first.read, first.resume is not None) == ([], PAGE, True)
    assert [c.account_id for c in second.found] == callable_ids
    assert (second.read, second.resume) == (33, None)  # read to the end: the next starts over


def test_a_refill_stops_reading_at_the_end_of_the_page_that_gave_it_enough(floor: Floor) -> None:
    ids = [floor.account(1, score=0.9 - n / 1000).id for n in range(PAGE + 10)]

    search = callable_now(floor.session, plan(floor.campaign), utcnow(), want=5)

    assert search.read == PAGE  # the second page is never read
    assert [c.account_id for c in search.found] == ids[:PAGE]


def test_an_empty_search_says_why_in_the_alerts_words(floor: Floor) -> None:
    for _ in range(4):
        floor.account(1, dnc=True)

    search = callable_now(floor.session, plan(floor.campaign), utcnow(), want=20)

    assert search.found == []
    assert search.why_none() == "none of the 4 accounts read may be called now (4 dnc)"


@pytest.mark.asterisk
async def test_a_ready_floor_with_nothing_to_dial_alerts_and_the_wallboard_says_why(
    rig: Rig, floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "STARVED_REFILL_S", 4.0)  # 15 s: the import is found sooner
    for _ in range(3):
        floor.account(1, dnc=True)
    agent_id = floor.agent("7401")
    campaign_id = floor.campaign.id or 0
    async with running(rig):
        await rig.login("7401")
        await rig.set_state(agent_id, "ready", campaign_id)
        (alert,) = await rig.screens.wait(lambda: rig.screens.of(HopperEmpty), 10, "an alert")
        stats = await rig.screens.wait(
            lambda: [s for s in rig.screens.of(CampaignStats) if s.pacing.startswith("nothing")],
            10,
            "the wallboard's words",
        )
        assert not rig.screens.of(CallPlaced)
        placed = floor.account(2, 1)  # an import lands: a person who says hello and hangs up
        (call,) = await rig.screens.wait(lambda: rig.screens.of(CallPlaced), 25, "a call")
        seen = len(rig.screens.of(CampaignStats))
        await rig.screens.wait(
            lambda: rig.screens.of(CampaignStats)[seen:], 10, "the wallboard after the call"
        )
    why = "none of the 3 accounts read may be called now (3 dnc)"
    assert (alert.campaign_id, alert.reason) == (campaign_id, why)
    assert stats[-1].pacing == f"nothing to dial: {why}"
    assert call.account_id == placed.id
    assert rig.screens.of(CampaignStats)[-1].pacing == "one call per ready agent"


def test_a_callback_to_a_mobile_without_consent_is_left_to_a_person_to_dial(
    floor: Floor,
) -> None:
    """A debtor's "call me back at three" is consent to be called then, not to an autodialer:
    a callback on a mobile with no consent on file was originated by the predictive pacing."""
    account = floor.account(1)
    phone = floor.session.exec(select(Phone).where(Phone.debtor_id == account.debtor_id)).one()
    phone.type, phone.consent = "mobile", False
    due = utcnow() - timedelta(minutes=1)
    floor.session.add_all([
        phone,
        Callback(account_id=account.id or 0, campaign_id=floor.campaign.id, phone=phone.number,
                 due_at=due, consent=True, created_at=due - timedelta(hours=1)),
    ])  # fmt: skip
    floor.session.commit()
    campaign = plan(floor.campaign)

    dialled = callable_now(floor.session, campaign, utcnow(), want=5)
    by_hand = callable_now(floor.session, campaign, utcnow(), want=5, manual=True)

    assert all(c.callback_id is None for c in dialled.found)
    assert [c.account_id for c in by_hand.found if c.callback_id is not None] == [account.id]
