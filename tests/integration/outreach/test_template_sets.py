"""A client's own message wording: a template set in the agency's folder, named by the
portfolio, sent by the real worker; and the fields the template check assumes are the ones the
worker gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from outreach_support import (
    SmsStandin,
    SmtpSink,
    at_clock,
    ny,
    promise_attempt,
    run_worker,
    seed_account,
)
from sqlmodel import Session, select

from outreach.config import OutreachSettings
from outreach.followups import enqueue_followups
from outreach.jobs import Runtime
from outreach.models import OutreachMessage, Trigger
from outreach.template_check import sample_context

pytestmark = [pytest.mark.integration, pytest.mark.db]
AFTERNOON = ny(2027, 3, 9, 14, 0)


@pytest.fixture
def outreach_config(tmp_path: Path) -> OutreachSettings:
    """The worker with the agency's own folder holding the set "harbor" (one SMS of its own;
    everything else falls back to the built-in default set)."""
    folder = tmp_path / "message-templates" / "harbor" / "en"
    folder.mkdir(parents=True)
    (folder / "promise_confirmation.sms.txt").write_text(
        "Harbor here, {{ first_name }}: {{ amount }} on {{ due_date }}. {{ payment_url }}\n"
    )
    return OutreachSettings(
        retry_intervals=(0, 0, 0), lease_seconds=30, templates_dir=tmp_path / "message-templates"
    )


def test_a_portfolio_naming_its_set_sends_the_clients_wording_on_the_channels_it_chose(
    session: Session, runtime: Runtime, sms_standin: SmsStandin, smtp_sink: SmtpSink
) -> None:
    followups = {
        "template_set": "harbor",
        "triggers": {"promise_confirmation": ["sms"], "promise_reminder": [], "broken_promise": []},
    }
    seeded = seed_account(session, followups=followups)
    attempt, _ = promise_attempt(session, seeded, AFTERNOON, 15_000, date(2027, 3, 19))

    created = enqueue_followups(
        session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=AFTERNOON
    )
    session.commit()
    at_clock(runtime, AFTERNOON)
    run_worker(runtime)

    assert [(m.trigger, m.channel) for m in created] == [("promise_confirmation", "sms")]
    texts = sms_standin.messages()
    assert len(texts) == 1 and smtp_sink.messages == []
    body = texts[0]["body"]
    assert body.startswith("Harbor here, Maria1: $150.00 on March 19, 2027. https://pay.")
    assert body.endswith("Reply STOP to opt out.")  # the footer is the renderer's, not the set's
    session.expire_all()
    stored = session.exec(select(OutreachMessage)).one()
    assert stored.template == "harbor/en/promise_confirmation.sms"


def test_the_template_check_assumes_the_fields_the_worker_gives_a_promise(
    session: Session, runtime: Runtime
) -> None:
    seeded = seed_account(session)
    attempt, _ = promise_attempt(session, seeded, AFTERNOON, 15_000, date(2027, 3, 19))
    created = enqueue_followups(
        session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=AFTERNOON
    )
    session.commit()

    for message in created:
        given = runtime.outbound.content.context(session, message)
        assert set(given) == set(sample_context(Trigger(message.trigger))), message.trigger
