"""Texts debtors send us: kept, read for what a person must act on, and shown where people look.

A reply to a reminder is often the debtor's only word between calls: "I paid Friday", "I have a
lawyer", "this is not my debt". Reg F counts electronic messages as writing, so a dispute or a
cease request sent by text binds the collector as a letter would. Nothing here acts on those by
itself (a misread "I don't dispute it, I'll pay Friday" must not stop a paying debtor's plan):
the words flag the text for a person, on the agent's screen and on the team lead's page, until
someone marks it handled. A STOP is the exception: it opts out at once (outreach.optouts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, or_, select

from core.holds import record_change, set_flags
from core.models import Account, Debtor, Email, HoldChange, Phone
from core.sensitive import redact
from outreach.models import InboundText

#: A text whose words no rule matched: a person still reads it.
OTHER = "other"

#: What a person must act on, first match wins: a lawyer's name outranks the rest, because
#: once the debtor is represented only the attorney may be contacted (1692c(a)(2)). The words
#: err towards asking a person: a dispute missed lets collection go on against the law, while
#: a reply misread as one costs a team lead a glance.
_CONCERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "attorney",
        re.compile(
            r"\b(attorney|lawyer|counsel|abogad[oa])s?\b|\brepresented by\b"
            r"|\bi represent\b|\bmy client\b|\brepresent(s|ing)? (him|her|them|the debtor)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # A death: only the estate's representative may be spoken to (1006.6(a)(4)); a widow
        # told of the debt is a third party.
        "deceased",
        re.compile(
            r"\b(passed away|passed on|(she|he) passed|died|deceased|death certificate|widow(er)?"
            r"|estate of|executor|executrix|falleci\w*|muri[oó]|difunt[oa]|viud[oa])\b",
            re.IGNORECASE,
        ),
    ),
    (
        "bankruptcy",
        re.compile(
            r"\b(bankrupt\w*|chapter (7|13)|ch\.?\s?(7|13)|bk|bancarrota|quiebra)\b"
            r"|\bfiled (for )?(ch\w*|chapter|bk|bankruptcy)\b|\bdischarg\w*",
            re.IGNORECASE,
        ),
    ),
    (
        "dispute",
        re.compile(
            r"\bdisput\w*|\bnot my (debt|account|bill|loan|card)\b|\b(isn'?t|is not|not) mine\b"
            r"|\b(isn'?t|is not) my (debt|account|bill|loan|card)\b"
            r"|\b(don'?t|do not|never) owed?\b(?!\s+(you|u)\b)|\bnever (had|opened|signed)\b"
            r"|\b(don'?t|do not) recogni[sz]e\b|\balready paid\b|\bpaid in full\b"
            r"|\bpaid (this|it|that)\b|\bidentity theft\b|\bfraud\w*"
            r"|\bvalidat\w*|\bverif\w* (this|the) debt\b|\bprove (it|this|that|i owe)\b|\bproof\b"
            r"|\bstatute of limitations?\b|\btime[- ]barred\b"
            r"|\bno es (mi deuda|m[ií][ao])\b|\bno (la |lo )?debo\b|\bno reconozco\b"
            r"|\bdeuda no es m[ií]a\b|\bya (la |lo )?pagu[eé]\b|\brobo de identidad\b"
            r"|\bprescri\w*|\bprueba\b"
            # A dispute of the amount is a dispute (1692g(b)): "the amount is wrong".
            r"|\b(amount|balance|total)( you have)? (is|are|was)? ?"
            r"(wrong|incorrect|not right|too high)\b|\bi only owe\b|\bowe (less|only)\b"
            r"|\b(sent|paid|gave) you (the|my)? ?(money|payment)\b|\bcheck your records\b"
            r"|\bnot the right amount\b|\bwrong (amount|balance)\b"
            r"|\bla cantidad (est[aá] mal|no es)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # A time or place they may not be called (1692c(a)(1)), before a full cease.
        "inconvenient",
        re.compile(
            r"\b(don'?t|do not|never|no) (call|contact|text) me (at|after|before|on|during|"
            r"between|in the)\b|\bno me llamen (al|a mi|en|despu[eé]s|antes)\b"
            # A time to call is a time not to call, said the other way round (1692c(a)(1)).
            r"|\b(call|reach|contact) me (only )?(after|before|between|in the|on|at night|"
            r"evenings?|mornings?|weekends?)\b|\bonly (call|contact) me\b"
            r"|\bi'?\s*a?m at work\b|\bi work (days|nights|until|till)\b|\bworking until\b"
            r"|\bll[aá]m(e|en)me (despu[eé]s|antes|solo|s[oó]lo|en la)\b|\bestoy trabajando\b"
            r"|\bno (calls|texts|calling) (before|after|at|on|during|between|in the)\b"
            r"|\b(don'?t|do not|never) (call|contact|text) (me at )?(my )?(work|job|office)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # The number reaches someone else: calls and texts to it tell a stranger of the debt.
        "wrong_number",
        re.compile(
            r"(?i:\bwrong (number|person|phone)\b|\bwrong\s*#|\bnot (the )?(right|same) person\b"
            r"|\bno one (here )?(by|named)\b|\b(don'?t|do not) know (who|any ?one)\b"
            r"|\bn[uú]mero equivocado\b|\bse equivoc\w+ de n[uú]mero\b"
            r"|\b(does not|doesn'?t|no longer) (live|lives|living) here\b|\bno vive aqu[ií]\b)"
            # "I am not Jose": a name, capitalised, where "I am not able" is no such thing.
            r"|\b(?i:don'?t|do not) (?i:know) (?i:any(?:one)?(?: named| by)?) [A-Z][a-z]+\b"
            r"|\b(?i:this is|i'?\s*a?m) not (?!(?:[Aa]ble|[Ss]ure|[Gg]oing|[Hh]ome|[Ww]orking)\b)"
            r"[A-Z][a-z]+\b|\b(?i:no soy) [A-Z][a-z]+\b",
        ),
    ),
    (
        "cease",
        re.compile(
            r"\bcease\b|\bleave me alone\b|\b(stop|quit) (calling|contacting|harass\w*)\b"
            r"|\b(don'?t|do not) (call|contact) me\b|\bno me llamen\b|\bharass\w*"
            r"|\bno (me )?(contacten|molesten)\b"
            # "Do not text or call me again", "never contact me again", "don't call this
            # number anymore": said of the person or the line, in any order of the verbs.
            r"|\b(don'?t|do not|never)\s+(ever\s+)?(call|contact|text|phone|email)\w*"
            r"(\s+(or|and|&)\s+(call|contact|text|phone|email)\w*)?\s+"
            r"(me|us|this (number|phone|line)|my (cell|phone|number))\b"
            r"|\bno more (calls|contact|calling)\b|\btake (me|my number) off\b"
            r"|\bremove my (number|phone)\b|\bdej[ae]n? de (llamar|molestar|contactar)\w*"
            r"|\bno me (vuelvan a )?(llamen|llames|contacten)\b",
            re.IGNORECASE,
        ),
    ),
)
#: Said of the sender, not a claim against the debt: "I'm a lawyer", "not disputing it".
_NOT_A_CONCERN = re.compile(
    r"\bi'?\s*a?m an? (lawyer|attorney)\b(?!.*\b(represent|client|behalf)\w*)"
    r"|\b(not|no|n'?t)\s+(a\s+)?disput\w*",
    re.IGNORECASE,
)

#: The sentence an agent reads next to a flagged text, per concern.
CONCERN_WORDS = {
    "attorney": "It names a lawyer: if the debtor is represented, only the attorney may be "
    "contacted about the debt.",
    "deceased": "It reports a death: contact stops, and only the estate's representative may "
    "be told of the debt.",
    "bankruptcy": "It mentions bankruptcy: collection stops while a bankruptcy stands.",
    "dispute": "It reads like a dispute: collection pauses while a dispute awaits validation.",
    "inconvenient": "It names a time or place they may not be called: record it on the "
    "debtor before the next call.",
    "wrong_number": "It says the number reaches someone else: retire it before anyone calls "
    "or texts it again.",
    "cease": "It asks us to stop contacting them: a request in writing to cease.",
    OTHER: "No rule matched its words: read it in case it is a dispute, a lawyer, a "
    "bankruptcy, a death or a request to stop, which may be worded any way.",
}
#: Concerns that wait for a person; "stop" is acted on when the text arrives.
NEEDS_A_PERSON = tuple(CONCERN_WORDS)
#: Concerns that hold all contact until a person has read the text. A text no rule matched
#: ("ok", "I'll pay Friday") waits for a reader without stopping a paying debtor's reminders.
HOLDING = tuple(c for c in NEEDS_A_PERSON if c != OTHER)
#: Holding concerns a lead may not close as "no hold needed" without saying why: each is a
#: reason to stop collecting if it is what it reads like.
NEEDS_A_REASON = frozenset({"attorney", "deceased", "bankruptcy", "dispute", "cease"})


class TextNotFound(LookupError):
    """No text with that id within the user's reach."""


