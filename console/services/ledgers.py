"""Campaign abandon ledgers for the lead page, which every lead's browser polls every 3 s.

Reading a busy campaign's 30 days from the database costs ~0.2 s (`concord bench ledger`), so
a floor of ten campaigns and a few leads would keep a core busy just redrawing the same past.
The days before yesterday are read once per day per campaign (again after `PAST_TTL_S`, for a
late disposition); today and yesterday, where calls and dispositions land, at every poll.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from dialer import store
from dialer.abandon import WINDOW_DAYS, AbandonLedger

# Today and yesterday are read fresh: a call settled before midnight is dispositioned after it.
FRESH_DAYS = 2
PAST_TTL_S = 600.0
_UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class _Past:
    today: date
    zone: ZoneInfo
    read_at: float
    ledger: AbandonLedger


class Ledgers:
    """The campaigns' 30-day ledgers, their settled past kept between polls."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._past: dict[int, _Past] = {}
        self._lock = threading.Lock()  # pages are served from a thread pool

    def of(
        self, session: Session, campaign_id: int, today: date, zone: ZoneInfo = _UTC
    ) -> AbandonLedger:
        """The campaign's ledger of its own calendar days (`zone`, its schedule's), up to
        `today` in that zone."""
        fresh_from = today - timedelta(days=FRESH_DAYS - 1)
        with self._lock:
            past = self._past.get(campaign_id)
        if (
            past is None
            or (past.today, past.zone) != (today, zone)  # a new day, or the campaign moved
            or self._clock() - past.read_at > PAST_TTL_S
        ):
            first = today - timedelta(days=WINDOW_DAYS)
            ledger = store.abandon_days(session, campaign_id, first, before=fresh_from, zone=zone)
            past = _Past(today, zone, self._clock(), ledger)
            with self._lock:
                self._past[campaign_id] = past
        return past.ledger.joined(store.abandon_days(session, campaign_id, fresh_from, zone=zone))
