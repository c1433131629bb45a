from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.models import Account, Client, Debtor, Portfolio, from_minor, to_minor

pytestmark = pytest.mark.db


def test_money_round_trips_through_minor_units_exactly() -> None:
    assert to_minor(Decimal("1234.56")) == 123456
    assert from_minor(123456) == Decimal("1234.56")


def test_money_with_a_fraction_of_a_cent_is_refused() -> None:
    with pytest.raises(ValueError, match="decimal places"):
        to_minor(Decimal("1.005"))


def _placement(session: Session) -> tuple[Client, Portfolio, Debtor]:
    client = Client(code="ACME", name="Acme Bank")
    session.add(client)
    session.flush()
    assert client.id is not None
    portfolio = Portfolio(client_id=client.id, name="2026-Q4")
    debtor = Debtor(client_id=client.id, first_name="Ana", last_name="Lopez", flags=["dnc"])
    session.add_all([portfolio, debtor])
    session.flush()
    return client, portfolio, debtor


def test_account_number_is_unique_per_client(session: Session) -> None:
    client, portfolio, debtor = _placement(session)
    assert client.id and portfolio.id and debtor.id
    for _ in range(2):
        session.add(
            Account(
                client_id=client.id,
                portfolio_id=portfolio.id,
                debtor_id=debtor.id,
                client_account_number="A-1",
                balance_minor=10_000,
            )
        )
    with pytest.raises(IntegrityError):
        session.commit()


def test_json_flags_and_dates_survive_a_round_trip(session: Session) -> None:
    client, portfolio, debtor = _placement(session)
    assert client.id and portfolio.id and debtor.id
    session.add(
        Account(
            client_id=client.id,
            portfolio_id=portfolio.id,
            debtor_id=debtor.id,
            client_account_number="A-2",
            balance_minor=9_999_999_999,
            flags=["dispute"],
            charge_off_date=date(2025, 1, 31),
        )
    )
    session.commit()
    session.expunge_all()
    stored = session.exec(select(Account)).one()
    assert stored.flags == ["dispute"]
    assert stored.balance_minor == 9_999_999_999
    assert stored.charge_off_date == date(2025, 1, 31)
    assert stored.updated_by == "system"