def concern_of(body: str, opted_out: bool) -> str:
    """What the text asks a person to act on; "stop" when it only opted out; OTHER when no rule
    matched (a dispute may be worded any way, so a person reads it); "" for an empty text."""
    said = _NOT_A_CONCERN.sub(" ", body)
    for concern, words in _CONCERNS:
        if words.search(said):
            return concern
    if opted_out:
        return "stop"
    return OTHER if body.strip() else ""


def store_text(
    session: Session,
    sender: str,
    to: str,
    body: str,
    now: datetime,
    opted_out: bool,
    channel: str = "sms",
    read_as: str | None = None,
) -> InboundText:
    """Keeps the text (or email: `channel`) as it came, with its concern, found in `read_as`
    when given (an email's own words, not its subject line); the caller commits. A card
    number, SSN or card security code the debtor sent is taken out first (core.sensitive):
    leads, agents and the client's viewers read these, and exports and backups keep them."""
    text = InboundText(
        channel=channel,
        sender=sender[:254],
        to_address=to[:254],
        body=redact(body),
        received_at=now,
        concern=concern_of(body if read_as is None else read_as, opted_out),
    )
    session.add(text)
    return text


#: The debtor flag a text waiting for a person sets (compliance.reasons: no contact meanwhile).
REVIEW_FLAG = "text_review"
REVIEW_BY = "inbound-text"  # who the hold and its history name


