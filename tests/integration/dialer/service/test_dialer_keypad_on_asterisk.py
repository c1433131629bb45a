"""The opt-out key after an abandoned call's message, on the real Asterisk: a person who
presses 9 is not called on that number again, for any debtor who has it: the number goes on
the agency's do-not-call list, which the dialer's next search reads."""

from __future__ import annotations

from datetime import UTC

import pytest
from ami_helpers import Watch, stamp
from dialer_rig import ASTERISK_ROOT, Floor, Rig, running
from sqlmodel import select

from core.events import CallAbandoned, CallEnded, CallPlaced
from core.models import ContactAttempt, StoppedNumber
from core.stopped_numbers import in_force
from dialer.keypad import OPT_OUT_BY, OPT_OUT_NOTE
from dialer.messages import MessageLibrary

pytestmark = [pytest.mark.integration, pytest.mark.asterisk]


async def abandon_one(rig: Rig, floor: Floor, extension: str) -> tuple[Watch, CallEnded]:
    """The agent goes Ready, then pauses while the call rings: nobody takes the answer."""
    agent_id = floor.agent(extension)
    campaign_id = floor.campaign.id or 0
    watch = Watch(rig.ami)
    async with running(rig):
        await rig.login(extension)
        await rig.set_state(agent_id, "ready", campaign_id)
        await rig.screens.wait(lambda: rig.screens.of(CallPlaced), 5, "the call placed")
        await rig.set_state(agent_id, "paused", campaign_id)
        (ended,) = await rig.screens.wait(lambda: rig.screens.of(CallEnded), 25, "the end")
    watch.close()
    return watch, ended


async def test_a_person_abandoned_who_presses_9_is_not_called_on_that_number_again(
    rig: Rig, floor: Floor
) -> None:
    account = floor.account(9, seconds=8)  # +1 NPA 555-0198 presses 9 at any key offer
    number = floor.number(9, 8)
    rig.service.messages = MessageLibrary.under_root(str(ASTERISK_ROOT))
    offer, done = rig.service.messages.opt_out_prompts()
    watch, ended = await abandon_one(rig, floor, "7411")
    assert rig.screens.of(CallAbandoned)
    (pressed,) = watch.user_events("ConcordOptOut", ended.call_id)
    (message,) = watch.user_events("ConcordMessage", ended.call_id)
    assert pressed["Key"] == "9" and stamp(pressed) > stamp(message)  # the offer follows it
    assert offer and done  # espeak made both: the offer is the dialer's own words
    floor.session.expire_all()
    (row,) = floor.session.exec(select(ContactAttempt)).all()
    assert (row.account_id, row.outcome, row.notes) == (account.id, "abandoned", OPT_OUT_NOTE)
    entry = in_force(floor.session, [number])[number]
    assert (entry.how, entry.updated_by) == ("keypad", OPT_OUT_BY)
    since = entry.since.replace(tzinfo=UTC).timestamp()  # SQLite keeps UTC, naive
    assert stamp(pressed) - 1 <= since <= stamp(pressed) + 1


async def test_without_the_prompt_no_key_is_offered_and_the_number_stays_callable(
    rig: Rig, floor: Floor
) -> None:
    """No espeak-made prompt (the dialer had no message library): the person pressing 9
    through the stock message is heard by nothing, and nothing promised them otherwise."""
    floor.account(9, seconds=8)
    watch, ended = await abandon_one(rig, floor, "7412")
    assert ended.outcome == "abandoned"
    assert watch.user_events("ConcordMessage", ended.call_id)
    assert not watch.user_events("ConcordOptOut")
    floor.session.expire_all()
    assert not floor.session.exec(select(StoppedNumber)).all()
