"""Message rows: write planned messages idempotently, claim one for sending, record each step.

Nothing here commits: the caller owns the transaction (a disposition and its messages commit
together). The claim is a compare-and-set UPDATE, so the database, not Redis, decides which
worker may send a message; a Redis restart or a duplicated job cannot change that.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from core.models import utcnow
from outreach.models import CLAIMABLE, MessageEvent, MessageStatus, OutreachMessage


def insert_new(session: Session, rows: Iterable[dict[str, Any]]) -> list[OutreachMessage]:
    """Insert message rows whose key is new; keys already stored are left as they are.

    ON CONFLICT DO NOTHING keeps a concurrent duplicate (two saves of one disposition) from
    failing the caller's transaction. Returns the rows this call created.
    """
    rows = list(rows)
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    values = [{"created_at": now, "updated_at": now, "updated_by": "outreach", **r} for r in rows]
    statement = (
        insert(OutreachMessage).values(values).on_conflict_do_nothing(index_elements=["key"])
    )
    created_keys = set(
        session.execute(statement.returning(OutreachMessage.__table__.c.key)).scalars()  # type: ignore[attr-defined]
    )
    created = list(
        session.exec(select(OutreachMessage).where(col(OutreachMessage.key).in_(created_keys)))
    )
    for message in created:
        add_event(session, message, MessageStatus.SCHEDULED, f"due {message.due_at.isoformat()}")
    return created


def add_event(session: Session, message: OutreachMessage, status: str, detail: str = "") -> None:
    """Append one step to the message's status history."""
    assert message.id is not None
    session.add(MessageEvent(message_id=message.id, status=status, at=utcnow(), detail=detail))


def by_key(session: Session, key: str) -> OutreachMessage | None:
    return session.exec(select(OutreachMessage).where(OutreachMessage.key == key)).first()


def claim(session: Session, key: str, now: datetime, lease_seconds: int) -> bool:
    """Take the message for sending until now + lease; False when another worker holds it or
    it is already final. A `sending` claim whose lease ran out is presumed dead and taken over."""
    table = OutreachMessage.__table__  # type: ignore[attr-defined]
    result = session.execute(
        update(table)
        .where(
            table.c.key == key,
            or_(
                table.c.status.in_([s.value for s in CLAIMABLE]),
                (table.c.status == MessageStatus.SENDING.value) & (table.c.lease_until < now),
            ),
        )
        .values(
            status=MessageStatus.SENDING.value,
            lease_until=now + timedelta(seconds=lease_seconds),
            attempts=table.c.attempts + 1,
            updated_at=now,
        )
    )
    claimed: bool = result.rowcount == 1  # type: ignore[attr-defined]
    return claimed


def set_status(
    session: Session,
    message: OutreachMessage,
    status: MessageStatus,
    detail: str = "",
    **changes: Any,
) -> None:
    """Move the message to `status` (with column changes) and record the step."""
    for name, value in changes.items():
        setattr(message, name, value)
    message.status = status.value
    message.updated_at = utcnow()
    session.add(message)
    session.flush()
    add_event(session, message, status, detail)


def history(session: Session, message_id: int) -> list[MessageEvent]:
    """The status history of one message, oldest first (for the console's message view)."""
    return list(
        session.exec(
            select(MessageEvent)
            .where(MessageEvent.message_id == message_id)
            .order_by(col(MessageEvent.at), col(MessageEvent.id))
        )
    )
