"""The console's entry point: a saved disposition (or a payment) becomes follow-up messages.

`enqueue_followups` writes the message rows in the caller's transaction and arranges for their
RQ jobs to be enqueued when that transaction commits, so a disposition and its follow-ups are
saved together or not at all, and no job ever runs ahead of its row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rq import Queue
from sqlalchemy import exists
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from compliance.zones import EASTERN, address_zones
from core.models import (
    Account,
    Address,
    Client,
    ContactAttempt,
    Debtor,
    DispositionCategory,
    DispositionCode,
    Email,
    Payment,
    PaymentPlan,
    Phone,
    PlanInstallment,
    Portfolio,
    PromiseToPay,
)
from core.stopped_numbers import numbers_in_force
from outreach import messages, planning
from outreach.config import OutreachSettings
from outreach.models import MessageStatus, OutreachMessage
from outreach.planning import FollowupPolicy, Installment, Planned
from outreach.queueing import PendingJob, enqueue_after_commit
from outreach.render import LANGUAGES


def enqueue_followups(
    session: Session,
    attempt_id: int,
    *,
    queue: Queue | None,
    now: datetime | None = None,
    config: OutreachSettings | None = None,
) -> list[OutreachMessage]:
    """Plan and store the follow-ups of contact attempt `attempt_id` after its disposition.

    Promises and plans linked to the attempt (`contact_attempt_id`) get their confirmation,
    reminders and broken-promise check; a no-contact disposition gets a limited-content message.
    Calling it twice for one attempt creates nothing new. Does not commit; with a `queue`, jobs
    are enqueued after the caller commits (without one, the worker's sweep finds the rows).
    Returns the messages this call created.
    """
    config = config or OutreachSettings()
    now = now or datetime.now(UTC)
    attempt = session.get(ContactAttempt, attempt_id)
    if attempt is None:
        raise LookupError(f"contact attempt {attempt_id} does not exist")
    account, policy, zone = _account_policy(session, attempt.account_id, config)
    planned: list[Planned] = []
    for promise in session.exec(
        select(PromiseToPay).where(PromiseToPay.contact_attempt_id == attempt_id)
    ):
        assert promise.id is not None
        planned += planning.plan_promise(policy, promise.id, promise.due_date, now, zone)
    for plan in session.exec(
        select(PaymentPlan).where(PaymentPlan.contact_attempt_id == attempt_id)
    ):
        assert plan.id is not None
        rows = session.exec(
            select(PlanInstallment)
            .where(PlanInstallment.plan_id == plan.id)
            .order_by(col(PlanInstallment.seq))
        )
        items = [Installment(r.id or 0, r.seq, r.due_date, r.amount_minor) for r in rows]
        planned += planning.plan_payment_plan(policy, plan.id, items, now, zone)
    if _category(session, attempt) == DispositionCategory.NO_CONTACT and not planned:
        planned += planning.plan_no_contact(policy, attempt_id, now)
    return _store(session, account, policy, planned, queue, config, now)


def enqueue_receipt(
    session: Session,
    payment: Payment,
    *,
    queue: Queue | None,
    now: datetime | None = None,
    config: OutreachSettings | None = None,
) -> list[OutreachMessage]:
    """Plan the receipt of a recorded payment (flushed, so it has an id); does not commit."""
    config = config or OutreachSettings()
    assert payment.id is not None
    account, policy, _zone = _account_policy(session, payment.account_id, config)
    now = now or datetime.now(UTC)
    planned = planning.plan_receipt(policy, payment.id, now)
    return _store(session, account, policy, planned, queue, config, now)


def _category(session: Session, attempt: ContactAttempt) -> str:
    if attempt.disposition_code_id is None:
        return ""
    code = session.get(DispositionCode, attempt.disposition_code_id)
    return code.category if code else ""


def _account_policy(
    session: Session, account_id: int, config: OutreachSettings
) -> tuple[Account, FollowupPolicy, str]:
    account = session.get(Account, account_id)
    if account is None:
        raise LookupError(f"account {account_id} does not exist")
    portfolio = session.get(Portfolio, account.portfolio_id)
    client = session.get(Client, account.client_id)
    assert portfolio is not None and client is not None
    policy = planning.policy_from(
        portfolio.followup_templates,
        client.code,
        reminder_days_before=config.reminder_days_before,
        send_hour=config.send_hour,
        broken_promise_grace_days=config.broken_promise_grace_days,
    )
    first = session.exec(
        select(Address)
        .where(Address.debtor_id == account.debtor_id)
        .order_by(col(Address.position))
    ).first()
    zones = (
        address_zones(first.country or "US", first.state or None, first.postal_code or None)
        if first
        else ()
    )
    return account, policy, (zones[0] if zones else EASTERN)


def recipients(session: Session, debtor_id: int) -> dict[str, str]:
    """Where each channel goes: the first mobile number we hold consent for (TCPA: texts to a
    cell phone need the consumer's prior express consent), and the first email address that
    is not their employer's (1006.22(f)(3)); never one another person on file also has, nor
    one on the agency's do-not-call list (the next channel serves instead). A
    household line or a shared inbox is read by someone else, who may not learn of the debt
    (1692c(b)): the import reports such numbers, and the safe harbour for electronic messages
    (1006.6(d)(4)) is lost once we have reason to know."""
    found: dict[str, str] = {}
    other = aliased(Phone)
    shared = exists().where(
        col(other.number) == col(Phone.number), col(other.debtor_id) != debtor_id
    )
    phone = session.exec(
        select(Phone)
        .where(Phone.debtor_id == debtor_id, Phone.type == "mobile", col(Phone.consent))
        .where(col(Phone.wrong_number_at).is_(None), ~shared)
        .where(col(Phone.number).not_in(numbers_in_force()))
        .order_by(col(Phone.position))
    ).first()
    if phone is not None:
        found["sms"] = phone.number
    other_email = aliased(Email)
    shared_email = exists().where(
        col(other_email.address) == col(Email.address), col(other_email.debtor_id) != debtor_id
    )
    email = session.exec(
        select(Email)
        .where(Email.debtor_id == debtor_id, ~col(Email.work), ~shared_email)
        .order_by(col(Email.position))
    ).first()
    if email is not None:
        found["email"] = email.address
    return found


def _store(
    session: Session,
    account: Account,
    policy: FollowupPolicy,
    planned: list[Planned],
    queue: Queue | None,
    config: OutreachSettings,
    now: datetime,
) -> list[OutreachMessage]:
    assert account.id is not None
    debtor = session.get(Debtor, account.debtor_id)
    assert debtor is not None
    to = recipients(session, debtor.id or 0)
    language = debtor.preferred_language if debtor.preferred_language in LANGUAGES else "en"
    rows: list[dict[str, Any]] = [
        {
            "key": item.key(account.id),
            "client_id": account.client_id,
            "account_id": account.id,
            "debtor_id": account.debtor_id,
            "trigger": item.trigger.value,
            "occurrence": item.occurrence,
            "channel": item.channel,
            "to_address": to[item.channel],
            "language": language,
            "template": "",
            "template_version": "",
            "subject": "",
            "body_text": "",
            "body_html": "",
            "status": MessageStatus.SCHEDULED.value,
            "due_at": item.due_at,
            "attempts": 0,
            "deferrals": 0,
            "reasons": [],
            "provider_message_id": "",
            "last_error": "",
            "context": {**item.context, "template_set": policy.template_set},
        }
        for item in planned
        if item.channel in to
    ]
    created = messages.insert_new(session, rows)
    if queue is not None and created:
        jobs = [PendingJob(m.key, m.due_at if m.due_at > now else None, 0) for m in created]
        enqueue_after_commit(session, queue, config, jobs)
    return created
