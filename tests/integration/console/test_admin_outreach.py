"""The admin's failed follow-ups page over real HTTP, with a send that really failed on a real
Redis: the SMS provider is unreachable, RQ retries, and the job lands in the failed registry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from argon2 import PasswordHasher
from console_floor import NOW, PASSWORD, Floor, csrf_of, login, pk
from redis import Redis
from rq import SimpleWorker
from rq.job import Job, JobStatus
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.localservices import free_port
from core.models import ContactAttempt, DispositionCode, Portfolio, PromiseToPay, Role, User
from core.settings import Settings
from outreach.config import OutreachSettings
from outreach.followups import enqueue_followups
from outreach.jobs import build_runtime, outreach_queue, use_runtime
from outreach.models import Trigger
from outreach.queueing import failed_sends

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(db_engine: Engine, floor_data: Floor) -> str:
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with Session(db_engine) as db:
        db.add(User(username="ada", password_hash=hasher.hash(PASSWORD), role=Role.ADMIN.value))
        db.commit()
    return "ada"


@pytest.fixture
def failed_sms(
    db_engine: Engine, floor_data: Floor, app_settings: Settings, redis_url: str
) -> Iterator[str]:
    """A promise-to-pay SMS whose provider refuses connections: one try, one retry, failed."""
    config = OutreachSettings(retry_intervals=(0,), lease_seconds=30)
    with Session(db_engine) as db:
        portfolio = db.exec(
            select(Portfolio).where(Portfolio.client_id == floor_data.client_a.id)
        ).one()
        # Only the confirmation, so exactly one send fails (reminders are off).
        triggers = {t.value: [] for t in Trigger} | {"promise_confirmation": ["sms"]}
        portfolio.followup_templates = {"triggers": triggers}
        ptp = db.exec(
            select(DispositionCode).where(
                DispositionCode.client_id == floor_data.client_a.id, DispositionCode.code == "PTP"
            )
        ).one()
        attempt = ContactAttempt(
            account_id=pk(floor_data.account),
            debtor_id=pk(floor_data.debtor),
            channel="call",
            started_at=NOW - timedelta(minutes=5),
            outcome="conversation",
            disposition_code_id=ptp.id,
        )
        db.add_all([portfolio, attempt])
        db.flush()
        db.add(
            PromiseToPay(
                account_id=pk(floor_data.account),
                amount_minor=15_000,
                due_date=(NOW + timedelta(days=10)).date(),
                contact_attempt_id=attempt.id,
            )
        )
        db.flush()
        queue = outreach_queue(Redis.from_url(redis_url), config)
        messages = enqueue_followups(db, pk(attempt), queue=queue, now=NOW, config=config)
        db.commit()
        assert [m.channel for m in messages] == ["sms"]
    unreachable = app_settings.model_copy(
        update={"sms_provider_url": f"http://127.0.0.1:{free_port()}"}
    )
    runtime = build_runtime(unreachable, config, engine=db_engine)
    runtime.clock = lambda: NOW
    use_runtime(runtime)
    try:
        SimpleWorker([runtime.queue], connection=runtime.queue.connection).work(
            burst=True, with_scheduler=True
        )
        failed = failed_sends(runtime.queue)
        assert len(failed) == 1, failed
        yield failed[0].job_id
    finally:
        use_runtime(None)
        runtime.queue.connection.close()
        queue.connection.close()


def test_admin_sees_a_send_that_used_up_its_retries_with_its_error(
    client: httpx.Client, admin: str, failed_sms: str
) -> None:
    login(client, admin)
    page = client.get("/admin/outreach")
    assert page.status_code == 200
    assert f'data-job="{failed_sms}"' in page.text
    assert "ConnectError" in page.text  # the provider could not be reached
    assert "<details><summary>Traceback</summary><pre>Traceback" in page.text


def test_retry_puts_the_failed_send_back_on_the_queue(
    client: httpx.Client, admin: str, failed_sms: str, redis_url: str
) -> None:
    login(client, admin)
    token = csrf_of(client.get("/admin/outreach").text)
    retried = client.post(
        "/admin/outreach/retry",
        data={"job_id": failed_sms, "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert retried.status_code == 200
    assert f"{failed_sms} is back on the queue." in retried.text
    assert "No failed follow-ups" in retried.text
    assert "<html" not in retried.text  # only the list block, for the htmx swap
    with Redis.from_url(redis_url) as connection:
        assert Job.fetch(failed_sms, connection=connection).get_status() == JobStatus.QUEUED
        assert failed_sms.encode() in connection.lrange("rq:queue:outreach", 0, -1)


def test_retrying_a_send_twice_says_it_is_no_longer_failed(
    client: httpx.Client, admin: str, failed_sms: str
) -> None:
    login(client, admin)
    token = csrf_of(client.get("/admin/outreach").text)
    form = {"job_id": failed_sms, "csrf_token": token}
    client.post("/admin/outreach/retry", data=form)
    again = client.post("/admin/outreach/retry", data=form)
    assert again.status_code == 200
    assert "is no longer in the failed list" in again.text


def test_retry_without_csrf_token_is_refused(
    client: httpx.Client, admin: str, failed_sms: str
) -> None:
    login(client, admin)
    response = client.post("/admin/outreach/retry", data={"job_id": failed_sms})
    assert response.status_code == 403
    assert f'data-job="{failed_sms}"' in client.get("/admin/outreach").text


def test_empty_failed_list_says_so(client: httpx.Client, admin: str) -> None:
    login(client, admin)
    page = client.get("/admin/outreach")
    assert page.status_code == 200
    assert 'id="no-failed"' in page.text


def test_admin_landing_links_the_failed_list_and_a_lead_does_not_see_it(
    client: httpx.Client, admin: str
) -> None:
    login(client, admin)
    assert 'href="/admin/outreach"' in client.get("/lead").text
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/lead").text)})
    login(client, "lee")
    assert 'href="/admin/outreach"' not in client.get("/lead").text


@pytest.mark.parametrize("username", ["ana", "lee", "quinn", "harbor_view"])
def test_other_roles_are_refused_the_failed_list_and_its_retry(
    client: httpx.Client, floor_data: Floor, username: str
) -> None:
    token = login(client, username)
    assert client.get("/admin/outreach").status_code == 403
    refused = client.post("/admin/outreach/retry", data={"job_id": "x", "csrf_token": token})
    assert refused.status_code == 403
