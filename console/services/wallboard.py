"""What the team lead's campaign table says about the dialer: the mode each campaign is really
dialing in, why, and whether the dialer is still talking at all.

The dialer refreshes each campaign's figures every few seconds (CampaignStats, kept in Redis);
figures older than SILENT_AFTER mean the dialer has stopped or lost Redis, which a lead must see
rather than a stale "dialing ahead".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.events import CampaignStats

SILENT_AFTER = timedelta(seconds=20)


@dataclass(frozen=True)
class Dialing:
    """One campaign's row: the mode it dials in now, in words why, and whether that is stale."""

    mode: str
    why: str
    silent: bool


def dialing(stats: CampaignStats | None, now: datetime) -> Dialing:
    if stats is None:
        return Dialing("—", "dialer not running", silent=True)
    if now - stats.at > SILENT_AFTER:
        return Dialing(stats.effective_mode, f"dialer silent since {stats.at:%H:%M:%S}", True)
    return Dialing(stats.effective_mode, stats.pacing, silent=False)
