"""Follow-ups end to end on real Redis, SQLite, aiosmtpd and the stand-in SMS server."""

from __future__ import annotations

from datetime import date

import pytest
from outreach_support import (
    Seeded,
    SmsStandin,
    SmtpSink,
    at_clock,
    ny,
    promise_attempt,
    run_worker,
    seed_account,
)
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from sqlmodel import Session, select

from outreach.followups import enqueue_followups
from outreach.jobs import Runtime
from outreach.models import MessageEvent, MessageStatus, OutreachMessage
from outreach.queueing import failed_sends, job_id, retry_failed

pytestmark = [pytest.mark.integration, pytest.mark.db]

# A Tuesday afternoon in New York, in the future so scheduled jobs stay scheduled.
AFTERNOON = ny(2027, 3, 9, 14, 0)


def _messages(session: Session) -> dict[str, OutreachMessage]:
    session.expire_all()
    return {m.key: m for m in session.exec(select(OutreachMessage))}


def test_promise_disposition_sends_one_sms_and_one_email_with_amount_date_and_link(
    session: Session, runtime: Runtime, sms_standin: SmsStandin, smtp_sink: SmtpSink
) -> None:
    seeded = seed_account(session)
    attempt, _promise = promise_attempt(session, seeded, AFTERNOON, 15_000, date(2027, 3, 19))
    created = enqueue_followups(
        session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=AFTERNOON
    )
    session.commit()
    assert {m.trigger for m in created} == {
        "promise_confirmation",
        "promise_reminder",
        "broken_promise",
    }
    at_clock(runtime, AFTERNOON)
    run_worker(runtime)

    texts = sms_standin.messages()
    assert len(texts) == 1
    assert texts[0]["to"] == "+12125550123"
    assert "$150.00" in texts[0]["body"] and "March 19, 2027" in texts[0]["body"]
    assert "https://pay.example.test/pay/" in texts[0]["body"]
    assert texts[0]["body"].endswith("Reply STOP to opt out.")
    mails = smtp_sink.messages
    assert len(mails) == 1
    mail = mails[0]
    assert mail["To"] == "maria1@example.test"
    assert mail["Subject"] == "Your payment arrangement: $150.00 on March 19, 2027"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "$150.00" in text and "https://pay.example.test/pay/" in text
    assert "<strong>$150.00</strong>" in html and "Unsubscribe</a>" in html
    assert mail["List-Unsubscribe"].startswith("<https://pay.example.test/u/")

    rows = _messages(session)
    sent = [m for m in rows.values() if m.status == MessageStatus.SENT]
    assert sorted(m.channel for m in sent) == ["email", "sms"]
    assert all(m.provider_message_id and m.template_version for m in sent)
    sms_row = next(m for m in sent if m.channel == "sms")
    assert sms_row.body_text == texts[0]["body"]
    assert sms_row.template == "default/en/promise_confirmation.sms"
    statuses = [
        e.status
        for e in session.exec(select(MessageEvent).where(MessageEvent.message_id == sms_row.id))
    ]
    assert statuses == ["scheduled", "sent"]
    later = [m for m in rows.values() if m.status == MessageStatus.SCHEDULED]
    assert {m.trigger for m in later} == {"promise_reminder", "broken_promise"}
    reminder = rows[f"a{seeded.account.id}:promise_reminder:p{_promise.id}:sms"]
    assert reminder.due_at == ny(2027, 3, 17, 10, 0)  # two days before, 10:00 local


def test_saving_the_same_disposition_twice_sends_nothing_more(
    session: Session, runtime: Runtime, sms_standin: SmsStandin, smtp_sink: SmtpSink
) -> None:
    seeded = seed_account(session)
    attempt, _ = promise_attempt(session, seeded, AFTERNOON)
    enqueue_followups(
        session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=AFTERNOON
    )
    session.commit()
    at_clock(runtime, AFTERNOON)
    run_worker(runtime)
    again = enqueue_followups(
        session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=AFTERNOON
    )
    session.commit()
    # A duplicated job for an already-sent message (RQ redelivery) sends nothing either.
    key = next(k for k in _messages(session) if "promise_confirmation" in k and k.endswith("sms"))
    runtime.queue.enqueue("outreach.jobs.deliver_job", key)
    run_worker(runtime)
    assert again == []
    assert len(sms_standin.messages()) == 1
    assert len(smtp_sink.messages) == 1


