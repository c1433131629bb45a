"""The abandon ledger a pacing policy keeps: live answers and abandons per day, today plus the
rolling window the regulation measures (30 days by default).

Days are counted from the snapshot clock's origin, shifted by `day_offset` seconds
(`floor((at + day_offset) / day_seconds)`): the live dialer passes epoch seconds and the
campaign's standard UTC offset, so these are the campaign's local days; a simulator passes any
origin it likes and no shift.
"""

from __future__ import annotations

from collections import deque


class AbandonLedger:
    """Per-day live and abandoned counts: a few integers per day, at most `window_days` days."""

    def __init__(
        self, day_seconds: float = 86_400.0, window_days: int = 30, day_offset: float = 0.0
    ) -> None:
        self.day_seconds = day_seconds
        self.day_offset = day_offset
        self.window_days = window_days
        self.day: int | None = None
        self.lives_today = 0
        self.abandoned_today = 0
        self._past: deque[tuple[int, int, int]] = deque()  # (day, lives, abandoned)
        # Running totals of the closed days in `_past`: the policy asks every second.
        self._past_lives = 0
        self._past_abandoned = 0
        # The median closed day, kept as days close or leave the window: the guard asks each tick.
        self._typical: int | None = None

    def roll_to(self, at: float) -> None:
        """Closes the current day if `at` falls in a later one and forgets days out of window."""
        day = int((at + self.day_offset) // self.day_seconds)
        if self.day is None:
            self.day = day
            return
        if day <= self.day:
            return
        self._past.append((self.day, self.lives_today, self.abandoned_today))
        self._past_lives += self.lives_today
        self._past_abandoned += self.abandoned_today
        self.day, self.lives_today, self.abandoned_today = day, 0, 0
        while self._past and self._past[0][0] <= self.day - self.window_days:
            _, lives, abandoned = self._past.popleft()
            self._past_lives -= lives
            self._past_abandoned -= abandoned
        worked = sorted(day_lives for _, day_lives, _ in self._past if day_lives > 0)
        self._typical = worked[len(worked) // 2] if worked else None

    def record(self, at: float, abandoned: bool) -> None:
        """Counts one live answer (connected or abandoned) on the day of `at`."""
        self.roll_to(at)
        self.lives_today += 1
        self.abandoned_today += int(abandoned)

    def typical_day_lives(self) -> int | None:
        """The median live answers of the closed days in the window, or None before the first
        day closes: how many live answers a whole day brings, for projecting today's rate."""
        return self._typical

    def window(self) -> tuple[int, int]:
        """(live answers, abandons) over the rolling window including today."""
        return self.lives_today + self._past_lives, self.abandoned_today + self._past_abandoned
