"""Saving the outcome of a call: one transaction for the attempt, the promise or plan, the
callback and the follow-up messages; events go out only after it commits (the route's job).

Refuses a right-party disposition until the script's required disclosures are done, and a
callback at a time the compliance engine would not allow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from console.live import LiveCall
from console.services.outcome import Outcome
from console.services.quiet_hours import add_quiet
from console.services.verdict import Explained
from core.amounts import money
from core.holds import hold_for, mark_number, record_change
from core.models import (
    Account,
    Callback,
    ContactAttempt,
    Debtor,
    DispositionCategory,
    Email,
    PaymentPlan,
    Phone,
    PlanInstallment,
    PromiseToPay,
    User,
)
from core.stopped_numbers import ASKED, in_force, stop_number
from dialer.models import UnmatchedCall
from scripts_library.model import Disclosure
from scripts_library.session import ScriptSession

# Categories after which Reg F counts the call as a conversation with the consumer.
CONVERSATION = {
    DispositionCategory.RIGHT_PARTY,
    DispositionCategory.PROMISE,
    DispositionCategory.PLAN,
    DispositionCategory.REFUSED,
    DispositionCategory.CALLBACK,
    DispositionCategory.DISPUTE,
    DispositionCategory.CEASE,
}

# Plans and stores the follow-up messages of an attempt in the caller's transaction (outreach).
Followups = Callable[[Session, int, datetime], object]
CallbackCheck = Callable[[datetime], Explained]


@dataclass(frozen=True)
class Saved:
    attempt: ContactAttempt
    promise: PromiseToPay | None
    plan: PaymentPlan | None
    callback: Callback | None


def check_script(outcome: Outcome, session: ScriptSession | None) -> None:
    """A right-party outcome needs the verification and disclosures walked in the script, and
    only the debtor, verified, can ask to be called (a consent lifts the 7-in-7 count and the
    week after a conversation, 1006.14(b)(3)(i)): a spouse's "call back in five minutes"
    ticked as the debtor's request let the predictive dialer call again at once."""
    verified = session is not None and (
        Disclosure.RIGHT_PARTY_VERIFICATION in session.disclosures_done
    )
    if outcome.callback_consent and not verified:
        outcome.errors["callback_consent"] = (
            "Only the debtor can ask to be called back: verify them in the script first, or "
            "leave this unticked (the callback then waits until the rules allow a call)."
        )
    if outcome.code is None:
        return
    if session is None:
        if outcome.code.category in {c.value for c in CONVERSATION} - {"callback"}:
            outcome.errors["code"] = "Open the call script and verify the right party first."
        return
    if not session.may_record(outcome.code.category):
        missing = [
            d.value.replace("_", " ")
            for d in session.required_disclosures
            if d not in session.disclosures_done
        ]
        outcome.errors["code"] = (
            f"{outcome.code.label} is a right-party outcome: finish {', '.join(missing)} "
            "in the script first."
        )


def check_identity(outcome: Outcome, call: LiveCall) -> None:
    """A wrong number retires the number for calls and texts; once this call's identity check
    matched the file, the number reached the debtor, and retiring it loses a good number (the
    dialer moves on to a work number)."""
    code = outcome.code
    wrong = code is not None and code.category == DispositionCategory.WRONG_NUMBER
    if wrong and code is not None and call.identity_confirmed:
        outcome.errors["code"] = (
            f"{code.label} would retire this number, but the person on it passed the "
            "identity check: choose what they said instead."
        )


def check_call_in(outcome: Outcome, call: LiveCall) -> None:
    """A call in reached a person: no answer, busy or a machine cannot describe it, and saved
    so it would hide a conversation (the validation notice's clock starts at the first one)."""
    code = outcome.code
    if call.inbound and code is not None and code.category == DispositionCategory.NO_CONTACT:
        outcome.errors["code"] = (
            f"{code.label} cannot describe a call in: the debtor called us. If the caller hung "
            "up before saying who they were, record it as an unverified third party."
        )


