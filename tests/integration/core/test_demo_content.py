"""What `concord demo seed` writes: one demo shared by read-only tests (seeding takes seconds)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import phonenumbers
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from core.demo import catalog
from core.demo.places import PLACES
from core.demo.reset import remove_demo
from core.demo.seed import seed_demo
from core.models import (
    Account,
    Address,
    Campaign,
    CampaignAgent,
    Client,
    ContactAttempt,
    DispositionCategory,
    DispositionCode,
    Phone,
    Role,
    User,
)
from core.passwords import verify_password
from qa.audit_store import audit

pytestmark = [pytest.mark.db, pytest.mark.integration]
TODAY = date(2026, 11, 30)
DEBTORS = 150


@pytest.fixture(scope="module")
def seeded_once(migrated_engine: Engine) -> Iterator[Session]:
    """One demo for the read-only tests (argon2 hashing makes each seed take seconds)."""
    with Session(migrated_engine, expire_on_commit=False) as session:
        seed_demo(session, 7, TODAY, debtors=DEBTORS)
        session.commit()
        yield session
        remove_demo(session)
        session.commit()


def test_every_client_has_a_code_for_every_disposition_category(seeded_once: Session) -> None:
    for client in seeded_once.exec(select(Client)).all():
        categories = seeded_once.exec(
            select(DispositionCode.category).where(DispositionCode.client_id == client.id)
        ).all()
        assert set(categories) == {c.value for c in DispositionCategory}
        assert client.business_name and phonenumbers.is_valid_number(
            phonenumbers.parse(client.callback_number)
        )


def test_one_user_of_each_role_signs_in_with_the_seeded_password(seeded_once: Session) -> None:
    users = seeded_once.exec(select(User)).all()
    roles = sorted(u.role for u in users)
    assert roles == sorted(
        [Role.AGENT] * 3 + [Role.TEAM_LEAD, Role.QA, Role.CLIENT_VIEWER, Role.ADMIN]
    )
    for user in users:
        assert verify_password(user.password_hash, catalog.demo_password(7, user.username))
    viewer = next(u for u in users if u.role == Role.CLIENT_VIEWER)
    assert viewer.client_id is not None


def test_each_portfolio_has_a_campaign_worked_by_the_three_agents(seeded_once: Session) -> None:
    campaigns = seeded_once.exec(select(Campaign)).all()
    assert len(campaigns) == len(catalog.PORTFOLIOS)
    for campaign in campaigns:
        agents = seeded_once.exec(
            select(CampaignAgent).where(CampaignAgent.campaign_id == campaign.id)
        ).all()
        assert len(agents) == 3 and len(campaign.portfolio_ids) == 1


def test_debtors_phones_are_valid_and_match_the_time_zone_of_their_address(
    seeded_once: Session,
) -> None:
    zone_of_area = {area: place.time_zone for place in PLACES for area in place.area_codes}
    zone_of_city = {(place.city, place.state): place.time_zone for place in PLACES}
    rows = seeded_once.exec(
        select(Phone, Address).join(Address, col(Address.debtor_id) == Phone.debtor_id)
    ).all()
    assert len({phone.number for phone, _ in rows}) == len(rows)  # never shared
    matching = 0
    for phone, address in rows:
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone.number))
        matching += zone_of_area[phone.number[2:5]] == zone_of_city[(address.city, address.state)]
    assert matching == len(rows)
    assert len(set(zone_of_city[(a.city, a.state)] for _, a in rows)) >= 5


def test_balances_spread_and_every_account_is_segmented(seeded_once: Session) -> None:
    accounts = seeded_once.exec(select(Account)).all()
    assert len(accounts) == DEBTORS
    balances = sorted(a.balance_minor for a in accounts if a.balance_minor > 0)
    median = balances[len(balances) // 2]
    assert balances[-1] > 4 * median  # a long tail, as lognormal balances have
    assert all(a.segment for a in accounts)
    assert {"low", "medium"} <= {a.segment for a in accounts}


def test_every_demo_campaign_names_a_shipped_script_its_agents_can_open(
    seeded_once: Session,
) -> None:
    from scripts_library.library import Library

    library = Library.from_path()
    for campaign in seeded_once.exec(select(Campaign)):
        client = seeded_once.get(Client, campaign.client_id)
        assert client is not None
        for language in ("en", "es"):
            doc = library.resolve(campaign.script_name, client=client.code, language=language)
            assert doc.name == campaign.script_name


def test_the_demo_history_passes_qas_audit_of_the_contact_log(seeded_once: Session) -> None:
    """The demo's calls were made as the engine allowed, at hours where each debtor lives:
    a QA reviewer opening the demo's audit must not find our own seed breaking Reg F."""
    end = datetime.combine(TODAY, time(), UTC)

    report = audit(seeded_once, end - timedelta(days=90), end, None)

    assert report.contacts > DEBTORS / 3
    assert report.total_findings == 0, report.findings[:5]
    inbound = seeded_once.exec(
        select(func.count()).where(col(ContactAttempt.direction) == "inbound")
    ).one()
    assert inbound < report.contacts / 5  # the debtor calling in is the exception
