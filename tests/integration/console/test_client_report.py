"""The client's outcome report: its figures per portfolio over a period, and only its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from console.services.client_report import report, totals
from core.models import (
    Account,
    ContactAttempt,
    DispositionCode,
    HoldChange,
    Payment,
    PaymentPlan,
    PromiseToPay,
)

pytestmark = pytest.mark.integration
TODAY = NOW.date()


def _code(db: Session, client_id: int, code: str) -> int:
    found = db.exec(
        select(DispositionCode).where(
            DispositionCode.client_id == client_id, DispositionCode.code == code
        )
    ).one()
    return pk(found)


def _book(db: Session, floor: Floor) -> None:
    """Client A: two payments (one 40 days back), three promises, a plan, four calls.
    Client B: a large payment that client A's report must never show."""
    a, b = pk(floor.account), pk(floor.other_account)
    days = timedelta(days=1)
    db.add_all(
        [
            Payment(account_id=a, amount_minor=10_000, paid_at=NOW - 2 * days),
            Payment(account_id=a, amount_minor=5_000, paid_at=NOW - 40 * days),
            Payment(account_id=b, amount_minor=999_900, paid_at=NOW - 1 * days),
            # made 3 days ago, not yet due: made, neither kept nor broken
            PromiseToPay(account_id=a, amount_minor=20_000, due_date=TODAY + 5 * days,
                         created_at=NOW - 3 * days),
            # due 10 days ago and never paid: broken, though nothing marked it so
            PromiseToPay(account_id=a, amount_minor=7_000, due_date=TODAY - 10 * days,
                         created_at=NOW - 45 * days),
            PromiseToPay(account_id=a, amount_minor=5_000, due_date=TODAY - 5 * days,
                         status="kept", created_at=NOW - 45 * days),
            PaymentPlan(account_id=a, total_minor=30_000, created_at=NOW - 1 * days),
        ]
    )  # fmt: skip
    client_a = floor.client_a.id or 0
    for code, ago in (("PTP", 1), ("RPC", 2), ("WN", 3), (None, 4), ("PTP", 50)):
        db.add(
            ContactAttempt(
                account_id=a, debtor_id=floor.debtor.id or 0, channel="call",
                to_address="+12025550143", started_at=NOW - ago * days, outcome="conversation",
                disposition_code_id=None if code is None else _code(db, client_a, code),
            )
        )  # fmt: skip
    db.commit()


