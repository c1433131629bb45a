"""What each agent has done today, for the team lead: calls, conversations, time on calls,
promises and plans taken. Read from the stored attempts, promises and plans since the floor's
own midnight (CONCORD_FLOOR_TIMEZONE), so a console restart loses nothing and an evening shift
is not split at UTC midnight.

Time on calls runs from the dial to the hang-up (the attempt keeps no answer time), so it
includes the seconds of ringing; conversations are calls where someone was spoken with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from compliance.calls import day_start, local_day
from core.models import Account, ContactAttempt, PaymentPlan, PromiseToPay


def floor_midnight(now: datetime, floor_zone: str) -> datetime:
    """The first instant (UTC) of the floor's today: the day a lead counts, as it is lived."""
    return day_start(local_day(now, floor_zone), floor_zone)


@dataclass
class AgentDay:
    calls: int = 0
    conversations: int = 0
    seconds_on_calls: float = 0.0
    promises: int = 0
    plans: int = 0

    @property
    def time_on_calls(self) -> str:
        minutes = int(self.seconds_on_calls // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"


def agent_days(
    db: Session, agent_ids: Sequence[int], since: datetime, client_id: int | None = None
) -> dict[int, AgentDay]:
    """Each agent's figures since `since` (an agent with none has a zero row); with
    `client_id`, only that client's calls, promises and plans (a lead bound to one client
    reads nothing of another client's work)."""
    days = {agent: AgentDay() for agent in agent_ids}
    query = (
        select(ContactAttempt.agent_id, ContactAttempt.outcome, ContactAttempt.started_at,
               ContactAttempt.ended_at)
        .where(col(ContactAttempt.agent_id).in_(list(agent_ids)),
               col(ContactAttempt.channel) == "call", col(ContactAttempt.started_at) >= since)
    )  # fmt: skip
    if client_id is not None:
        theirs = select(Account.id).where(Account.client_id == client_id)
        query = query.where(col(ContactAttempt.account_id).in_(theirs))
    calls = db.exec(query)
    for agent_id, outcome, started, ended in calls:
        if agent_id is None:
            continue  # not selected (the filter is on agents); typed optional on the model
        day = days[agent_id]
        day.calls += 1
        day.conversations += outcome == "conversation"
        if ended is not None:
            day.seconds_on_calls += max(0.0, (ended - started).total_seconds())
    for table, field in ((PromiseToPay, "promises"), (PaymentPlan, "plans")):
        counted = select(table.agent_id, func.count(col(table.id))).where(
            col(table.agent_id).in_(list(agent_ids)), col(table.created_at) >= since
        )
        if client_id is not None:
            theirs = select(Account.id).where(Account.client_id == client_id)
            counted = counted.where(col(table.account_id).in_(theirs))
        taken = db.exec(counted.group_by(col(table.agent_id)))
        for agent_id, count in taken:
            if agent_id is not None:
                setattr(days[agent_id], field, count)
    return days