def test_opted_out_debtor_gets_nothing_and_each_drop_says_opted_out(
    session: Session, runtime: Runtime, sms_standin: SmsStandin, smtp_sink: SmtpSink
) -> None:
    seeded = seed_account(session, sms_opt_out=True, email_opt_out=True)
    attempt, _ = promise_attempt(session, seeded, AFTERNOON)
    enqueue_followups(
        session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=AFTERNOON
    )
    session.commit()
    at_clock(runtime, AFTERNOON)
    run_worker(runtime)
    assert sms_standin.posts() == 0
    assert smtp_sink.messages == []
    now_due = [m for m in _messages(session).values() if m.trigger == "promise_confirmation"]
    assert [m.status for m in now_due] == ["dropped", "dropped"]
    assert all(m.reasons == ["opted_out"] for m in now_due)


def test_message_due_at_2200_local_goes_out_at_0800_next_morning(
    session: Session, runtime: Runtime, sms_standin: SmsStandin, smtp_sink: SmtpSink
) -> None:
    late = ny(2027, 3, 9, 22, 0)
    seeded = seed_account(session)
    attempt, _ = promise_attempt(session, seeded, late)
    enqueue_followups(
        session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=late
    )
    session.commit()
    at_clock(runtime, late)
    run_worker(runtime)
    assert sms_standin.posts() == 0 and smtp_sink.messages == []

    rows = [m for m in _messages(session).values() if m.trigger == "promise_confirmation"]
    eight = ny(2027, 3, 10, 8, 0)
    assert {(m.status, m.due_at, tuple(m.reasons)) for m in rows} == {
        ("deferred", eight, ("outside_hours",))
    }
    registry = ScheduledJobRegistry(queue=runtime.queue)
    for message in rows:
        job = Job.fetch(job_id(message.key, 1), connection=runtime.queue.connection)
        assert registry.get_scheduled_time(job) == eight
        runtime.queue.enqueue_job(job)  # what RQ's scheduler does when 08:00 comes
    at_clock(runtime, eight)
    run_worker(runtime)
    assert len(sms_standin.messages()) == 1 and len(smtp_sink.messages) == 1
    assert {
        m.status for m in _messages(session).values() if m.trigger == "promise_confirmation"
    } == {"sent"}


def _unanswered_call_followed_up(session: Session, runtime: Runtime, seeded: Seeded) -> None:
    """A call nobody answered, its follow-ups queued and sent by the worker."""
    from core.models import ContactAttempt

    attempt = ContactAttempt(
        account_id=seeded.account.id or 0, debtor_id=seeded.debtor.id or 0, channel="call",
        started_at=AFTERNOON, outcome="no_answer", disposition_code_id=seeded.codes["NA"].id,
    )  # fmt: skip
    session.add(attempt)
    session.flush()
    enqueue_followups(
        session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=AFTERNOON
    )
    session.commit()
    at_clock(runtime, AFTERNOON)
    run_worker(runtime)


def test_no_contact_message_names_no_debt_says_who_sends_it_and_carries_an_opt_out(
    session: Session, runtime: Runtime, sms_standin: SmsStandin, smtp_sink: SmtpSink
) -> None:
    seeded = seed_account(session)
    _unanswered_call_followed_up(session, runtime, seeded)
    body = sms_standin.messages()[0]["body"]
    mail = smtp_sink.messages[0]
    text = mail.get_body(("plain",)).get_content()
    # Whoever reads it first learns no amount, account or creditor; the debtor learns who
    # writes (a text is never a limited-content message: 1692e(11) applies).
    disclosure = "This is a message from a debt collector."
    for content in (body, text, mail["Subject"]):
        lowered = content.replace(disclosure, "").lower()
        for word in ("debt", "payment", "balance", "$", "7731", "acme bank", "/pay/"):
            assert word not in lowered, (word, content)
    assert disclosure in body and disclosure in text
    assert "Maria1" in body and "(800) 555-0100" in body and "Reply STOP" in body
    assert "/u/" in text


