"""The agent's account search: by account number, name or phone, within their campaigns.

Used to preview an account, and on a call in from a number on file for nobody to find who is
calling. So it says how many matched beyond the rows shown, and where each debtor lives: a
caller in row 37, or one of two identical "Connor Wright" rows, was missed or mistaken.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, and_, col, func, or_, select

from core.models import Account, Address, Debtor, Phone

SEARCH_LIMIT = 20
PHONE_LIKE = re.compile(r"^[\d\s()+.-]*\d[\d\s()+.-]*$")


@dataclass(frozen=True)
class Found:
    term: str
    rows: list[tuple[Account, Debtor]] = field(default_factory=list)
    total: int = 0  # every match, of which `rows` are the first SEARCH_LIMIT
    places: dict[int, str] = field(default_factory=dict)  # debtor id: "City, ST"


def search(db: Session, portfolios: Iterable[int], q: str) -> Found:
    """Accounts of `portfolios` matching `q` (account number, first or last name, "First
    Last", a phone number however written, or the account id), first SEARCH_LIMIT by id."""
    term = q.strip()
    portfolio_ids = list(portfolios)
    if not term or not portfolio_ids:
        return Found(term)
    like = f"%{term}%"
    words = term.split()
    # A number read out or copied as "(212) 555-0111" is stored as +12125550111.
    digits = re.sub(r"\D", "", term) if PHONE_LIKE.match(term) else term
    # The agent's portfolios are in the query, before the limit: cut across every client
    # first, other clients' matches used up the rows and the agent's own were not found.
    # Ids first: DISTINCT over whole rows fails on PostgreSQL's json columns.
    matching = (
        select(Account.id)
        .join(Debtor, col(Debtor.id) == col(Account.debtor_id))
        .outerjoin(Phone, col(Phone.debtor_id) == col(Debtor.id))
        .where(
            col(Account.portfolio_id).in_(portfolio_ids),
            or_(
                col(Account.client_account_number).ilike(like),
                col(Debtor.last_name).ilike(like),
                col(Debtor.first_name).ilike(like),
                # "Sandra Wright", as a caller gives their name: first and last
                and_(
                    col(Debtor.first_name).ilike(f"%{words[0]}%"),
                    col(Debtor.last_name).ilike(f"%{words[-1]}%"),
                ),
                col(Phone.number).ilike(f"%{digits}%"),
                col(Account.id) == (int(term) if term.isdigit() else -1),
            ),
        )
    )
    rows = list(
        db.exec(
            select(Account, Debtor)
            .join(Debtor, col(Debtor.id) == col(Account.debtor_id))
            .where(col(Account.id).in_(matching))
            .order_by(col(Account.id))
            .limit(SEARCH_LIMIT)
        ).all()
    )
    total = db.exec(select(func.count(col(Account.id))).where(col(Account.id).in_(matching))).one()
    return Found(term, rows, total, home_places(db, [debtor.id or 0 for _, debtor in rows]))


def home_places(db: Session, debtor_ids: list[int]) -> dict[int, str]:
    """Each debtor's first address as "City, ST" (its postal code when those are empty): what
    tells look-alike names apart before any identity check (no date of birth on screen)."""
    places: dict[int, str] = {}
    query = select(Address).where(col(Address.debtor_id).in_(debtor_ids))
    for address in db.exec(query.order_by(col(Address.position))).all():
        where = ", ".join(part for part in (address.city, address.state) if part)
        places.setdefault(address.debtor_id, where or address.postal_code)
    return places