def hold_for_review(session: Session, text: InboundText, now: datetime) -> None:
    """Holds every debtor holding the sender's number until a person has read the text: Reg F
    counts a dispute in writing from when it arrives, not from when someone reads it."""
    if text.concern not in HOLDING:
        return
    for debtor in debtors_of(session, text.sender):
        if REVIEW_FLAG not in debtor.flags:
            set_flags(debtor, [*debtor.flags, REVIEW_FLAG], REVIEW_BY, now)
            session.add(debtor)
            why = f"a {text.concern} message from {text.sender} waits to be read"
            _review_history(session, debtor, "set", why, REVIEW_BY, now)


def _review_history(
    session: Session, debtor: Debtor, action: str, why: str, actor: str, now: datetime
) -> None:
    """The review hold's set or lift in the hold history, which QA's audit replays: a hold on
    the person is written on their first account, as the outcomes do. A lift a lead already
    wrote there at this instant (closing a text with a reason) is not written twice."""
    first = session.exec(
        select(Account).where(Account.debtor_id == debtor.id).order_by(col(Account.id))
    ).first()
    if first is None:
        return
    if action == "lift":
        written = select(HoldChange.id).where(
            HoldChange.account_id == first.id, HoldChange.hold == REVIEW_FLAG,
            HoldChange.action == "lift", HoldChange.at == now,
        )  # fmt: skip
        if session.exec(written).first() is not None:
            return
    record_change(session, first, REVIEW_FLAG, action, "debtor", why, actor, now)