@pytest.mark.db
def test_the_report_counts_the_period_and_marks_overdue_promises_broken(
    db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        _book(db, floor_data)
        month = report(db, floor_data.client_a.id or 0, 30, NOW, "UTC")
        quarter = report(db, floor_data.client_a.id or 0, 90, NOW, "UTC")

    (cards,) = month.rows
    assert (cards.portfolio, cards.currency, cards.accounts) == ("Harbor cards 2025", "USD", 2)
    assert cards.balance_minor == 124_050 + 30_000
    assert (cards.collected_minor, cards.payments) == (10_000, 1)  # not the one 40 days back
    assert (cards.promises_made, cards.promised_minor) == (1, 20_000)
    assert (cards.promises_kept, cards.promises_broken, cards.kept_rate) == (1, 1, 0.5)
    assert cards.plans_agreed == 1
    assert (cards.calls, cards.right_party, cards.right_party_rate) == (4, 2, 0.5)
    (q,) = quarter.rows
    assert (q.collected_minor, q.promises_made, q.calls, q.right_party) == (15_000, 3, 5, 3)
    assert month.since == TODAY - timedelta(days=29)  # today and the 29 days before
    assert totals(month.rows)[0].collected_minor == 10_000


@pytest.mark.db
def test_every_figure_reads_the_same_days_and_calls_are_the_ones_placed(
    db_engine: Engine, floor_data: Floor
) -> None:
    """A week is today and the six days before, for money, promises and calls alike; a
    placement the network refused is no call, and a debtor's call in is counted apart, though
    a right-party contact on it is one (review: the debtor's own call was left out)."""
    a, client_a = pk(floor_data.account), floor_data.client_a.id or 0
    days = timedelta(days=1)
    with Session(db_engine) as db:
        db.add_all(
            [
                Payment(account_id=a, amount_minor=1_000, paid_at=NOW - 6 * days),  # in
                Payment(account_id=a, amount_minor=2_000, paid_at=NOW - 7 * days),  # out
                PromiseToPay(account_id=a, amount_minor=3_000, due_date=TODAY - 6 * days),
                PromiseToPay(account_id=a, amount_minor=4_000, due_date=TODAY - 7 * days),
                PromiseToPay(account_id=a, amount_minor=5_000, due_date=TODAY, status="kept"),
                PromiseToPay(account_id=a, amount_minor=6_000, due_date=TODAY),  # not yet broken
            ]
        )
        rpc = _code(db, client_a, "RPC")
        for direction, outcome, code, ago in (
            ("outbound", "conversation", rpc, 6),
            ("outbound", "no_answer", None, 1),
            ("outbound", "not_connected", None, 1),
            ("inbound", "conversation", rpc, 2),
            ("outbound", "conversation", rpc, 7),
        ):
            db.add(
                ContactAttempt(
                    account_id=a, debtor_id=floor_data.debtor.id or 0, channel="call",
                    direction=direction, started_at=NOW - ago * days, outcome=outcome,
                    disposition_code_id=code,
                )
            )  # fmt: skip
        db.commit()
        (week,) = report(db, client_a, 7, NOW, "UTC").rows

    assert (week.collected_minor, week.payments) == (1_000, 1)
    assert (week.promises_kept, week.promises_broken) == (1, 1)
    assert (week.calls, week.right_party, week.inbound) == (2, 2, 1)
    assert week.right_party_rate == 2 / 3


def test_the_reports_days_are_the_floors_days(db_engine: Engine, floor_data: Floor) -> None:
    """A Los Angeles agency's week begins at its own midnight: a payment made at 11:30 pm
    there the night before is last week's, though in UTC it is the week's first morning."""
    a, client_a = pk(floor_data.account), floor_data.client_a.id or 0
    with Session(db_engine) as db:
        db.add_all(
            [
                Payment(account_id=a, amount_minor=1_000,
                        paid_at=datetime(2026, 3, 5, 7, 30, tzinfo=UTC)),  # 23:30 PST on the 4th
                Payment(account_id=a, amount_minor=2_000,
                        paid_at=datetime(2026, 3, 5, 8, 30, tzinfo=UTC)),  # 00:30 PST on the 5th
            ]
        )  # fmt: skip
        db.commit()
        (utc_week,) = report(db, client_a, 7, NOW, "UTC").rows
        (la_week,) = report(db, client_a, 7, NOW, "America/Los_Angeles").rows

    assert (utc_week.collected_minor, la_week.collected_minor) == (3_000, 2_000)


def test_a_client_viewer_reads_only_their_own_report_for_a_chosen_period(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        _book(db, floor_data)

    login(client, "harbor_view")
    month = client.get("/client")
    quarter = client.get("/client", params={"days": 90})
    odd = client.get("/client", params={"days": 45})

    assert month.status_code == 200
    assert "Harbor Bank: your placements" in month.text and "Ridge" not in month.text
    assert "$100.00" in month.text and "$9,999.00" not in month.text
    assert "<strong>30 days</strong>" in month.text and 'href="/client?days=90"' in month.text
    assert "$150.00" in quarter.text and "<strong>90 days</strong>" in quarter.text
    assert odd.status_code == 400 and "days: 45 is not a period of the report" in odd.text


def test_a_client_with_nothing_placed_is_told_so(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        for account in db.exec(select(Account).where(Account.client_id == floor_data.client_a.id)):
            db.delete(account)
        db.commit()

    login(client, "harbor_view")

    assert "No accounts placed yet." in client.get("/client").text


def test_a_viewer_downloads_the_report_finds_an_account_by_its_number_and_sees_holds(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        _book(db, floor_data)
        for account, hold in ((floor_data.account, "dispute"), (floor_data.other_account, "cease")):
            db.add(
                HoldChange(account_id=pk(account), hold=hold, action="set", level="account",
                           actor="ana", at=NOW - timedelta(days=1))
            )  # fmt: skip
        db.commit()
        own = db.get(Account, pk(floor_data.account))
        other = db.get(Account, pk(floor_data.other_account))
        assert own is not None and other is not None
    login(client, "harbor_view")

    sheet = client.get("/client/report.csv", params={"days": 30})
    found = client.get("/client/find", params={"number": own.client_account_number})
    theirs = client.get("/client/find", params={"number": other.client_account_number})

    assert sheet.headers["content-type"].startswith("text/csv")
    header, *rows = sheet.text.splitlines()
    assert header.startswith("Client,From,Days,Portfolio,Currency,Accounts,Balance owed,")
    assert header.endswith(",Holds received") and len(rows) == 1
    assert rows[0].startswith("Harbor Bank,") and ",100.00,1," in rows[0]
    assert rows[0].endswith(",1") and "9999.00" not in sheet.text  # one hold; not Ridge's
    assert found.status_code == 200 and f"…{own.client_account_number[-4:]}" in found.text
    assert theirs.status_code == 404
