"""The screen pop: everything about the debtor an agent needs on one screen, read in one place.

Plain dataclasses for the template; the route decides masking by right-party verification.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from compliance.limitations import possibly_time_barred
from compliance.reasons import FLAG_REASONS, explain
from compliance.zones import address_zones, local_date, number_zones
from console.services.verdict import Explained
from core.amounts import money
from core.models import (
    Account,
    Address,
    Client,
    ContactAttempt,
    Debtor,
    DispositionCode,
    Email,
    Payment,
    PaymentPlan,
    Phone,
    PlanInstallment,
    Portfolio,
    PromiseToPay,
    StoppedNumber,
    User,
    utcnow,
)
from core.stopped_numbers import in_force
from core.validation_notices import NoticeStanding, standing_of
from outreach.inbound import HOLDING, flag_words, texts_from
from outreach.models import SENT_NOTE, InboundText, OptOut, OutreachMessage


@dataclass(frozen=True)
class PlanView:
    plan: PaymentPlan
    installments: list[PlanInstallment]


@dataclass(frozen=True)
class AttemptView:
    attempt: ContactAttempt
    code: str
    agent: str
    # The follow-up an SMS or email attempt sent, so the agent reads what the debtor was told.
    message: OutreachMessage | None = None


@dataclass
class ScreenPop:
    account: Account
    debtor: Debtor
    client: Client
    portfolio: Portfolio
    accounts: list[Account]
    phones: list[Phone]
    payments: list[Payment]
    promises: list[PromiseToPay]
    plans: list[PlanView]
    attempts: list[AttemptView]
    flags: list[tuple[str, str]]
    decision: Explained | None = None
    codes: list[DispositionCode] = field(default_factory=list)
    texts: list[InboundText] = field(default_factory=list)
    # Where the debtor may be (compliance.zones, from the addresses, else the numbers).
    zones: tuple[str, ...] = ()
    # The validation notice's standing (core.validation_notices); None outside US law. Inside
    # the validation period an agent must not press so as to overshadow the right to dispute.
    validation: NoticeStanding | None = None
    # The first day the debt may be time-barred, when that has come (compliance.limitations).
    time_barred: date | None = None
    emails: list[Email] = field(default_factory=list)
    # The debtor's numbers on the agency's do-not-call list (core.stopped_numbers).
    stopped: dict[str, StoppedNumber] = field(default_factory=dict)

    def local_today(self, now: datetime) -> date:
        return local_date(self.zones, now)

    @property
    def total_balance_minor(self) -> int:
        return sum(a.balance_minor for a in self.accounts)


def debt_age_days(account: Account, today: date) -> int | None:
    """Days since the account went delinquent (or charged off, when that is all we know)."""
    start = account.delinquency_date or account.charge_off_date
    return None if start is None else (today - start).days


def time_barred_words(years: int, since: date | None) -> str:
    """What an agent reads about a debt that may be past the limit to sue."""
    return (
        f"This debt may be past the {years}-year limit to sue (since {since}): never say or "
        "suggest that they can be sued or their wages garnished (Reg F 1006.26(b)). It may "
        "still be collected by asking."
    )


def flags_in_words(account: Account, debtor: Debtor) -> list[tuple[str, str]]:
    """Every flag on the debtor or account with the sentence compliance uses for it."""
    found: list[tuple[str, str]] = []
    for flag in dict.fromkeys([*debtor.flags, *account.flags]):
        reason = FLAG_REASONS.get(flag)
        found.append((flag, explain(reason) if reason else f"Flagged: {flag}."))
    if debtor.dnc:
        found.append(("dnc", explain("dnc")))
    return found


# A call in no agent took: the debtor's missed call, not an outbound call the dialer abandoned
# (that word is a compliance event in the trade).
MISSED_CALL_IN = "missed: no agent free"


def _what(attempt: ContactAttempt, codes: Mapping[int | None, DispositionCode]) -> str:
    """The attempt's outcome in the history: its code, else what happened to the call."""
    code = codes.get(attempt.disposition_code_id)
    if code is not None:
        return code.code
    if attempt.direction == "inbound" and attempt.outcome == "abandoned":
        return MISSED_CALL_IN
    return attempt.outcome


def _who(attempt: ContactAttempt) -> str:
    """Who handled an attempt no agent took: the dialer placed it, or nobody took a call in."""
    return "" if attempt.direction == "inbound" else "dialer"


def above_itemisation(account: Account) -> list[tuple[str, str]]:
    """A balance the client sent above its own principal, interest and fees: the difference is
    unexplained, and collecting an amount the agreement or law does not authorise is unfair
    practice (FDCPA 1692f(1)). The import keeps such a balance as sent and counts it; the
    agent must not quote it as owed."""
    itemised = account.principal_minor + account.interest_minor + account.fees_minor
    if itemised <= 0 or account.balance_minor <= itemised:
        return []
    extra = account.balance_minor - itemised
    words = (
        f"The balance {money(account.balance_minor, account.currency)} is "
        f"{money(extra, account.currency)} more than the principal, interest and fees on file "
        f"({money(itemised, account.currency)}): do not quote or take the difference until the "
        "client explains it (1692f(1)); tell your team lead."
    )
    return [("balance above itemisation", words)]


_OPTED_OUT = {
    "sms": ("opted out: texts", "asked us to stop texting"),
    "email": ("opted out: email", "asked us to stop emailing"),
}
_HOW = {"sms_stop": "by a STOP text", "unsubscribe_link": "by the unsubscribe link",
        "one_click": "by their mail program's unsubscribe button"}  # fmt: skip