def check_new_phone(db: Session, outcome: Outcome, call: LiveCall, debtor_id: int) -> None:
    """Only the debtor, verified in the script, gives us a number of theirs: one from whoever
    answered would send the next calls about a debt to a stranger. A number another person on
    file has would pop the wrong debtor when either calls in, and one the debtor's file holds
    retired (a wrong number, no calls there) is not revived from here."""
    if outcome.new_phone is None:
        return
    if not call.right_party_verified:
        outcome.errors["new_phone"] = (
            "A new number is kept only from the debtor: verify them in the script first."
        )
        return
    number = outcome.new_phone[0]
    held = db.exec(select(Phone).where(Phone.number == number)).all()
    if any(p.debtor_id != debtor_id for p in held):
        outcome.errors["new_phone"] = (
            "That number is on file for another person: it is not added (a call from it would "
            "pop them). Put it in the notes for a team lead."
        )
    elif number in in_force(db, [number]):
        outcome.errors["new_phone"] = (
            "That number is on the agency's do-not-call list (whoever has it asked us to stop): "
            "it would not be called or texted. Put it in the notes; a team lead takes a number "
            "off the list only at its owner's word."
        )
    elif any(p.wrong_number_at is not None or p.no_calls_at is not None for p in held):
        outcome.errors["new_phone"] = (
            "That number is already on their file, retired (a wrong number, or no calls there): "
            "a team lead takes that back (concord accounts holds --number-ok, or --calls-ok "
            "when the debtor asks to be called there again)."
        )


def active_plan(db: Session, account_id: int) -> PaymentPlan | None:
    """The account's payment plan in force, if any (one at a time: a new one replaces it)."""
    query = select(PaymentPlan).where(
        PaymentPlan.account_id == account_id, PaymentPlan.status == "active"
    )
    return db.exec(query.order_by(col(PaymentPlan.id).desc())).first()


def check_commitments(db: Session, outcome: Outcome, account: Account) -> None:
    """A promise on top of a plan in force asks for the same money twice: two reminders, two
    links, a broken promise counted against a debtor paying as agreed. The agent changes the
    plan instead (a new plan replaces it, `save`)."""
    if outcome.promise is None:
        return
    plan = active_plan(db, account.id or 0)
    if plan is None:
        return
    pending = db.exec(
        select(PlanInstallment)
        .where(PlanInstallment.plan_id == plan.id, PlanInstallment.status == "pending")
        .order_by(col(PlanInstallment.seq))
    ).all()
    upcoming = (
        f"; next installment {money(pending[0].amount_minor, account.currency)} on "
        f"{pending[0].due_date}"
        if pending
        else ""
    )
    outcome.errors["code"] = (
        f"This account has a payment plan in force ({len(pending)} installments to pay"
        f"{upcoming}): a promise on top would ask for the same money twice. To change what "
        "the debtor pays, record a new plan; it replaces this one."
    )


# The rules a debtor's own request lifts (Reg F 1006.14(b)(3)(i)); see compliance.calls.consented.
_LIFTED_BY_REQUEST = frozenset({"weekly_call_cap", "recent_conversation"})


def check_callback(outcome: Outcome, allowed_at: CallbackCheck) -> None:
    if outcome.callback_at is None:
        return
    verdict = allowed_at(outcome.callback_at)
    if not verdict.allowed:
        words = " ".join(sentence for _, sentence in verdict.reasons)
        when = verdict.next_allowed_at
        # In the clock the agent typed the time in, not UTC beside a field that says local.
        local = when.astimezone(outcome.callback_at.tzinfo) if when else None
        hint = f" The next allowed time is {local:%Y-%m-%d %H:%M %Z}." if local else ""
        if outcome.callback_consent:
            # The engine's next time counts no request (consent covers the time asked for), so
            # it was a week out where the debtor could ask for any lawful hour tomorrow.
            hint = (
                " Their request lifts the weekly cap and the week after a conversation, not "
                "what is said here: pick another time they ask for."
            )
        codes = {code for code, _ in verdict.reasons}
        if not outcome.callback_consent and codes <= _LIFTED_BY_REQUEST:
            hint += " If the debtor asked to be called then, tick that they asked."
        outcome.errors["callback_at"] = f"A call then is not allowed: {words}{hint}"


