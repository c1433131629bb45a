"""When a debt may be time-barred: past the period in which the creditor could sue on it.

Reg F 1006.26(b) forbids suing, or threatening to sue, on a time-barred debt, and the period
differs by state and by kind of debt (three to ten years and more), which is counsel's call,
not the software's. So each portfolio states its period (`limitation_years`, three by default:
the shortest in common use, so a debt is flagged early rather than late), counted from the day
the debt went delinquent, the earliest start a court may use (a later payment restarts the
clock in some states and not in others). A flagged debt is not declared time-barred to anyone:
the agent is told never to mention suing, and script steps allowed to speak of a lawsuit or
garnishment are not read on it. Pure.
"""

from __future__ import annotations

from datetime import date

DEFAULT_LIMITATION_YEARS = 3


def period_start(
    delinquency: date | None, charge_off: date | None, last_payment: date | None
) -> date | None:
    """The day the limitation period may have begun: delinquency, else charge-off, else the
    last payment; None when nothing dates the debt."""
    return delinquency or charge_off or last_payment


def add_years(day: date, years: int) -> date:
    """`day` moved `years` calendar years on; 29 February lands on 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def barred_from(
    years: int, delinquency: date | None, charge_off: date | None, last_payment: date | None
) -> date | None:
    """The first day the debt may be time-barred, or None when nothing dates it."""
    start = period_start(delinquency, charge_off, last_payment)
    return None if start is None else add_years(start, years)


def possibly_time_barred(
    today: date,
    years: int,
    delinquency: date | None,
    charge_off: date | None,
    last_payment: date | None,
) -> date | None:
    """The day the debt may have become time-barred when that is on or before `today`."""
    barred = barred_from(years, delinquency, charge_off, last_payment)
    return barred if barred is not None and barred <= today else None