def test_a_client_without_a_business_name_writes_as_the_agency_never_as_the_creditor(
    session: Session, runtime: Runtime, sms_standin: SmsStandin, smtp_sink: SmtpSink
) -> None:
    """ "This is Acme Bank ... a message from a debt collector" names a collector that is not
    one (1692e(14)); a client imported without a business name must not read so."""
    seeded = seed_account(session)
    seeded.client.business_name = ""
    session.add(seeded.client)
    _unanswered_call_followed_up(session, runtime, seeded)

    body = sms_standin.messages()[0]["body"]
    mail = smtp_sink.messages[0]
    assert "this is Concord Recovery." in body and "acme" not in body.lower()
    assert "Concord Recovery" in mail["From"] and "acme" not in mail["From"].lower()


def test_provider_errors_retry_then_fail_to_the_admin_list_and_retry_sends_once(
    session: Session, runtime: Runtime, sms_standin: SmsStandin, smtp_sink: SmtpSink
) -> None:
    seeded = seed_account(session, followups={"triggers": {"promise_confirmation": ["sms"]}})
    attempt, _ = promise_attempt(session, seeded, AFTERNOON)
    sms_standin.control(fail_next=[503, 503, 503, 503])
    enqueue_followups(
        session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=AFTERNOON
    )
    session.commit()
    at_clock(runtime, AFTERNOON)
    run_worker(runtime)
    failed = failed_sends(runtime.queue)
    assert len(failed) == 1
    assert "503" in failed[0].error and failed[0].message_key.endswith(":sms")
    assert sms_standin.posts() == 4  # the first try and three retries
    row = _messages(session)[failed[0].message_key]
    assert row.status == "error" and "503" in row.last_error

    retry_failed(runtime.queue, failed[0].job_id)
    run_worker(runtime)
    assert failed_sends(runtime.queue) == []
    assert len(sms_standin.messages()) == 1
    assert _messages(session)[failed[0].message_key].status == "sent"


def test_one_no_contact_message_a_week_and_none_to_a_number_another_person_has(
    session: Session, runtime: Runtime, sms_standin: SmsStandin, smtp_sink: SmtpSink
) -> None:
    from datetime import timedelta

    from core.models import ContactAttempt

    seeded = seed_account(session)
    seed_account(session, n=2)  # another person on file with the same mobile: a household line
    # Two unanswered calls a minute apart (a third would meet New York City's cap of 3).
    for minutes in (0, 1):
        attempt = ContactAttempt(
            account_id=seeded.account.id or 0, debtor_id=seeded.debtor.id or 0, channel="call",
            started_at=AFTERNOON + timedelta(minutes=minutes), outcome="busy",
            disposition_code_id=seeded.codes["NA"].id,
        )  # fmt: skip
        session.add(attempt)
        session.flush()
        enqueue_followups(
            session, attempt.id or 0, queue=runtime.queue, config=runtime.config,
            now=AFTERNOON + timedelta(minutes=minutes),
        )  # fmt: skip
    session.commit()
    at_clock(runtime, AFTERNOON + timedelta(minutes=2))
    run_worker(runtime)
    assert sms_standin.messages() == []  # the shared mobile gets nothing
    assert [m["To"] for m in smtp_sink.messages] == ["maria1@example.test"]  # once, not twice


def test_a_mobile_on_the_do_not_call_list_gets_no_follow_up_and_email_serves_instead(
    session: Session, runtime: Runtime, sms_standin: SmsStandin, smtp_sink: SmtpSink
) -> None:
    """A debtor placed after the line's owner asked us to stop comes with the mobile's
    consent from the client: no text is planned to it, not one planned and dropped."""
    from core.models import StoppedNumber

    seeded = seed_account(session)
    session.add(StoppedNumber(number="+12125550123", since=AFTERNOON, how="keypad"))
    attempt, _promise = promise_attempt(session, seeded, AFTERNOON, 15_000, date(2027, 3, 19))
    created = enqueue_followups(
        session, attempt.id or 0, queue=runtime.queue, config=runtime.config, now=AFTERNOON
    )
    session.commit()
    assert {m.channel for m in created} == {"email"}
    at_clock(runtime, AFTERNOON)
    run_worker(runtime)
    assert sms_standin.messages() == []
    assert [m["To"] for m in smtp_sink.messages] == ["maria1@example.test"]