def _find_attempt(db: Session, call: LiveCall) -> ContactAttempt | None:
    """The dialer's row for this call, when it wrote one, so one call is one attempt."""
    if not call.call_id:
        return None
    return db.exec(select(ContactAttempt).where(ContactAttempt.call_id == call.call_id)).first()


def _claim_unmatched(db: Session, attempt: ContactAttempt) -> None:
    """A call in the agent identified only after it ended was kept by the dialer as unmatched
    (times, outcome, recording, message): the attempt takes those over, and the call leaves
    the lead's list of calls no account matched."""
    if not attempt.call_id:
        return
    kept = db.exec(select(UnmatchedCall).where(UnmatchedCall.call_id == attempt.call_id)).first()
    if kept is None:
        return
    attempt.started_at, attempt.ended_at = kept.started_at, kept.ended_at
    attempt.outcome, attempt.recording_ref = kept.outcome, kept.recording_ref
    attempt.message_ref = kept.message_ref
    db.delete(kept)


def _replace_plan(db: Session, account: Account, actor: str, now: datetime) -> None:
    """Ends the plan in force before a new one is stored: its unpaid installments are
    cancelled, so no reminder or payment link asks for them any longer."""
    old = active_plan(db, account.id or 0)
    if old is None:
        return
    old.status, old.updated_at, old.updated_by = "replaced", now, actor
    db.add(old)
    for item in db.exec(
        select(PlanInstallment).where(
            PlanInstallment.plan_id == old.id, PlanInstallment.status == "pending"
        )
    ):
        item.status, item.updated_at, item.updated_by = "cancelled", now, actor
        db.add(item)


