"""An abandoned call hears its own client's limited-content message on the real Asterisk."""

from __future__ import annotations

import logging
import uuid

import pytest
from ami_helpers import Watch
from dialer_rig import ASTERISK_ROOT, Floor, NoKeyOffer, Rig, running
from sqlmodel import select

from core.events import CallEnded, CallPlaced
from core.models import Campaign, Client, ContactAttempt, Portfolio
from dialer.messages import STOCK_MESSAGE, ClientMessage

pytestmark = [pytest.mark.integration, pytest.mark.asterisk, pytest.mark.db]


def client_campaign(floor: Floor, business_name: str, callback: str) -> tuple[Client, Campaign]:
    client = Client(code=f"c{uuid.uuid4().hex[:6]}", name=business_name,
                    business_name=business_name, callback_number=callback)  # fmt: skip
    floor.session.add(client)
    floor.session.flush()
    portfolio = Portfolio(client_id=client.id or 0, name="P", machine_action="hangup",
                          calling_profile=floor.place.profile)  # fmt: skip
    floor.session.add(portfolio)
    floor.session.flush()
    campaign = Campaign(client_id=client.id or 0, name=f"{business_name} early",
                        portfolio_ids=[portfolio.id or 0], dial_mode="progressive")  # fmt: skip
    floor.session.add(campaign)
    floor.session.commit()
    floor.account(1, seconds=2, portfolio=portfolio)
    return client, campaign


async def test_abandoned_calls_hear_their_own_clients_message_or_the_stock_prompt(
    rig: Rig, floor: Floor, caplog: pytest.LogCaptureFixture
) -> None:
    floor.campaign.active = False
    floor.session.add(floor.campaign)
    birch = client_campaign(floor, "Birch Services", "+1 (202) 555-0142")
    aspen = client_campaign(floor, "Aspen Partners", "+13125550177")
    cedar = client_campaign(floor, "Cedar Collections", "+13035550100")  # says what it does
    library = NoKeyOffer.under_root(str(ASTERISK_ROOT))
    rig.service.messages = library
    exts = {"7801": birch, "7802": aspen, "7803": cedar}
    agent_ids = {ext: floor.agent(ext) for ext in exts}
    watch = Watch(rig.ami)
    with caplog.at_level(logging.WARNING, logger="dialer.messages"):
        async with running(rig):
            for ext in exts:
                await rig.login(ext)
            for ext, (_, campaign) in exts.items():
                await rig.set_state(agent_ids[ext], "ready", campaign.id or 0)
            await rig.screens.wait(lambda: len(rig.screens.of(CallPlaced)) == 3, 5, "3 calls")
            # every agent steps away while the numbers ring: nobody takes the answers
            for ext, (_, campaign) in exts.items():
                await rig.set_state(agent_ids[ext], "paused", campaign.id or 0)
            played = await rig.screens.wait(
                lambda: len(watch.user_events("ConcordMessage")) == 3, 30, "3 messages played"
            )
            await rig.screens.wait(lambda: len(rig.screens.of(CallEnded)) == 3, 10, "3 ended")
    watch.close()
    assert played
    floor.session.expire_all()
    rows = floor.session.exec(select(ContactAttempt)).all()
    campaign_of = {r.call_id: r.campaign_id for r in rows}
    heard = {campaign_of[m["CallId"] or ""]: m for m in watch.user_events("ConcordMessage")}
    abandoned = {campaign_of[m["CallId"] or ""]: m for m in watch.user_events("ConcordAbandoned")}
    assert {r.outcome for r in rows} == {"abandoned"} and len(rows) == 3
    for client, campaign in (birch, aspen):
        expected = library.make(ClientMessage(client.id or 0, client.business_name,
                                              client.callback_number))  # fmt: skip
        assert expected.startswith(f"/var/lib/asterisk/sounds/concord/client-{client.id}-")
        # first whom it is for (Reg F 1006.2(j)): the debtor's name, then the client's words
        addressed = f"{library.addressed_to('Pat Doe')}&{expected}"
        assert addressed.startswith("/var/lib/asterisk/sounds/concord/for-")
        assert abandoned[campaign.id]["Message"] == addressed
        assert heard[campaign.id]["Message"] == addressed
        assert heard[campaign.id]["Status"] == "SUCCESS"  # Asterisk found and played the file
        assert (ASTERISK_ROOT / f"{expected.lstrip('/')}.wav").exists()
    assert heard[birch[1].id]["Message"] != heard[aspen[1].id]["Message"]
    stock = f"{library.addressed_to('Pat Doe')}&{STOCK_MESSAGE}"  # still says whom it is for
    assert (heard[cedar[1].id]["Message"], heard[cedar[1].id]["Status"]) == (stock, "SUCCESS")
    assert f"client {cedar[0].id}: business_name 'Cedar Collections'" in caplog.text
