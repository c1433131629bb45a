"""RQ side of outreach: deterministic job ids, enqueue after commit, the sweep, the failed list.

Job ids are `outreach-<message key>-<deferrals>`: the same message at the same deferral always
maps to the same job, so enqueueing twice overwrites instead of doubling. Jobs are enqueued only
after the caller's transaction commits (a job must never find its row missing); if Redis is down
at that moment, the sweep finds the row later and enqueues it then.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry
from sqlalchemy import event
from sqlmodel import Session, col, or_, select

from outreach.config import OutreachSettings
from outreach.models import MessageStatus, OutreachMessage

log = logging.getLogger(__name__)
DELIVER = "outreach.jobs.deliver_job"
SWEEP = "outreach.jobs.sweep_job"
_LIVE = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.STARTED, JobStatus.DEFERRED}
_PENDING_KEY = "outreach_pending_jobs"
_HOOKED_KEY = "outreach_enqueue_hooked"


@dataclass(frozen=True)
class PendingJob:
    key: str
    due_at: datetime | None  # None: due now (by the caller's clock)
    deferrals: int
    suffix: str = ""

    @property
    def job_id(self) -> str:
        return job_id(self.key, self.deferrals) + self.suffix


def job_id(key: str, deferrals: int) -> str:
    """RQ allows letters, digits, `_` and `-` in ids; message keys use `:`, so it becomes `-`."""
    return f"outreach-{key.replace(':', '-')}-{deferrals}"


def enqueue(queue: Queue, config: OutreachSettings, pending: PendingJob, now: datetime) -> Job:
    """Put the send job on the queue now, or in the scheduled registry for its due time."""
    options: dict[str, Any] = {
        "job_id": pending.job_id,
        "retry": Retry(max=len(config.retry_intervals), interval=list(config.retry_intervals)),
        "job_timeout": config.lease_seconds,
        "result_ttl": 24 * 3600,
        "failure_ttl": 30 * 24 * 3600,
        "description": f"send {pending.key}",
    }
    if pending.due_at is not None and pending.due_at > now:
        job: Job = queue.enqueue_at(pending.due_at.astimezone(UTC), DELIVER, pending.key, **options)
    else:
        job = queue.enqueue(DELIVER, pending.key, **options)
    return job


def enqueue_after_commit(
    session: Session, queue: Queue, config: OutreachSettings, jobs: list[PendingJob]
) -> None:
    """Enqueue `jobs` once the session's transaction commits; forget them if it rolls back."""
    session.info.setdefault(_PENDING_KEY, []).extend(jobs)
    if session.info.get(_HOOKED_KEY):
        return
    session.info[_HOOKED_KEY] = True

    def flush(committed: Session) -> None:
        now = datetime.now(UTC)
        for item in committed.info.pop(_PENDING_KEY, []):
            try:
                enqueue(queue, config, item, now)
            except (RedisError, ValueError):
                log.exception("enqueue of %s failed; the sweep will pick it up", item.key)

    def discard(rolled_back: Session) -> None:
        rolled_back.info.pop(_PENDING_KEY, None)

    event.listen(session, "after_commit", flush)
    event.listen(session, "after_rollback", discard)


def _is_live(queue: Queue, job_id: str) -> bool:
    try:
        status = Job.fetch(job_id, connection=queue.connection).get_status()
    except NoSuchJobError:
        return False
    return status in _LIVE


def sweep(session: Session, queue: Queue, config: OutreachSettings, now: datetime) -> list[str]:
    """Re-enqueue messages whose job was lost: due and unsent past `stale_after_seconds` with no
    live job, or claimed by a worker whose lease ran out (it died mid-send). Returns their keys."""
    stale = now - timedelta(seconds=config.stale_after_seconds)
    waiting = [MessageStatus.SCHEDULED.value, MessageStatus.DEFERRED.value]
    candidates = session.exec(
        select(OutreachMessage).where(
            or_(
                col(OutreachMessage.status).in_(waiting) & (col(OutreachMessage.due_at) <= stale),
                (col(OutreachMessage.status) == MessageStatus.SENDING.value)
                & (col(OutreachMessage.lease_until) < now),
            )
        )
    ).all()
    revived = []
    for message in candidates:
        original = job_id(message.key, message.deferrals)
        recovery = PendingJob(message.key, None, message.deferrals, f"-s{message.attempts}")
        # A `sending` row past its lease was claimed by a worker now dead; its RQ job may still
        # read "started" (nobody marked it otherwise), so only a live recovery job counts there.
        waiting_on_original = message.status != MessageStatus.SENDING and _is_live(queue, original)
        if waiting_on_original or _is_live(queue, recovery.job_id):
            continue
        enqueue(queue, config, recovery, now)
        revived.append(message.key)
    return revived


@dataclass(frozen=True)
class FailedSend:
    """A send job that used up its retries, as the admin screen lists it."""

    job_id: str
    message_key: str
    error: str
    traceback: str
    failed_at: datetime | None


def failed_sends(queue: Queue, limit: int = 100) -> list[FailedSend]:
    """Jobs in RQ's failed registry for the outreach queue, newest first, with their error."""
    registry = FailedJobRegistry(queue=queue)
    found = []
    for job in Job.fetch_many(registry.get_job_ids(0, limit - 1), connection=queue.connection):
        if job is None:
            continue
        result = job.latest_result()
        trace = ((result.exc_string if result else None) or "").strip()
        last_line = trace.splitlines()[-1] if trace else "(no error recorded)"
        key = str(job.args[0]) if job.args else ""
        found.append(FailedSend(job.id, key, last_line, trace, job.ended_at))
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(found, key=lambda f: _aware(f.failed_at) or oldest, reverse=True)


def _aware(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def retry_failed(queue: Queue, failed_job_id: str) -> None:
    """Put a failed send back on the queue (the admin's retry button)."""
    FailedJobRegistry(queue=queue).requeue(failed_job_id)
