"""Finding the accounts a campaign may dial now, for its hopper.

The best-scored accounts are often the ones the compliance engine refuses for a while: debtors
where it is still night, accounts at Reg F's seven calls in seven days, accounts resting for a
week after a conversation. They stay at the top of the score order, so a refill that read only
the first few dozen accounts would leave the hopper empty while thousands further down may be
called. The search reads pages down the order until it has enough allowed accounts or has read
SCAN_LIMIT; a search that stopped at the limit hands on where it stopped, so the next refill
reads on from there and a run of refills walks the whole book (deciding on an account costs
about a millisecond here, mostly loading and checking its contact data). It counts why the
others were refused, so the alert for an empty hopper can say.

Between the refill and the dial the account may change: the debtor pays in full on the payment
page, an agent books a promise, a lead narrows the campaign's filter. `clear_to_dial` asks the
work rules (dialer.worklist) and the compliance engine once more just before the Originate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session, select

from core.models import Account, Callback, Phone
from dialer import gate, store
from dialer.campaigns import CampaignPlan
from dialer.hopper import Candidate
from dialer.worklist import left_out

PAGE = 200
#: Accounts read per refill at most, about a second and a half on the dialer's database thread.
SCAN_LIMIT = 1_000


@dataclass
class Search:
    """What one refill found: the allowed candidates, how many accounts it read, and the first
    reason each refused one was refused for."""

    found: list[Candidate] = field(default_factory=list)
    read: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    #: The earliest a refused account may be called if nothing else happens (None: unknown).
    next_allowed_at: datetime | None = None
    #: Where the next search reads on from: set when this one stopped at SCAN_LIMIT short of
    #: what it wanted, None when it found enough or read to the end of the book.
    resume: tuple[float, int] | None = None

    def why_none(self) -> str:
        """The alert's words when nothing may be dialled, the commonest refusals first."""
        if not self.read:
            return (
                "no account of this campaign is left to dial (its filter, the retry interval, "
                "nothing owed, promises not yet due, payment plans in good standing)"
            )
        reasons = ", ".join(
            f"{n} {reason.replace('_', ' ')}" for reason, n in self.refused.most_common(3)
        )
        why = f"none of the {self.read} accounts read may be called now ({reasons})"
        if self.next_allowed_at is not None:
            why += f"; the first may be called at {self.next_allowed_at:%H:%M} UTC"
        return why

    def note_next(self, at: datetime | None) -> None:
        if at is not None and (self.next_allowed_at is None or at < self.next_allowed_at):
            self.next_allowed_at = at.astimezone(UTC)


def callable_now(
    session: Session,
    plan: CampaignPlan,
    now: datetime,
    want: int,
    after: tuple[float, int] | None = None,
    manual: bool = False,
) -> Search:
    """Due callbacks and at least `want` filtered accounts if there are so many, best score
    first (from the key `after` on, when a previous search stopped there), that the compliance
    engine allows at `now`; `manual` for a preview, where a person dials any number type."""
    search = Search()
    due = store.due_callbacks(session, plan.id, now)
    callbacks = [p for p in (_callback_candidate(session, c, manual) for c in due) if p]
    for batch in _by_account(callbacks):  # two callbacks of one account may name two numbers
        _decide(session, batch, now, search)
    plain = len(search.found)
    near = {now.hour, (now.hour + 1) % 24}
    while len(search.found) - plain < want and search.read < SCAN_LIMIT:
        rows, after = store.candidate_page(session, plan, now, after, PAGE, manual)
        search.read += len(rows)
        hours = store.answered_hours(session, (a.debtor_id for a, _ in rows))
        page = [
            (
                account,
                Candidate(
                    account_id=account.id or 0,
                    debtor_id=account.debtor_id,
                    number=phone.number,
                    segment_score=account.segment_score,
                    best_time=bool(hours.get(account.debtor_id, set()) & near),
                ),
            )
            for account, phone in rows
        ]
        _decide(session, page, now, search)
        if after is None:
            break
    if len(search.found) - plain < want:
        search.resume = after
    return search


@dataclass(frozen=True)
class Cleared:
    """What a dial cleared just before the Originate carries: the compliance decision to store
    with the attempt and what a machine gets on the account's portfolio."""

    record: dict[str, object]
    machine: str
    addressee: str = ""  # the debtor's name, which a limited-content message says


def clear_to_dial(
    session: Session, plan: CampaignPlan, entry: Candidate, now: datetime
) -> Cleared | str:
    """The last word before the Originate: Cleared, or why the hopper's entry is no longer
    dialled. A callback it clears is marked dialled; one whose debt is paid off is closed as
    "paid", so it does not come back. Raises gate.ContactDataError on unreadable contact data."""
    callback = entry.callback_id is not None
    why = left_out(session, plan, entry.account_id, now.date(), callback=callback)
    if why is not None:
        if entry.callback_id is not None and why == "nothing owed":
            store.close_callback(session, entry.callback_id, "paid")
        return why
    account = session.get(Account, entry.account_id)
    if account is None:
        return "no such account"
    verdict = gate.decide_call(session, account, entry.number, now)
    if not verdict.allowed:
        return ", ".join(verdict.decision.reasons)
    if entry.callback_id is not None:
        store.close_callback(session, entry.callback_id, "dialed")
    return Cleared(verdict.record, store.machine_action(session, entry.account_id),
                   store.debtor_name(session, account.debtor_id))  # fmt: skip


def _decide(
    session: Session, batch: list[tuple[Account, Candidate]], now: datetime, search: Search
) -> None:
    """Ask the engine about a batch of candidates, no account twice (a batch's numbers are
    keyed by account), and note each answer in `search`."""
    numbers = {c.account_id: c.number for _, c in batch}
    verdicts = gate.decide_calls(session, numbers, [a for a, _ in batch], now)
    for _, cand in batch:
        verdict = verdicts.get(cand.account_id)
        if verdict is None:
            search.refused["unreadable_contact_data"] += 1
        elif verdict.allowed:
            search.found.append(cand)
        else:
            search.refused[verdict.decision.reasons[0].value] += 1
            search.note_next(verdict.decision.next_allowed_at)


def _callback_candidate(
    session: Session, callback: Callback, manual: bool
) -> tuple[Account, Candidate] | None:
    """A due callback as a candidate; on a number only a person may dial (a mobile without
    consent, an extension), none unless a person dials it (`manual`, a preview): a callback
    the debtor asked for is no consent to an autodialer (TCPA)."""
    account = session.get(Account, callback.account_id)
    number = store.callback_number(session, callback)
    if account is None or not number:
        return None
    if not manual:
        phone = session.exec(
            select(Phone).where(Phone.debtor_id == account.debtor_id, Phone.number == number)
        ).first()
        if phone is None or not store.auto_dial_allowed(phone):
            return None
    return account, Candidate(
        account_id=account.id or 0,
        debtor_id=account.debtor_id,
        number=number,
        segment_score=account.segment_score,
        callback_id=callback.id,
        callback_due=store.as_utc(callback.due_at),
        callback_agent=callback.agent_id,
    )


def _by_account(
    pairs: list[tuple[Account, Candidate]],
) -> list[list[tuple[Account, Candidate]]]:
    """Split so that no batch holds one account twice."""
    batches: list[list[tuple[Account, Candidate]]] = []
    for pair in pairs:
        for batch in batches:
            if all(c.account_id != pair[1].account_id for _, c in batch):
                batch.append(pair)
                break
        else:
            batches.append([pair])
    return batches
