"""RQ job entry points and the per-process object graph the worker builds on its first job.

Jobs take only a message key: everything else (engine, gateways, queue) is built once per
worker process from settings, never at import time, so `concord worker` and a test's inline
worker configure the same code the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from redis import Redis
from rq import Queue
from sqlalchemy.engine import Engine

from core.db import make_engine, session_scope
from core.settings import Settings, get_settings
from outreach import optout_confirm, queueing
from outreach.config import OutreachSettings
from outreach.content import Content
from outreach.delivery import Outbound, deliver
from outreach.mail import SmtpMailer
from outreach.render import Renderer
from outreach.sms import HttpSmsGateway

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What a worker process holds: the queue, the engine and the delivery gateways."""

    queue: Queue
    outbound: Outbound
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    @property
    def config(self) -> OutreachSettings:
        return self.outbound.config

    @property
    def engine(self) -> Engine:
        return self.outbound.engine


def outreach_queue(redis: Redis[bytes], config: OutreachSettings) -> Queue:
    """The outreach queue on `redis` (the console uses this to enqueue follow-ups)."""
    return Queue(config.queue_name, connection=redis)


def build_runtime(
    settings: Settings | None = None,
    config: OutreachSettings | None = None,
    engine: Engine | None = None,
) -> Runtime:
    """Wire the worker's objects from settings."""
    settings = settings or get_settings()
    config = config or OutreachSettings()
    queue = outreach_queue(Redis.from_url(settings.redis_url), config)
    engine = engine or make_engine(settings.database_url)

    def reschedule(key: str, due_at: datetime, deferrals: int) -> None:
        pending = queueing.PendingJob(key, due_at, deferrals)
        queueing.enqueue(queue, config, pending, datetime.now(UTC))

    outbound = Outbound(
        engine=engine,
        sms=HttpSmsGateway(
            settings.sms_provider_url,
            settings.sms_provider_token,
            settings.sms_from,
            httpx.Client(timeout=config.sms_timeout_seconds),
        ),
        mail=SmtpMailer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.mail_from,
            starttls=settings.smtp_starttls,
            user=settings.smtp_user,
            password=settings.smtp_password,
            timeout=config.smtp_timeout_seconds,
            reply_to=settings.mail_reply_to,
        ),
        renderer=Renderer(custom=config.templates_dir),
        content=Content(
            settings.secret_key,
            settings.public_base_url,
            config.link_days_after_due,
            settings.agency_name,
        ),
        config=config,
        status_callback_url=(
            f"{settings.public_base_url.rstrip('/')}/webhooks/sms/status"
            f"?token={config.sms_webhook_token}"
        ),
        reschedule=reschedule,
    )
    return Runtime(queue=queue, outbound=outbound)


_runtime: Runtime | None = None


def use_runtime(runtime: Runtime | None) -> None:
    """Install the runtime jobs in this process use (None: build from settings on next job)."""
    global _runtime
    _runtime = runtime


def current_runtime() -> Runtime:
    global _runtime
    if _runtime is None:
        _runtime = build_runtime()
    return _runtime


def deliver_job(key: str) -> str:
    """RQ job: send one message. Provider errors raise, so RQ retries with backoff."""
    runtime = current_runtime()
    outcome = deliver(runtime.outbound, key, runtime.clock())
    log.info("outreach %s: %s", key, outcome)
    return outcome


def confirm_opt_out_job(text_id: int, debtor_ids: list[int]) -> str:
    """RQ job: the one text answering a STOP (outreach.optout_confirm). Provider errors raise,
    so RQ retries; a retry past five minutes sends nothing."""
    runtime = current_runtime()
    out = runtime.outbound
    with session_scope(runtime.engine) as session:
        outcome = optout_confirm.confirm(
            session, out.sms, text_id, debtor_ids, runtime.clock(), out.status_callback_url,
            out.content.agency_name,
        )  # fmt: skip
    log.info("outreach opt-out confirmation for text %s: %s", text_id, outcome)
    return outcome


def sweep_once(runtime: Runtime, now: datetime) -> list[str]:
    with session_scope(runtime.engine) as session:
        return queueing.sweep(session, runtime.queue, runtime.config, now)


def sweep_job() -> int:
    """RQ job: revive lost messages, then schedule the next sweep (one job id per time slot,
    so any number of workers keep exactly one sweep chain going)."""
    runtime = current_runtime()
    now = runtime.clock()
    revived = sweep_once(runtime, now)
    schedule_sweep(runtime, now)
    return len(revived)


def schedule_sweep(runtime: Runtime, now: datetime) -> None:
    interval = runtime.config.sweep_interval_seconds
    slot = int(now.timestamp()) // interval + 1
    at = datetime.fromtimestamp(slot * interval, UTC)
    runtime.queue.enqueue_at(
        at,
        queueing.SWEEP,
        job_id=f"outreach-sweep-{slot}",
        result_ttl=interval * 2,
        description="outreach sweep",
    )
