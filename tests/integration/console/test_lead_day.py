"""The team lead's 'today per agent' table, read from the stored calls, promises and plans."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.models import ContactAttempt, PaymentPlan, PromiseToPay, User

pytestmark = pytest.mark.integration


def _row(page: str, username: str) -> list[str]:
    row = page.split(f'data-agent="{username}"')[1].split("</tr>")[0]
    return [cell.split("</td>")[0] for cell in row.split("<td>")[2:]]


def test_the_lead_sees_each_agents_calls_talk_promises_and_plans_of_today_only(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    ana, account = pk(floor_data.agent), pk(floor_data.account)
    minutes = timedelta(minutes=1)

    def call(ago: int, seconds: int, outcome: str) -> ContactAttempt:
        started = NOW - ago * minutes
        return ContactAttempt(
            account_id=account, debtor_id=pk(floor_data.debtor), channel="call",
            to_address="+12025550143", started_at=started, outcome=outcome, agent_id=ana,
            ended_at=started + timedelta(seconds=seconds),
        )  # fmt: skip

    with Session(db_engine) as db:
        db.add_all(
            [
                call(90, 430, "conversation"),
                call(30, 28, "no_answer"),
                call(60 * 24, 600, "conversation"),  # yesterday: not today's
                PromiseToPay(account_id=account, amount_minor=5_000, due_date=NOW.date(),
                             agent_id=ana, created_at=NOW - 80 * minutes),
                PaymentPlan(account_id=account, total_minor=9_000, agent_id=ana,
                            created_at=NOW - timedelta(days=1)),
            ]
        )  # fmt: skip
        db.commit()
    login(client, "lee")

    full = client.get("/lead").text
    day = client.get("/lead/day", headers={"HX-Request": "true"}).text

    assert 'hx-get="/lead/day"' in full  # the page loads it, then every minute
    assert _row(day, "ana") == ["2", "1", "0:07", "1", "0"]  # 430 s + 28 s on calls
    assert _row(day, "ben") == ["0", "0", "0:00", "0", "0"]


def test_a_lead_bound_to_one_client_counts_only_that_clients_work(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    ana = pk(floor_data.agent)
    with Session(db_engine) as db:
        for account in (floor_data.account, floor_data.other_account):
            db.add(
                ContactAttempt(
                    account_id=pk(account), debtor_id=account.debtor_id, channel="call",
                    to_address="+12025550143", started_at=NOW - timedelta(minutes=5),
                    outcome="conversation", agent_id=ana,
                )
            )  # fmt: skip
        db.add(
            PromiseToPay(account_id=pk(floor_data.other_account), amount_minor=5_000,
                         due_date=NOW.date(), agent_id=ana, created_at=NOW)
        )  # fmt: skip
        lee = db.get(User, floor_data.lead.id)
        assert lee is not None
        lee.client_id = floor_data.client_a.id
        db.add(lee)
        db.commit()
    login(client, "lee")

    day = client.get("/lead/day", headers={"HX-Request": "true"}).text

    assert _row(day, "ana")[:2] == ["1", "1"] and _row(day, "ana")[3] == "0"
