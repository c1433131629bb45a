"""`seed_demo`: write the whole demo book in the caller's session (the caller commits).

The same seed and day give the same book (names, balances, histories, passwords); seeding twice
is refused unless `reset` removes the previous demo first, so demo data never doubles.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from core.demo import catalog
from core.demo.activity import Floor, row_id, write_activity
from core.demo.book import DemoDebtor, PhonePool, make_debtor
from core.demo.history import DemoHistory, payment_history
from core.demo.reset import remove_demo
from core.models import (
    Account,
    Address,
    Callback,
    Campaign,
    CampaignAgent,
    Client,
    ContactAttempt,
    Debtor,
    DispositionCode,
    Email,
    Payment,
    PaymentPlan,
    Phone,
    PlanInstallment,
    Portfolio,
    PromiseToPay,
    Role,
    Team,
    User,
)
from core.passwords import hash_password
from core.segments import segment_account

ACTOR = "demo seed"
DEFAULT_DEBTORS = 5_000
COUNTED = (Debtor, Account, Phone, Email, Payment, PromiseToPay, PaymentPlan, PlanInstallment,
           ContactAttempt, Callback, User)  # fmt: skip


class DemoExistsError(RuntimeError):
    """Demo data is already there; seeding again would duplicate it."""


@dataclass
class DemoSeeded:
    """What was created, and the logins (shown once by the CLI)."""

    seed: int
    logins: dict[str, tuple[str, str]] = field(default_factory=dict)  # username: (role, password)
    counts: dict[str, int] = field(default_factory=dict)


def demo_present(session: Session) -> bool:
    """True when a demo client is already in the database."""
    codes = [c.code for c in catalog.CLIENTS]
    return session.exec(select(Client).where(col(Client.code).in_(codes))).first() is not None


def _users(seed: int, clients: dict[str, Client], team: Team, result: DemoSeeded) -> list[User]:
    users = []
    for spec in catalog.USERS:
        password = catalog.demo_password(seed, spec.username)
        result.logins[spec.username] = (spec.role.value, password)
        viewer_of = clients[spec.client_code] if spec.client_code else None
        users.append(User(
            username=spec.username, full_name=spec.full_name, role=spec.role.value,
            password_hash=hash_password(password), extension=spec.extension,
            client_id=row_id(viewer_of) if viewer_of else None,
            team_id=team.id if spec.role in (Role.AGENT, Role.TEAM_LEAD) else None,
            updated_by=ACTOR,
        ))  # fmt: skip
    return users


def _clients_and_floor(
    session: Session, seed: int, result: DemoSeeded
) -> tuple[dict[str, Client], dict[str, Portfolio], Floor]:
    """Clients, portfolios, codes, the team, its users and one campaign per portfolio."""
    clients = {
        c.code: Client(code=c.code, name=c.name, business_name=c.business_name,
                       callback_number=c.callback_number, message_contact=c.contact,
                       updated_by=ACTOR)
        for c in catalog.CLIENTS
    }  # fmt: skip
    team = Team(name=catalog.TEAM_NAME, updated_by=ACTOR)
    session.add_all([*clients.values(), team])
    session.flush()
    portfolios = {
        p.name: Portfolio(client_id=row_id(clients[p.client_code]), name=p.name,
                          settlement_min_pct=p.settlement_min_pct, updated_by=ACTOR)
        for p in catalog.PORTFOLIOS
    }  # fmt: skip
    users = _users(seed, clients, team, result)
    codes = [
        DispositionCode(client_id=row_id(client), code=code, label=label,
                        category=category.value, requires=list(needs), updated_by=ACTOR)
        for client in clients.values()
        for code, label, category, needs in catalog.DISPOSITIONS
    ]  # fmt: skip
    session.add_all([*portfolios.values(), *users, *codes])
    session.flush()
    floor = Floor(
        codes={(c.client_id, c.code): row_id(c) for c in codes},
        agents=[row_id(u) for u in users if u.role == Role.AGENT.value],
    )
    for book in catalog.PORTFOLIOS:
        portfolio, client = portfolios[book.name], clients[book.client_code]
        challenger, share = book.challenger or ("", 0)
        campaign = Campaign(
            client_id=row_id(client), name=f"{book.name} ({book.dial_mode})",
            dial_mode=book.dial_mode, portfolio_ids=[row_id(portfolio)],
            caller_id=client.callback_number, script_name=book.script,
            challenger_script=challenger, challenger_share=share, updated_by=ACTOR,
        )  # fmt: skip
        session.add(campaign)
        session.flush()
        floor.campaigns[row_id(portfolio)] = row_id(campaign)
        floor.scripts[row_id(portfolio)] = book.script
        if challenger:
            floor.challengers[row_id(portfolio)] = (challenger, share)
        session.add_all(
            [CampaignAgent(campaign_id=row_id(campaign), user_id=agent, updated_by=ACTOR)
             for agent in floor.agents]
        )  # fmt: skip
    return clients, portfolios, floor


def seed_demo(
    session: Session, seed: int, today: date, debtors: int = DEFAULT_DEBTORS, reset: bool = False
) -> DemoSeeded:
    """Write the demo: 2 clients, 3 portfolios, `debtors` debtors with histories, the floor."""
    if demo_present(session):
        if not reset:
            raise DemoExistsError(
                "demo data is already in this database; run `concord demo seed --reset` to "
                "replace it"
            )
        remove_demo(session)
    rng = random.Random(seed)
    result = DemoSeeded(seed)
    clients, portfolios, floor = _clients_and_floor(session, seed, result)
    pool = PhonePool(rng)
    number = 0
    for book in catalog.PORTFOLIOS:
        people = []
        for _ in range(round(debtors * book.share)):
            number += 1
            people.append(make_debtor(rng, pool, book, number, today))
        client, portfolio = clients[book.client_code], portfolios[book.name]
        _write_portfolio(session, rng, today, book, client, portfolio, people, floor)
    for model in COUNTED:
        result.counts[model.__name__] = session.exec(select(func.count()).select_from(model)).one()
    return result


def _notice_day(delinquent: date, today: date) -> date:
    """The demo's validation notices went out at placement, before any of its calls (the
    activity reaches back at most 90 days, and never before the delinquency)."""
    return max(delinquent, today - timedelta(days=95))


def _write_portfolio(
    session: Session,
    rng: random.Random,
    today: date,
    book: catalog.DemoPortfolio,
    client: Client,
    portfolio: Portfolio,
    people: list[DemoDebtor],
    floor: Floor,
) -> None:
    """Debtors, their contact points and accounts (segmented), then the floor's activity."""
    client_id, portfolio_id = row_id(client), row_id(portfolio)
    debtor_rows = [
        Debtor(client_id=client_id, first_name=p.first_name, last_name=p.last_name,
               date_of_birth=p.date_of_birth, preferred_language=p.language, dnc=p.dnc,
               inconvenient_times=p.inconvenient_times, updated_by=ACTOR)
        for p in people
    ]  # fmt: skip
    session.add_all(debtor_rows)
    session.flush()
    histories: list[DemoHistory] = []
    accounts: list[Account] = []
    for person, debtor in zip(people, debtor_rows, strict=True):
        debtor_id = row_id(debtor)
        session.add(Address(debtor_id=debtor_id, line1=person.line1, city=person.place.city,
                            state=person.place.state, postal_code=person.postal_code,
                            updated_by=ACTOR))  # fmt: skip
        session.add_all(
            [Phone(debtor_id=debtor_id, position=i, number=ph.number, type=ph.type,
                   consent=ph.consent, updated_by=ACTOR)
             for i, ph in enumerate(person.phones)]
        )  # fmt: skip
        if person.email:
            session.add(Email(debtor_id=debtor_id, address=person.email, updated_by=ACTOR))
        owed = person.principal_minor + person.interest_minor + person.fees_minor
        history = payment_history(rng, owed, person.delinquency_date, today, book.paying_share,
                                  book.settlement_min_pct)  # fmt: skip
        paid = history.for_segment()
        segment = segment_account(history.balance_minor, person.delinquency_date, paid,
                                  person.flags, today)  # fmt: skip
        histories.append(history)
        accounts.append(Account(
            client_id=client_id, portfolio_id=portfolio_id, debtor_id=debtor_id,
            client_account_number=person.account_number, original_creditor=book.creditor,
            principal_minor=person.principal_minor, interest_minor=person.interest_minor,
            fees_minor=person.fees_minor, balance_minor=history.balance_minor,
            placed_balance_minor=owed, delinquency_date=person.delinquency_date,
            charge_off_date=person.charge_off_date, last_payment_date=paid.last_payment_date,
            status="paid" if history.balance_minor == 0 else "open", flags=person.flags,
            segment=segment.label, segment_score=segment.score, updated_by=ACTOR,
            validation_notice_on=_notice_day(person.delinquency_date, today),
        ))  # fmt: skip
    session.add_all(accounts)
    session.flush()
    write_activity(session, rng, today, client_id, floor, portfolio_id, people, accounts, histories)
