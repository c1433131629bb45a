"""Real services for outreach tests: an aiosmtpd server, the stand-in SMS provider in its own
process, and a worker runtime wired to them and to the test database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from outreach_support import REPO, SmsStandin, SmtpSink, _Sink
from sqlalchemy.engine import Engine

from core.localservices import free_port, wait_for_port
from core.settings import Settings
from outreach.config import OutreachSettings
from outreach.jobs import Runtime, build_runtime, use_runtime


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    handler = _Sink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield SmtpSink(port, handler)
    controller.stop()


@pytest.fixture
def sms_standin(sms_standin_process: SmsStandin) -> SmsStandin:
    """The session's stand-in, emptied for this test."""
    sms_standin_process.control(reset=True)
    return sms_standin_process


@pytest.fixture(scope="session")
def sms_standin_process() -> Iterator[SmsStandin]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "outreach.sms_standin", "--port", str(port)], cwd=REPO
    )
    try:
        wait_for_port(port, timeout=20)
        yield SmsStandin(f"http://127.0.0.1:{port}", process)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:  # a held request keeps uvicorn's graceful shutdown
            process.kill()
            process.wait(5)


@pytest.fixture
def settings_for(
    redis_url: str, db_url: str, smtp_sink: SmtpSink, sms_standin: SmsStandin
) -> Settings:
    return Settings(
        environment="test",
        database_url=db_url,
        redis_url=redis_url,
        smtp_port=smtp_sink.port,
        sms_provider_url=sms_standin.url,
        public_base_url="https://pay.example.test",
        secret_key="test-secret",
    )


@pytest.fixture
def outreach_config() -> OutreachSettings:
    return OutreachSettings(retry_intervals=(0, 0, 0), lease_seconds=30)


@pytest.fixture
def runtime(
    settings_for: Settings, outreach_config: OutreachSettings, db_engine: Engine
) -> Iterator[Runtime]:
    """The worker's object graph in this process, for SimpleWorker(...).work(burst=True)."""
    built = build_runtime(settings_for, outreach_config, engine=db_engine)
    use_runtime(built)
    yield built
    use_runtime(None)
    built.queue.connection.close()