def opt_outs(db: Session, debtor: Debtor) -> list[tuple[str, str]]:
    """The channels the debtor opted out of, with when and how: an agent must not offer "I'll
    text you the link" to someone who asked for no texts, and a complaint ("I unsubscribed and
    you kept writing") is answered from the date shown."""
    stopped = [c for c, on in (("sms", debtor.sms_opt_out), ("email", debtor.email_opt_out)) if on]
    if not stopped:
        return []
    latest: dict[str, OptOut] = {}
    for row in db.exec(
        select(OptOut)
        .where(OptOut.debtor_id == debtor.id, col(OptOut.channel).in_(stopped))
        .order_by(col(OptOut.at))
    ):
        latest[row.channel] = row
    found = []
    for channel in stopped:
        flag, said = _OPTED_OUT[channel]
        got = latest.get(channel)
        when = (
            f" on {got.at:%Y-%m-%d} {_HOW.get(got.source, got.source)}" if got is not None else ""
        )
        found.append((flag, f"The debtor {said}{when}: nothing goes to them that way."))
    return found


def load_screen(db: Session, account: Account) -> ScreenPop:
    debtor = db.get(Debtor, account.debtor_id)
    client = db.get(Client, account.client_id)
    portfolio = db.get(Portfolio, account.portfolio_id)
    assert debtor is not None and client is not None and portfolio is not None
    accounts = list(
        db.exec(
            select(Account)
            .where(Account.debtor_id == debtor.id, Account.client_id == account.client_id)
            .order_by(col(Account.id))
        )
    )
    ids = [a.id for a in accounts]
    plans = list(
        db.exec(
            select(PaymentPlan)
            .where(col(PaymentPlan.account_id).in_(ids))
            .order_by(col(PaymentPlan.created_at).desc())
        )
    )
    installments = list(
        db.exec(
            select(PlanInstallment)
            .where(col(PlanInstallment.plan_id).in_([p.id for p in plans]))
            .order_by(col(PlanInstallment.seq))
        )
    )
    attempts = list(
        db.exec(
            select(ContactAttempt)
            .where(ContactAttempt.debtor_id == debtor.id, col(ContactAttempt.account_id).in_(ids))
            .order_by(col(ContactAttempt.started_at).desc())
            .limit(20)
        )
    )
    keys = [a.notes.removeprefix(SENT_NOTE) for a in attempts if a.notes.startswith(SENT_NOTE)]
    sent = (
        {
            m.key: m
            for m in db.exec(select(OutreachMessage).where(col(OutreachMessage.key).in_(keys)))
        }
        if keys
        else {}
    )
    codes = {
        c.id: c
        for c in db.exec(select(DispositionCode).where(DispositionCode.client_id == client.id))
    }
    agents = {
        u.id: u.full_name or u.username
        for u in db.exec(
            select(User).where(col(User.id).in_({a.agent_id for a in attempts if a.agent_id}))
        )
    }
    phones = list(
        db.exec(select(Phone).where(Phone.debtor_id == debtor.id).order_by(col(Phone.position)))
    )
    emails = list(
        db.exec(select(Email).where(Email.debtor_id == debtor.id).order_by(col(Email.position)))
    )
    senders = [p.number for p in phones] + [e.address.lower() for e in emails]
    texts = texts_from(db, senders, account.client_id, [a.id or 0 for a in accounts])
    addresses = db.exec(select(Address).where(Address.debtor_id == debtor.id))
    zones = {z for a in addresses for z in address_zones(a.country, a.state, a.postal_code)}
    if not zones:
        zones = {z for p in phones for z in number_zones(p.number)}
    # A text a person has yet to read stands with the holds: the agent reads it before talking.
    waiting = [
        (f"text: {t.concern}", flag_words(t))
        for t in texts
        if t.concern in HOLDING and t.handled_at is None
    ]
    barred = possibly_time_barred(
        utcnow().date(), portfolio.limitation_years, account.delinquency_date,
        account.charge_off_date, account.last_payment_date,
    )  # fmt: skip
    barred_words = (
        []
        if barred is None
        else [("time-barred?", time_barred_words(portfolio.limitation_years, barred))]
    )
    return ScreenPop(
        account=account,
        debtor=debtor,
        client=client,
        portfolio=portfolio,
        accounts=accounts,
        phones=phones,
        emails=emails,
        stopped=in_force(db, [p.number for p in phones]),
        payments=list(
            db.exec(
                select(Payment)
                .where(col(Payment.account_id).in_(ids))
                .order_by(col(Payment.paid_at).desc())
            )
        ),
        promises=list(
            db.exec(
                select(PromiseToPay)
                .where(col(PromiseToPay.account_id).in_(ids))
                .order_by(col(PromiseToPay.due_date).desc())
            )
        ),
        plans=[PlanView(p, [i for i in installments if i.plan_id == p.id]) for p in plans],
        attempts=[
            AttemptView(
                a,
                _what(a, codes),
                agents.get(a.agent_id, "dialer") if a.agent_id else _who(a),
                sent.get(a.notes.removeprefix(SENT_NOTE)),
            )
            for a in attempts
        ],
        flags=flags_in_words(account, debtor)
        + waiting
        + opt_outs(db, debtor)
        + barred_words
        + above_itemisation(account),
        validation=standing_of(db, account, utcnow()),
        time_barred=barred,
        codes=sorted((c for c in codes.values() if c.active), key=lambda c: c.code),
        texts=texts,
        zones=tuple(sorted(zones)),
    )
