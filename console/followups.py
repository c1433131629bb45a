"""The outreach entry point as the console calls it: follow-ups written in the disposition's
transaction, their RQ jobs enqueued by outreach once that transaction commits."""

from __future__ import annotations

from datetime import datetime

import redis
from rq import Queue
from sqlalchemy.engine import Engine
from sqlmodel import Session

from console.services.disposition import Followups
from outreach.config import OutreachSettings
from outreach.followups import enqueue_followups
from outreach.jobs import outreach_queue
from outreach.payments import StandinPaymentProvider
from outreach.payments_http import OutreachContext


def outreach_followups(connection: redis.Redis[bytes]) -> Followups:
    config = OutreachSettings()
    queue = Queue(config.queue_name, connection=connection)

    def enqueue(db: Session, attempt_id: int, now: datetime) -> object:
        return enqueue_followups(db, attempt_id, queue=queue, now=now, config=config)

    return enqueue


def payment_context(
    engine: Engine, connection: redis.Redis[bytes], secret_key: str, agency_name: str
) -> OutreachContext:
    """What the payment page and opt-out routes need; receipts go out through the same queue."""
    config = OutreachSettings()
    return OutreachContext(
        engine=engine,
        secret_key=secret_key,
        provider=StandinPaymentProvider(),
        queue=outreach_queue(connection, config),
        agency_name=agency_name,
        config=config,
    )
