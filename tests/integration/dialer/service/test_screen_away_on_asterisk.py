"""An agent whose screen just closed is dialled for no more, on the real Asterisk: the console
marks them away at once (core.events.SCREENS_AWAY_KEY) and waits its grace before pausing; a
call placed in that window reached a debtor the agent could not see (review r16, finding 12)."""

from __future__ import annotations

import asyncio
import time

import pytest
from dialer_rig import Floor, Rig, running

from core.events import SCREENS_AWAY_KEY

pytestmark = [pytest.mark.integration, pytest.mark.asterisk, pytest.mark.db]


async def test_no_call_is_placed_for_an_agent_marked_away_and_dialling_resumes_after(
    rig: Rig, floor: Floor
) -> None:
    account = floor.account(5)  # rings unanswered: the call stays out while we look
    agent = floor.agent("7341")

    def placed() -> list[str]:
        return [c.call_id for c in rig.service.calls.values() if c.account_id == account.id]

    async with running(rig):
        await rig.login("7341")
        await rig.redis.zadd(SCREENS_AWAY_KEY, {str(agent): time.time() + 60})
        await rig.set_state(agent, "ready", floor.campaign.id or 0)
        for _ in range(30):  # three seconds of ticks: a Ready agent is dialled for in one
            assert not placed(), "a call was placed for an agent whose screen is gone"
            await asyncio.sleep(0.1)
        await rig.redis.zrem(SCREENS_AWAY_KEY, str(agent))  # the screen is back
        rig.service.wake()
        await rig.screens.wait(placed, 10, "the call placed once the screen is back")
