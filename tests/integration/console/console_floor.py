"""A small floor for console tests: two clients, their portfolios, campaigns, agents and a debtor.

Real rows through the real models, so the tests exercise the same queries production runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import httpx
from argon2 import PasswordHasher
from sqlmodel import Session, SQLModel

from core.models import (
    Account,
    Address,
    Campaign,
    CampaignAgent,
    Client,
    Debtor,
    DispositionCode,
    Phone,
    Portfolio,
    Role,
    Team,
    User,
)

PASSWORD = "correct horse battery"
# A Wednesday, 11:00 in Washington DC: inside calling hours.
NOW = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
#: The floor's accounts had their validation notices mailed at placement, before any call.
NOTICE_SENT = date(2026, 1, 5)
# Cheap parameters for test users only: verification reads the cost from the hash itself, so
# the login path is the production one, just faster on a busy CI machine.
_TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def pk(row: SQLModel) -> int:
    """A flushed row's primary key (typed as optional on the models until it is stored)."""
    key = getattr(row, "id", None)
    assert isinstance(key, int), f"{row!r} is not flushed"
    return key


@dataclass
class Floor:
    agent: User
    lead: User
    other_agent: User
    qa: User
    viewer: User
    client_a: Client
    client_b: Client
    campaign: Campaign
    account: Account
    second_account: Account
    other_account: Account
    debtor: Debtor
    phone: Phone


def seed(db: Session, *, wrapup_seconds: int = 0) -> Floor:
    password_hash = _TEST_HASHER.hash(PASSWORD)
    team = Team(name="Floor 1")
    client_a = Client(code="harbor", name="Harbor Bank", callback_number="(555) 010-2000")
    client_b = Client(code="ridge", name="Ridge Credit Union", callback_number="(555) 010-3000")
    db.add_all([team, client_a, client_b])
    db.flush()
    portfolio_a = Portfolio(
        client_id=pk(client_a), name="Harbor cards 2025", settlement_min_pct=60, promise_max_days=30
    )
    portfolio_b = Portfolio(client_id=pk(client_b), name="Ridge autos")
    db.add_all([portfolio_a, portfolio_b])
    db.flush()
    debtor = Debtor(
        client_id=pk(client_a),
        first_name="Maria",
        last_name="Lopez",
        date_of_birth=date(1984, 3, 9),
    )
    debtor_b = Debtor(client_id=pk(client_b), first_name="Sam", last_name="Reed")
    db.add_all([debtor, debtor_b])
    db.flush()
    phone = Phone(debtor_id=pk(debtor), number="+12025550143", type="mobile", consent=True)
    db.add_all(
        [
            phone,
            Address(
                debtor_id=pk(debtor),
                line1="1 Main St",
                city="Washington",
                state="DC",
                postal_code="20001",
            ),
            Phone(debtor_id=pk(debtor_b), number="+13125550188", type="mobile"),
            Address(debtor_id=pk(debtor_b), state="IL", postal_code="60601"),
        ]
    )
    account = Account(
        client_id=pk(client_a),
        portfolio_id=pk(portfolio_a),
        debtor_id=pk(debtor),
        client_account_number="4000123412344821",
        original_creditor="Harbor Bank Visa",
        principal_minor=100000,
        interest_minor=20000,
        fees_minor=4050,
        balance_minor=124050,
        delinquency_date=date(2025, 1, 15),
        validation_notice_on=NOTICE_SENT,
    )
    second = Account(
        client_id=pk(client_a),
        portfolio_id=pk(portfolio_a),
        debtor_id=pk(debtor),
        client_account_number="4000123412349999",
        principal_minor=30000,
        balance_minor=30000,
        validation_notice_on=NOTICE_SENT,
    )
    other = Account(
        client_id=pk(client_b),
        portfolio_id=pk(portfolio_b),
        debtor_id=pk(debtor_b),
        client_account_number="R-77001",
        principal_minor=500000,
        balance_minor=500000,
        validation_notice_on=NOTICE_SENT,
    )
    db.add_all([account, second, other])
    db.flush()
    campaign = Campaign(
        client_id=pk(client_a),
        name="Harbor early stage",
        portfolio_ids=[pk(portfolio_a)],
        script_name="third_party_first_contact",
        wrapup_seconds=wrapup_seconds,
    )
    campaign_b = Campaign(
        client_id=pk(client_b), name="Ridge autos", portfolio_ids=[pk(portfolio_b)]
    )
    db.add_all([campaign, campaign_b])
    db.flush()
    agent = User(
        username="ana",
        full_name="Ana Park",
        password_hash=password_hash,
        role=Role.AGENT.value,
        team_id=pk(team),
        extension="1001",
    )
    other_agent = User(
        username="ben",
        full_name="Ben Ruiz",
        password_hash=password_hash,
        role=Role.AGENT.value,
        team_id=pk(team),
        extension="1002",
    )
    lead = User(
        username="lee",
        full_name="Lee Grant",
        password_hash=password_hash,
        role=Role.TEAM_LEAD.value,
        team_id=pk(team),
        extension="1900",
    )
    qa = User(username="quinn", password_hash=password_hash, role=Role.QA.value)
    viewer = User(
        username="harbor_view",
        password_hash=password_hash,
        role=Role.CLIENT_VIEWER.value,
        client_id=pk(client_a),
    )
    db.add_all([agent, other_agent, lead, qa, viewer])
    db.flush()
    db.add_all(
        [
            CampaignAgent(campaign_id=pk(campaign), user_id=pk(agent)),
            CampaignAgent(campaign_id=pk(campaign_b), user_id=pk(other_agent)),
        ]
    )
    for client in (client_a, client_b):
        db.add_all(
            [
                DispositionCode(
                    client_id=pk(client),
                    code="PTP",
                    label="Promise to pay",
                    category="promise",
                    requires=["promise"],
                ),
                DispositionCode(
                    client_id=pk(client),
                    code="PLAN",
                    label="Payment plan",
                    category="plan",
                    requires=["plan"],
                ),
                DispositionCode(
                    client_id=pk(client),
                    code="CB",
                    label="Callback requested",
                    category="callback",
                    requires=["callback"],
                ),
                DispositionCode(
                    client_id=pk(client), code="WN", label="Wrong number", category="wrong_number"
                ),
                DispositionCode(
                    client_id=pk(client),
                    code="RPC",
                    label="Spoke with debtor",
                    category="right_party",
                    requires=["notes"],
                ),
            ]
        )
    db.commit()
    return Floor(
        agent=agent,
        lead=lead,
        other_agent=other_agent,
        qa=qa,
        viewer=viewer,
        client_a=client_a,
        client_b=client_b,
        campaign=campaign,
        account=account,
        second_account=second,
        other_account=other,
        debtor=debtor,
        phone=phone,
    )


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'"X-CSRF-Token": "([^"]+)"', html
    )
    assert found, "page has no CSRF token"
    return found.group(1)


def login(client: httpx.Client, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the CSRF token of the new session."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 200, response.text[:500]
    return csrf_of(response.text)