def debtors_of(session: Session, sender: str) -> list[Debtor]:
    """Every debtor with the sender's number, or email address (for an email)."""
    if "@" in sender:
        query = select(Debtor).join(Email, col(Email.debtor_id) == col(Debtor.id))
        query = query.where(func.lower(Email.address) == sender.lower())
    else:
        query = select(Debtor).join(Phone, col(Phone.debtor_id) == col(Debtor.id))
        query = query.where(Phone.number == sender)
    found = {d.id: d for d in session.exec(query)}
    return list(found.values())


def senders_of(session: Session, debtor_ids: list[int]) -> list[str]:
    """The debtors' numbers and email addresses (lowercase), as texts and emails name senders."""
    numbers = session.exec(select(Phone.number).where(col(Phone.debtor_id).in_(debtor_ids)))
    emails = session.exec(select(Email.address).where(col(Email.debtor_id).in_(debtor_ids)))
    return list(dict.fromkeys([*numbers, *(address.lower() for address in emails)]))


def _lift_review(session: Session, number: str, actor: str, now: datetime) -> None:
    """Lifts the review hold of the debtors holding `number` (or email address) who have no
    other text or email waiting."""
    for debtor in debtors_of(session, number):
        senders = senders_of(session, [debtor.id or 0])
        still = session.exec(
            select(InboundText.id).where(
                col(InboundText.sender).in_(senders),
                col(InboundText.concern).in_(HOLDING),
                col(InboundText.handled_at).is_(None),
            )
        ).first()
        if still is None and REVIEW_FLAG in debtor.flags:
            set_flags(debtor, [f for f in debtor.flags if f != REVIEW_FLAG], actor, now)
            session.add(debtor)
            _review_history(session, debtor, "lift", "no message waits to be read", actor, now)


def texts_from(
    session: Session,
    numbers: list[str],
    client_id: int,
    account_ids: list[int] | None = None,
    limit: int = 20,
) -> list[InboundText]:
    """The newest texts sent from any of `numbers` (a debtor's phones, and email addresses in
    lowercase for their emails) that can be about
    `client_id`'s accounts. A number another client's debtor also holds (one person placed by
    two creditors) is left out: its texts may speak of the other creditor's debt, which this
    client's screen must not show (1692c(b)), unless a lead said the text is about one of
    `account_ids`; the lead's list of texts shows them all to the agency."""
    if not numbers:
        return []
    shared = set(
        session.exec(
            select(Phone.number)
            .join(Debtor, col(Debtor.id) == col(Phone.debtor_id))
            .where(col(Phone.number).in_(numbers), Debtor.client_id != client_id)
        )
    )
    addresses = [n for n in numbers if "@" in n]
    if addresses:  # an email address another client's debtor also has
        shared |= {
            address.lower()
            for address in session.exec(
                select(Email.address)
                .join(Debtor, col(Debtor.id) == col(Email.debtor_id))
                .where(func.lower(Email.address).in_(addresses), Debtor.client_id != client_id)
            )
        }
    ours = set(account_ids or [])
    newest = (
        select(InboundText)
        .where(col(InboundText.sender).in_(numbers))
        .order_by(col(InboundText.received_at).desc(), col(InboundText.id).desc())
    )
    if not shared:  # the usual case: every text is this client's, the database limits them
        return list(session.exec(newest.limit(limit)))
    texts = session.exec(newest)
    found = []
    for text in texts:
        if text.sender not in shared or ours & set(text.account_ids):
            found.append(text)
            if len(found) == limit:
                break
    return found


