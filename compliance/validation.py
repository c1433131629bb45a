"""The validation notice's dates (FDCPA 1692g, Reg F 1006.34), as pure date arithmetic.

A collector must give the validation information in the initial communication or within five
days (excluding legal public holidays, Saturdays and Sundays) after it. Concord's initial
communication with a debtor about a debt is the first telephone conversation on the account (the
follow-ups that mention the debt all come after one; a message before any is limited content and
not a communication). An account whose first conversation is on record and whose notice is not
sent by the fifth business day is held from every channel until the notice is recorded: each
further contact would be collection without the consumer's validation rights. The days are
counted from the conversation's earliest United States date (American Samoa's), and the hold
starts at 00:00 UTC after the fifth day, which from Hawaii to Maine is still the fifth day (in
Guam and the Northern Marianas it is already the morning after).

The validation period ends 30 days after the consumer receives the notice; a collector may
assume receipt five business days after sending it (1006.34(b)(5)). Agents are shown that date:
inside it, a demand for payment must not overshadow the consumer's right to dispute.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from compliance.hours import holiday_dates
from compliance.profiles import PROFILE_COUNTRIES

NOTICE_BUSINESS_DAYS = 5
RECEIPT_BUSINESS_DAYS = 5
VALIDATION_PERIOD_DAYS = 30


def applies_to(calling_profile: str) -> bool:
    """The notice is US law: only a portfolio worked under a US calling profile owes it."""
    return PROFILE_COUNTRIES.get(calling_profile) == "US"


def business_days_after(day: date, count: int) -> date:
    """The `count`-th day after `day` that is neither a weekend nor a US federal holiday."""
    found = day
    while count > 0:
        found += timedelta(days=1)
        if found.weekday() < 5 and found not in holiday_dates("US", None, found.year):
            count -= 1
    return found


#: The earliest calendar date anywhere in the United States at a given instant is American
#: Samoa's (UTC-11): counted from it, the five days never start later than the debtor's own.
_EARLIEST_US_OFFSET = timedelta(hours=-11)


def notice_due_on(first_conversation: datetime) -> date:
    """The last day the validation notice may be sent, for a first conversation at that instant,
    counted from its date where the calendar is earliest in the United States: a conversation
    at 20:00 in New York is already the next day in UTC, and counting from that gave every
    evening conversation a day more than the law does."""
    day = (first_conversation.astimezone(UTC) + _EARLIEST_US_OFFSET).date()
    return business_days_after(day, NOTICE_BUSINESS_DAYS)


def overdue(at: datetime, first_conversation: datetime | None, notice_on: date | None) -> bool:
    """True when, at `at`, the debt has had its initial communication and its notice is late:
    not sent by then, and the due day is over. A notice dated after `at` was not sent at `at`,
    so a replay of past contacts (QA's audit) sees the gap a late notice left."""
    if first_conversation is None or first_conversation >= at:
        return False
    if notice_on is not None and notice_on <= at.astimezone(UTC).date():
        return False
    hold_from = datetime.combine(
        notice_due_on(first_conversation) + timedelta(days=1), time(), tzinfo=UTC
    )
    return at >= hold_from


def period_ends_on(notice_on: date) -> date:
    """The last day of the validation period for a notice sent that day: receipt assumed five
    business days later, then 30 days to dispute or ask for the original creditor."""
    received = business_days_after(notice_on, RECEIPT_BUSINESS_DAYS)
    return received + timedelta(days=VALIDATION_PERIOD_DAYS)
