"""A restarted dialer paces on from what its policy had learned, read from the database, instead
of dialing progressively through another 300 placements and a day of feedback."""

from __future__ import annotations

import asyncio
import logging
import math
import random
from datetime import UTC, datetime
from typing import Any

import pytest
from dialer_rig import Floor, Rig, running
from sqlmodel import Session

from core.events import CAMPAIGN_STATS_KEY
from core.models import Portfolio
from dialer import service
from dialer.models import PacingMemory
from dialer.pacing import PacingEvent, PredictivePolicy, make_policy

pytestmark = [pytest.mark.integration, pytest.mark.asterisk, pytest.mark.db]


def yesterdays_policy() -> PredictivePolicy:
    """A policy after a shift: placements, talks and wrap-ups heard, its threshold moved."""
    policy = make_policy("predictive")
    assert isinstance(policy, PredictivePolicy)
    rng = random.Random(5)
    for i in range(500):
        live = rng.random() < 0.2
        seconds = rng.uniform(6, 25) if live else rng.uniform(2, 30)
        policy.observe(PacingEvent("resolved", i, seconds, "live" if live else "no_answer"))
    for _ in range(50):
        policy.observe(PacingEvent("talk_ended", 600.0, rng.lognormvariate(5.1, 0.6)))
        policy.observe(PacingEvent("wrap_ended", 600.0, rng.lognormvariate(3.3, 0.4)))
    policy.log_threshold -= 0.7
    return policy


def stored(session: Session, campaign_id: int) -> PacingMemory | None:
    session.expire_all()
    return session.get(PacingMemory, campaign_id)


SAVED_AT = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)


def keep(floor: Floor, campaign_id: int, memory: dict[str, Any]) -> None:
    """A memory as a dialer saved it last night."""
    floor.session.add(PacingMemory(campaign_id=campaign_id, saved_at=SAVED_AT, memory=memory))
    floor.session.commit()


def predictive_campaign(floor: Floor) -> int:
    floor.campaign.dial_mode = "predictive"
    floor.session.add(floor.campaign)
    floor.session.commit()
    return floor.campaign.id or 0


async def test_a_started_dialer_resumes_the_stored_memory_and_saves_new_learning_when_stopped(
    rig: Rig, floor: Floor
) -> None:
    campaign_id = predictive_campaign(floor)
    yesterday = yesterdays_policy().memory()
    keep(floor, campaign_id, yesterday)

    async with running(rig):
        runtime = await rig.screens.wait(
            lambda: rig.service.campaigns.get(campaign_id), 10, "the campaign loaded"
        )
        policy = runtime.predictive
        assert isinstance(policy, PredictivePolicy)
        assert policy.memory() == yesterday
        policy.observe(PacingEvent("talk_ended", 0.0, 240.0))  # today's first talk

    row = stored(floor.session, campaign_id)
    assert row is not None
    assert row.saved_at > SAVED_AT
    assert row.memory["talk"]["samples"] == yesterday["talk"]["samples"] + 1
    assert row.memory == policy.memory()


async def test_a_memory_the_dialer_cannot_read_is_logged_and_replaced_and_pacing_starts_afresh(
    rig: Rig, floor: Floor, caplog: pytest.LogCaptureFixture
) -> None:
    campaign_id = predictive_campaign(floor)
    keep(floor, campaign_id, {**yesterdays_policy().memory(), "version": 0})

    with caplog.at_level(logging.WARNING, logger="dialer.runtime"):
        async with running(rig):
            runtime = await rig.screens.wait(
                lambda: rig.service.campaigns.get(campaign_id), 10, "the campaign loaded"
            )
            assert runtime.predictive.dials.all.samples == 0  # learning afresh

    assert f"campaign {campaign_id}: stored pacing memory" in caplog.text
    assert "version is 0" in caplog.text
    row = stored(floor.session, campaign_id)
    assert row is not None
    assert row.memory == runtime.predictive.memory()
    assert row.memory["version"] == 1


