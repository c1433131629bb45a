"""The outreach entry point as the console calls it: follow-ups written in the disposition's
transaction, their RQ jobs enqueued by outreach once that transaction commits."""

from __future__ import annotations

from datetime import datetime

import redis
from rq import Queue
from sqlmodel import Session

from console.services.disposition import Followups
from outreach.config import OutreachSettings
from outreach.followups import enqueue_followups


def outreach_followups(connection: redis.Redis[bytes]) -> Followups:
    config = OutreachSettings()
    queue = Queue(config.queue_name, connection=connection)

    def enqueue(db: Session, attempt_id: int, now: datetime) -> object:
        return enqueue_followups(db, attempt_id, queue=queue, now=now, config=config)

    return enqueue
