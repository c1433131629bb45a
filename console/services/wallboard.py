"""What the team lead's campaign table says about the dialer: the mode each campaign is really
dialing in, why, and whether the dialer is still talking at all.

The dialer refreshes each campaign's figures every few seconds (CampaignStats, kept in Redis);
figures older than SILENT_AFTER mean the dialer has stopped or lost Redis, which a lead must see
rather than a stale "dialing ahead".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from core.events import CampaignStats
from core.models import Campaign, Portfolio
from dialer.campaigns import day_limit

SILENT_AFTER = timedelta(seconds=20)


@dataclass(frozen=True)
class Dialing:
    """One campaign's row: the mode it dials in now, in words why, whether that is stale, and
    whether it places no calls whatever its agents do (nothing left to dial, out of schedule):
    a floor left Ready on such a campaign idles, so the lead must see it at a glance."""

    mode: str
    why: str
    silent: bool
    idle: bool = False
    queued: int = 0  # accounts in the hopper
    out: int = 0  # its calls up now: ringing, waiting or in conversation


def dialing_state(latest: datetime | None, now: datetime) -> str:
    """The dialer as a whole, by the time of its freshest campaign figures."""
    if latest is None:
        return "not running"
    return "running" if now - latest <= SILENT_AFTER else f"silent since {latest:%H:%M:%S}"


def dialing(stats: CampaignStats | None, now: datetime) -> Dialing:
    if stats is None:
        return Dialing("—", "dialer not running", silent=True)
    if now - stats.at > SILENT_AFTER:
        return Dialing(stats.effective_mode, f"dialer silent since {stats.at:%H:%M:%S}", True)
    return Dialing(
        stats.effective_mode,
        stats.pacing,
        silent=False,
        idle=stats.places_no_calls,
        queued=stats.hopper_size,
        out=stats.calls_in_flight,
    )


def day_limits(db: Session, campaigns: Sequence[Campaign]) -> dict[int, float | None]:
    """Each campaign's per-day abandon limit, where a portfolio's law measures per day (Ofcom's
    3% per 24 h), as the dialer paces it; None for a profile this code does not know, which
    the dialer refuses to dial and logs."""
    wanted = {int(p) for c in campaigns for p in c.portfolio_ids}
    query = select(Portfolio.id, Portfolio.calling_profile).where(col(Portfolio.id).in_(wanted))
    profiles = {pid: profile for pid, profile in db.exec(query).all()}
    limits: dict[int, float | None] = {}
    for campaign in campaigns:
        names = [profiles[int(p)] for p in campaign.portfolio_ids if int(p) in profiles]
        try:
            limits[campaign.id or 0] = day_limit(names)
        except ValueError:
            limits[campaign.id or 0] = None
    return limits


def calls_out_for(stats: CampaignStats | None, now: datetime) -> bool:
    """Whether the dialer running an agent's campaign may have calls out counting on them (its
    figures are up to 5 s old, so it settles that itself, within a tick)."""
    if stats is None:
        return False
    return not dialing(stats, now).silent and stats.effective_mode != "preview"