async def test_a_lowered_abandon_target_paces_from_the_next_reload_and_keeps_what_was_learned(
    rig: Rig, floor: Floor, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(service, "RELOAD_EVERY_S", 0.2)
    campaign_id = predictive_campaign(floor)
    yesterday = yesterdays_policy().memory()
    keep(floor, campaign_id, yesterday)

    with caplog.at_level(logging.WARNING, logger="dialer.runtime"):
        async with running(rig):
            runtime = await rig.screens.wait(
                lambda: rig.service.campaigns.get(campaign_id), 10, "the campaign loaded"
            )
            floor.campaign.abandon_target = 0.015  # the client asks for half the cap
            floor.session.add(floor.campaign)
            floor.session.commit()
            await rig.screens.wait(
                lambda: runtime.plan.abandon_target == 0.015, 10, "the new target taken"
            )
            policy = runtime.predictive

    assert isinstance(policy, PredictivePolicy)
    assert policy.target == 0.015
    assert math.exp(policy.log_threshold) == pytest.approx(math.exp(yesterday["log_threshold"]) / 2)
    assert policy.memory()["talk"] == yesterday["talk"]
    assert f"campaign {campaign_id}: abandon target now 1.50% (was 3.00%)" in caplog.text


async def test_a_campaign_moved_to_another_time_zone_counts_its_days_there_from_the_next_reload(
    rig: Rig, floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "RELOAD_EVERY_S", 0.2)
    campaign_id = predictive_campaign(floor)
    yesterday = yesterdays_policy().memory()
    keep(floor, campaign_id, yesterday)

    async with running(rig):
        first = await rig.screens.wait(
            lambda: rig.service.campaigns.get(campaign_id), 10, "the campaign loaded"
        )
        assert isinstance(first.predictive, PredictivePolicy)
        assert first.predictive.ledger.day_offset == 0.0
        first.predictive.log_threshold -= 0.3  # learned since the last save
        learned = first.predictive.log_threshold
        floor.campaign.schedule = {**floor.campaign.schedule, "timezone": "America/Chicago"}
        floor.session.add(floor.campaign)
        floor.session.commit()
        moved = await rig.screens.wait(
            lambda: (
                rig.service.campaigns[campaign_id] is not first
                and rig.service.campaigns[campaign_id]
            ),
            10,
            "the campaign rebuilt in its new zone",
        )

    assert moved.plan.timezone == "America/Chicago"
    assert isinstance(moved.predictive, PredictivePolicy)
    assert moved.predictive.ledger.day_offset == -6 * 3600  # Central standard time, all year
    assert moved.predictive.log_threshold == learned  # what pacing learned goes on, unsaved too
    assert moved.predictive.memory()["talk"] == yesterday["talk"]


async def test_a_uk_portfolio_joining_a_campaign_caps_its_every_day_from_the_next_reload(
    rig: Rig, floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "RELOAD_EVERY_S", 0.2)
    campaign_id = predictive_campaign(floor)
    floor.portfolio.calling_profile = "us"
    floor.session.add(floor.portfolio)
    floor.session.commit()
    yesterday = yesterdays_policy().memory()
    keep(floor, campaign_id, yesterday)

    async with running(rig):
        runtime = await rig.screens.wait(
            lambda: rig.service.campaigns.get(campaign_id), 10, "the campaign loaded"
        )
        first = runtime.predictive
        london = Portfolio(client_id=floor.client.id or 0, name="London book", calling_profile="uk")
        floor.session.add(london)
        floor.session.commit()
        floor.campaign.portfolio_ids = [*floor.campaign.portfolio_ids, london.id]
        floor.session.add(floor.campaign)
        floor.session.commit()
        await rig.screens.wait(lambda: runtime.plan.day_limit == 0.03, 10, "the day limit taken")
        policy = runtime.predictive

    assert isinstance(first, PredictivePolicy) and first.day_cap == 0.04
    assert isinstance(policy, PredictivePolicy) and policy.day_cap == 0.03
    assert policy.memory()["talk"] == yesterday["talk"]  # what it learned is kept


async def test_a_memory_is_written_again_only_once_the_policy_has_learned_something(
    rig: Rig, floor: Floor
) -> None:
    campaign_id = predictive_campaign(floor)
    keep(floor, campaign_id, yesterdays_policy().memory())

    async with running(rig):
        runtime = await rig.screens.wait(
            lambda: rig.service.campaigns.get(campaign_id), 10, "the campaign loaded"
        )
        await rig.service.keep_memories()
        first = saved_at(floor, campaign_id)
        await rig.service.keep_memories()  # a quiet floor: nothing heard since
        assert saved_at(floor, campaign_id) == first
        runtime.predictive.observe(PacingEvent("talk_ended", 0.0, 200.0))
        await rig.service.keep_memories()
        assert saved_at(floor, campaign_id) > first


def saved_at(floor: Floor, campaign_id: int) -> datetime:
    row = stored(floor.session, campaign_id)
    assert row is not None
    return row.saved_at


async def test_a_deactivated_campaign_stops_at_the_next_reload_and_resumes_its_learning_later(
    rig: Rig, floor: Floor, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(service, "RELOAD_EVERY_S", 0.2)
    campaign_id = predictive_campaign(floor)
    keep(floor, campaign_id, yesterdays_policy().memory())
    keep_memories = rig.service.keep_memories

    async def slow_keep(*args: Any) -> None:
        """A busy database: a campaign seen gone before its memory was kept read as None."""
        await asyncio.sleep(0.5)
        await keep_memories(*args)

    monkeypatch.setattr(rig.service, "keep_memories", slow_keep)
    with caplog.at_level(logging.WARNING, logger="dialer.service"):
        async with running(rig):
            runtime = await rig.screens.wait(
                lambda: rig.service.campaigns.get(campaign_id), 10, "the campaign loaded"
            )
            runtime.observe(PacingEvent("talk_ended", rig.service.pacing_now(), 93.0))
            learned = runtime.predictive.memory()
            for _ in range(100):  # the wallboard's figures, published every few seconds
                if await rig.redis.hexists(CAMPAIGN_STATS_KEY, str(campaign_id)):
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the campaign's figures were never published")
            floor.campaign.active = False  # the client recalled the portfolio
            floor.session.add(floor.campaign)
            floor.session.commit()
            await rig.screens.wait(
                lambda: campaign_id not in rig.service.campaigns, 10, "the campaign retired"
            )
            saved = stored(floor.session, campaign_id)
            assert not await rig.redis.hexists(CAMPAIGN_STATS_KEY, str(campaign_id))
            floor.campaign.active = True
            floor.session.add(floor.campaign)
            floor.session.commit()
            back = await rig.screens.wait(
                lambda: rig.service.campaigns.get(campaign_id), 10, "the campaign back"
            )

    assert saved is not None and saved.memory == learned  # the last talk heard included
    assert back is not runtime and back.predictive.memory()["talk"] == learned["talk"]
    assert f"campaign {campaign_id} no longer dialled" in caplog.text
