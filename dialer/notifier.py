"""Domain events out of the dialer, onto Redis pub/sub, on the channels each screen listens to.

Raw AMI never leaves the dialer: the console hears `CallConnected` (its screen pop) on the
agent's channel, team leads hear everything on the floor channel, a campaign's wallboard hears
its own figures. Pub/sub is for live screens only; the attempt itself is already in the
database when `CallEnded` goes out.
"""

from __future__ import annotations

import logging

from redis.asyncio import Redis

from core.events import (
    CAMPAIGN_STATS_KEY,
    FLOOR_CHANNEL,
    CallAbandoned,
    CallConnected,
    CallEnded,
    CallPlaced,
    CampaignStats,
    Event,
    HopperEmpty,
    agent_channel,
    campaign_channel,
)

log = logging.getLogger(__name__)

# A preview dial refused by compliance: not a shared domain event (only the clicking agent
# cares), so it goes out as a plain envelope on that agent's channel.
DIAL_REFUSED_OP = "dial_refused"


def channels_for(event: Event) -> list[str]:
    """Where an event goes: the floor always, plus the agent's and the campaign's channels."""
    channels = [FLOOR_CHANNEL]
    agent_id = getattr(event, "agent_id", None)
    if agent_id is not None:
        channels.append(agent_channel(agent_id))
    campaign_id = getattr(event, "campaign_id", None)
    if campaign_id is not None and isinstance(
        event, CallPlaced | CallAbandoned | CampaignStats | HopperEmpty | CallConnected
    ):
        channels.append(campaign_channel(campaign_id))
    return channels


class Notifier:
    """Publishes events; a Redis hiccup is logged, never allowed to stop a call."""

    def __init__(self, redis: Redis[bytes]) -> None:
        self._redis = redis

    async def publish(self, event: Event) -> None:
        frame = event.envelope()
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for channel in channels_for(event):
                    pipe.publish(channel, frame)
                if isinstance(event, CampaignStats):  # kept for pages that poll
                    pipe.hset(CAMPAIGN_STATS_KEY, str(event.campaign_id), frame)
                await pipe.execute()
        except Exception:
            log.exception("could not publish %s", event.name)
        if isinstance(event, HopperEmpty):
            log.warning("hopper empty for campaign %s: %s", event.campaign_id, event.reason)
        if isinstance(event, CallEnded | CallAbandoned):
            log.info("%s %s", event.name, event.call_id)

    async def publish_raw(self, channel: str, frame: str) -> None:
        try:
            await self._redis.publish(channel, frame)
        except Exception:
            log.exception("could not publish to %s", channel)
