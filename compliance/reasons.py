"""Reason codes for a blocked contact, and the words the console shows for each.

The codes are a contract: the dialer, the outreach workers, QA and the `concord compliance check`
output all carry them, and stored decisions keep them for years, so a code is never renamed.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a contact is blocked; declared in the order decisions list them."""

    OUTSIDE_HOURS = "outside_hours"
    CONSUMER_INCONVENIENT_TIME = "consumer_inconvenient_time"
    WEEKLY_CALL_CAP = "weekly_call_cap"
    RECENT_CONVERSATION = "recent_conversation"
    STATE_CALL_CAP = "state_call_cap"
    NYC_ATTEMPT_CAP = "nyc_attempt_cap"
    ABANDON_REDIAL_LOCKOUT = "abandon_redial_lockout"
    CEASE = "cease"
    ATTORNEY = "attorney"
    BANKRUPTCY = "bankruptcy"
    DECEASED = "deceased"
    DISPUTE = "dispute"
    DNC = "dnc"
    OPTED_OUT = "opted_out"
    WRONG_NUMBER = "wrong_number"
    TEXT_REVIEW = "text_review"
    RECALLED = "recalled"
    VALIDATION_OVERDUE = "validation_overdue"
    NO_CALLS_HERE = "no_calls_here"
    WORK_EMAIL = "work_email"
    STOPPED_NUMBER = "stopped_number"


#: Reasons that time alone never lifts: only a change to a flag, a list or an opt-out can.
PERMANENT: frozenset[Reason] = frozenset(
    {
        Reason.CEASE,
        Reason.ATTORNEY,
        Reason.BANKRUPTCY,
        Reason.DECEASED,
        Reason.DISPUTE,
        Reason.DNC,
        Reason.OPTED_OUT,
        Reason.WRONG_NUMBER,
        Reason.TEXT_REVIEW,
        Reason.RECALLED,
        Reason.VALIDATION_OVERDUE,
        Reason.NO_CALLS_HERE,
        Reason.WORK_EMAIL,
        Reason.STOPPED_NUMBER,
    }
)

#: The flag strings used in data and in the check file format, each blocking every channel.
FLAG_REASONS: dict[str, Reason] = {
    "cease": Reason.CEASE,
    "attorney": Reason.ATTORNEY,
    "bankruptcy": Reason.BANKRUPTCY,
    "deceased": Reason.DECEASED,
    "dispute": Reason.DISPUTE,
    # Set by a text a person must read (outreach.inbound); lifted when a lead has read it.
    "text_review": Reason.TEXT_REVIEW,
    # The client took the account back (recalled, sold, settled on its own books): no one here
    # may collect it any longer (`concord accounts holds ... --add recalled`).
    "recalled": Reason.RECALLED,
    # Never stored: the database adapter derives it from the first conversation and the
    # notice's date for the instant asked about (compliance.validation).
    "validation_overdue": Reason.VALIDATION_OVERDUE,
}

EXPLANATIONS: dict[Reason, str] = {
    Reason.OUTSIDE_HOURS: (
        "It is outside the allowed contact hours (08:00-21:00 unless the profile or portfolio "
        "is stricter, or a holiday) in at least one place the debtor may be."
    ),
    Reason.CONSUMER_INCONVENIENT_TIME: (
        "The debtor told us this time is inconvenient for them; do not contact them now."
    ),
    Reason.WEEKLY_CALL_CAP: (
        "This account has already been called 7 times in the last 7 days (Reg F 1006.14)."
    ),
    Reason.RECENT_CONVERSATION: (
        "We spoke with the debtor about this account within the last 7 days; no calls until "
        "the 8th day (Reg F 1006.14)."
    ),
    Reason.STATE_CALL_CAP: (
        "This debt has reached the state limit on call communications (answered calls, "
        "voicemails and texts) in 7 days: Massachusetts allows 2 when the debtor has an address "
        "there or the portfolio is worked under its rules, fewer if the portfolio says so."
    ),
    Reason.NYC_ATTEMPT_CAP: (
        "An address on file puts the debtor in New York City, where we may try to reach them "
        "at most 3 times in 7 days across calls, texts and emails, all their accounts "
        "together; that limit has been reached."
    ),
    Reason.ABANDON_REDIAL_LOCKOUT: (
        "A call to this debtor was abandoned in the last 72 hours; it may not be redialed yet."
    ),
    Reason.CEASE: "The debtor asked us to stop contacting them about this debt.",
    Reason.ATTORNEY: "The debtor is represented by an attorney; contact the attorney instead.",
    Reason.BANKRUPTCY: "The debtor is in bankruptcy; collection contact is stopped.",
    Reason.DECEASED: "The debtor is reported deceased; do not contact this account.",
    Reason.DISPUTE: "The debt is disputed and awaits validation; collection is paused.",
    Reason.DNC: "The number is on the do-not-call list; no calls or text messages.",
    Reason.OPTED_OUT: "The debtor opted out of this channel (SMS or email).",
    Reason.WRONG_NUMBER: (
        "This number reached someone other than the debtor; it is not called or texted again."
    ),
    Reason.TEXT_REVIEW: (
        "The debtor sent a text a team lead must read first (a dispute, a lawyer, a bankruptcy, "
        "a request to stop or a time not to call); no contact until it is handled."
    ),
    Reason.RECALLED: (
        "The client recalled this account (taken back, sold or settled on its own books): it is "
        "no longer ours to collect, so no call, text or email."
    ),
    Reason.NO_CALLS_HERE: (
        "The debtor asked not to be called on this number (a workplace that does not allow "
        "calls, 1692c(a)(3)); call another number they gave."
    ),
    Reason.WORK_EMAIL: (
        "This email address is provided by the debtor's employer, who may read it (Reg F "
        "1006.22(f)(3)): nothing is sent to it."
    ),
    Reason.STOPPED_NUMBER: (
        "Whoever has this number asked us to stop calling it (pressed 9 at our message, or "
        "wrote in): it is on the agency's do-not-call list, so no call or text, whoever it is "
        "for; a team lead takes it off only with a reason."
    ),
    Reason.VALIDATION_OVERDUE: (
        "We first spoke with the debtor about this debt more than 5 business days ago and no "
        "validation notice is on record as sent (FDCPA 1692g, Reg F 1006.34): no contact until "
        "it is sent and recorded (`concord accounts validation`)."
    ),
}

_ORDER: dict[Reason, int] = {reason: index for index, reason in enumerate(Reason)}


def explain(reason: Reason | str) -> str:
    """The sentence an agent reads for a reason code; raises ValueError for an unknown code."""
    return EXPLANATIONS[Reason(reason)]


def ordered(reasons: set[Reason]) -> tuple[Reason, ...]:
    """Reasons in their declared order, so the same situation always reads the same way."""
    return tuple(sorted(reasons, key=_ORDER.__getitem__))