def save(
    db: Session,
    *,
    agent: User,
    account: Account,
    call: LiveCall,
    outcome: Outcome,
    session: ScriptSession | None,
    decision: Explained | None,
    followups: Followups,
    now: datetime,
) -> Saved:
    """Write everything for a checked outcome (no errors); the caller commits."""
    code = outcome.code
    assert code is not None and not outcome.errors
    attempt = _find_attempt(db, call) or ContactAttempt(
        account_id=account.id or 0,
        debtor_id=account.debtor_id,
        channel="call",
        # A call in identified after it ended has no dialer row: it is still the debtor's call,
        # outside every campaign's abandon rate and the 7-in-7 count.
        direction="inbound" if call.inbound else "outbound",
        started_at=call.connected_at or now,
        campaign_id=None if call.inbound else call.campaign_id,
        call_id=call.call_id,
        to_address=call.number,
    )
    if call.inbound and attempt.id is None:
        _claim_unmatched(db, attempt)
    if call.inbound and attempt.account_id != account.id:
        # A call in that popped the wrong person, found by the agent as this account's debtor
        # after the dialer had settled it (routes.dial.not_the_caller): the call is theirs.
        attempt.account_id, attempt.debtor_id = account.id or 0, account.debtor_id
    attempt.agent_id = agent.id
    attempt.disposition_code_id = code.id
    # A dialer call still up is settled by the dialer (times, outcome, recording) when it ends;
    # writing its outcome here would make the dialer skip that settlement.
    if attempt.id is None or call.ended:
        attempt.ended_at = attempt.ended_at or now
        if DispositionCategory(code.category) in CONVERSATION and call.call_id:
            attempt.outcome = "conversation"
        elif not attempt.outcome:
            attempt.outcome = call.outcome or "not_connected"
    if session is not None:
        run = session.record()
        attempt.script_name = run.script_name
        attempt.script_version = str(run.script_version)
        attempt.script_path = list(run.path)
    # The dialer stored the decision that let it dial; the agent's screen decision is only
    # recorded for an attempt the dialer never wrote (a preview with no call id, say).
    # A call in was not ours to decide: the debtor called, and a decision taken now would be
    # refused by that very conversation (QA read it as a call made although refused).
    if decision is not None and not attempt.compliance and not call.inbound:
        decision.record_on(attempt)
    attempt.notes = outcome.notes
    attempt.updated_at = now
    attempt.updated_by = agent.username
    db.add(attempt)
    db.flush()
    promise = plan = callback = None
    if outcome.promise is not None:
        promise = PromiseToPay(
            account_id=account.id or 0,
            amount_minor=outcome.promise.amount_minor,
            due_date=outcome.promise.due_date,
            agent_id=agent.id,
            contact_attempt_id=attempt.id,
            updated_by=agent.username,
        )
        db.add(promise)
    if outcome.plan is not None:
        _replace_plan(db, account, agent.username, now)
        plan = PaymentPlan(
            account_id=account.id or 0,
            total_minor=outcome.plan.total_minor,
            settlement=outcome.plan.settlement,
            agent_id=agent.id,
            contact_attempt_id=attempt.id,
            updated_by=agent.username,
        )
        db.add(plan)
        db.flush()
        for seq, (due, amount) in enumerate(outcome.plan.installments, start=1):
            db.add(
                PlanInstallment(plan_id=plan.id or 0, seq=seq, due_date=due, amount_minor=amount)
            )
    if outcome.callback_at is not None:
        callback = Callback(
            account_id=account.id or 0,
            agent_id=agent.id,
            campaign_id=call.campaign_id,
            phone=call.number,
            due_at=outcome.callback_at.astimezone(UTC),
            consent=outcome.callback_consent,
            # when the debtor asked: a consent counts for 7 days from it (compliance.store)
            created_at=now,
            updated_at=now,
            updated_by=agent.username,
        )
        db.add(callback)
    if outcome.new_phone is not None:
        # First, so that "not on this number" reaches a number given on this very call (the
        # work phone they called in from): kept callable, it was the request lost.
        add_phone(db, account.debtor_id, outcome.new_phone, agent.username, now)
        db.flush()
    if outcome.no_calls_here and call.number:
        for phone in db.exec(
            select(Phone).where(Phone.debtor_id == account.debtor_id, Phone.number == call.number)
        ):
            if phone.no_calls_at is None:
                phone.no_calls_at, phone.updated_at, phone.updated_by = now, now, agent.username
                db.add(phone)
        record_change(db, account, "no_calls", "set", "debtor",
                      f"{call.number}: asked on the call", agent.username, now)  # fmt: skip
    if outcome.stop_line and call.number:
        # the hold history of every debtor on the line is written by the list
        stop_number(db, call.number, now, ASKED, f"asked on a call to {agent.username}",
                    agent.username)  # fmt: skip
    if outcome.work_emails:
        for email in db.exec(
            select(Email).where(
                Email.debtor_id == account.debtor_id, col(Email.id).in_(outcome.work_emails)
            )
        ):
            if not email.work:
                email.work, email.updated_at, email.updated_by = True, now, agent.username
                db.add(email)
    if outcome.quiet is not None:
        debtor = db.get(Debtor, account.debtor_id)
        assert debtor is not None  # the account's foreign key holds it
        if add_quiet(debtor, outcome.quiet, agent.username, now):
            db.add(debtor)
    hold_for(db, account, DispositionCategory(code.category), agent.username, now)
    if code.category == DispositionCategory.WRONG_NUMBER and call.number:
        # A reassigned number called again is the TCPA suit collections shops lose most.
        mark_number(db, account.debtor_id, call.number, wrong=True, actor=agent.username, now=now)
        record_change(db, account, "wrong_number", "set", "debtor",
                      f"{call.number}: call outcome {code.code}", agent.username, now)  # fmt: skip
    db.flush()
    assert attempt.id is not None
    followups(db, attempt.id, now)
    return Saved(attempt, promise, plan, callback)


def add_phone(
    db: Session, debtor_id: int, phone: tuple[str, str], actor: str, now: datetime
) -> None:
    """Keep a number the debtor gave, after their others; one already on file is left as is."""
    number, kind = phone
    held = db.exec(select(Phone).where(Phone.debtor_id == debtor_id)).all()
    if any(p.number == number for p in held):
        return
    position = max((p.position for p in held), default=-1) + 1
    db.add(
        Phone(
            debtor_id=debtor_id, number=number, type=kind, position=position, consent=False,
            created_at=now, updated_at=now, updated_by=actor,
        )
    )  # fmt: skip
