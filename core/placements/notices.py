"""What an import stores as sent but tells the admin about: figures and numbers to ask the
client about, found once the rows are checked or written."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from core.models import Debtor, Phone
from core.placements.bulk import table_of
from core.placements.rows import Placement


def unexplained_balances(placements: list[Placement]) -> list[tuple[int, int, int, str]]:
    """Rows that give principal, interest or fees and a balance above their sum, as (line,
    balance, sum, currency). A balance below the parts is what the client has been paid; one
    above them is money the file does not account for, and quoting it could be collecting an
    amount the agreement does not allow (1692f(1)). Stored as sent, and said."""
    found = []
    for row in placements:
        parts = row.principal_minor + row.interest_minor + row.fees_minor
        if parts and row.balance_minor > parts:
            found.append((row.line, row.balance_minor, parts, row.currency))
    return found


def shared_numbers(
    conn: Connection, client_id: int, placements: list[Placement]
) -> list[tuple[int, str]]:
    """The file's phone numbers that two or more of the client's people have on file, as
    (first line, number) in line order. A household's landline or a number passed on to a
    relative reaches a third party, who may not hear about the debt (FDCPA 1692c(b)); the
    import stores them as sent (the agent's verification is the safeguard) and says so, so the
    client can be asked which person the number is."""
    lines: dict[str, int] = {}
    for p in placements:
        if p.phone is not None:
            lines.setdefault(p.phone, p.line)
    if not lines:
        return []
    phone, debtor = table_of(Phone), table_of(Debtor)
    shared = conn.execute(
        select(phone.c.number)
        .join(debtor, debtor.c.id == phone.c.debtor_id)
        .where(debtor.c.client_id == client_id, phone.c.wrong_number_at.is_(None))
        .group_by(phone.c.number)
        .having(func.count(func.distinct(phone.c.debtor_id)) > 1)
    ).scalars()
    return sorted((lines[number], number) for number in shared if number in lines)