def flag_words(text: InboundText) -> str:
    """The flag line an agent reads for a text still waiting for a person."""
    when = text.received_at.strftime("%Y-%m-%d %H:%M")
    quoted = " ".join(text.body.split())
    if len(quoted) > 160:
        quoted = quoted[:159] + "…"
    verb = "Emailed" if text.channel == "email" else "Texted"
    return (
        f"{verb} “{quoted}” on {when} UTC. {CONCERN_WORDS[text.concern]} "
        "A team lead must read it and set the hold if it is one."
    )


@dataclass(frozen=True)
class WaitingText:
    """A text a person has yet to read, with the accounts of the debtors holding its number."""

    text: InboundText
    accounts: list[tuple[Account, Debtor]]


def waiting_for_a_person(
    session: Session, client_id: int | None, limit: int = 50
) -> list[WaitingText]:
    """Unhandled texts with a concern, oldest first (the longest wait first); a lead bound to
    a client sees only texts from numbers of that client's debtors."""
    query = select(InboundText).where(
        col(InboundText.concern).in_(NEEDS_A_PERSON), col(InboundText.handled_at).is_(None)
    )
    if client_id is not None:
        numbers = (
            select(Phone.number)
            .join(Debtor, col(Debtor.id) == col(Phone.debtor_id))
            .where(Debtor.client_id == client_id)
        )
        addresses = (
            select(func.lower(Email.address))
            .join(Debtor, col(Debtor.id) == col(Email.debtor_id))
            .where(Debtor.client_id == client_id)
        )
        query = query.where(
            or_(col(InboundText.sender).in_(numbers), col(InboundText.sender).in_(addresses))
        )
    texts = session.exec(
        query.order_by(col(InboundText.received_at), col(InboundText.id)).limit(limit)
    )
    return [WaitingText(text, _accounts_of(session, text.sender, client_id)) for text in texts]


def _accounts_of(
    session: Session, number: str, client_id: int | None
) -> list[tuple[Account, Debtor]]:
    """The accounts of the debtors with the sender's number (or email address)."""
    query = select(Account, Debtor).join(Debtor, col(Debtor.id) == col(Account.debtor_id))
    if "@" in number:
        query = query.join(Email, col(Email.debtor_id) == col(Debtor.id)).where(
            func.lower(Email.address) == number.lower()
        )
    else:
        query = query.join(Phone, col(Phone.debtor_id) == col(Debtor.id)).where(
            Phone.number == number
        )
    query = query.order_by(col(Account.id))
    if client_id is not None:
        query = query.where(Debtor.client_id == client_id)
    # A debtor may hold the number twice (home and mobile); each account is listed once.
    found = {account.id: (account, debtor) for account, debtor in session.exec(query)}
    return list(found.values())


def accounts_for(session: Session, text_id: int, client_id: int | None) -> list[Account]:
    """The accounts a lead's action on a text reaches: its sender's debtors' (the lead's client
    only, for a lead bound to one)."""
    text = session.get(InboundText, text_id)
    if text is None:
        raise TextNotFound(f"no text {text_id}")
    return [account for account, _ in _accounts_of(session, text.sender, client_id)]


def mark_handled(
    session: Session,
    text_id: int,
    client_id: int | None,
    actor: str,
    now: datetime,
    about: Sequence[int] = (),
) -> InboundText:
    """Records that a person read the text and acted on it (on the accounts `about`, which the
    text then shows on), and lifts the review hold of its debtors once no other text of theirs
    waits; a second call changes nothing."""
    text = session.get(InboundText, text_id)
    if text is None or (
        client_id is not None and not _accounts_of(session, text.sender, client_id)
    ):
        raise TextNotFound(f"no text {text_id}")
    if text.handled_at is None:
        text.handled_by, text.handled_at = actor, now
        text.account_ids = sorted(set(about))
        text.updated_by, text.updated_at = actor, now
        session.add(text)
        session.flush()
        _lift_review(session, text.sender, actor, now)
    return text
