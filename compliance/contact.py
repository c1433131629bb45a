"""The plain data a decision is made from: who we want to reach, how, and what happened before.

These frozen pydantic models are both the engine's input and the `concord compliance check`
line format, so a field validated here is validated the same way for the CLI, the database
adapter and the dialer's hopper.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Annotated, Literal

import phonenumbers
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from compliance.profiles import Clock, PortfolioRules, resolve
from compliance.zones import STATE_ZONES

Channel = Literal["call", "sms", "email"]
#: "other_party": a connected call whose outcome says it reached someone other than the debtor,
#: or nobody (third party, wrong number, no contact). Reg F's week of rest follows a telephone
#: conversation with the person (1006.14(b)(2)(i)(B)); such a call counts toward 7-in-7 and, as
#: a message may have been left, for Massachusetts, but starts no rest.
Outcome = Literal[
    "no_answer", "busy", "voicemail", "abandoned", "conversation", "not_connected", "other_party"
]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Flag = Literal[
    "cease",
    "attorney",
    "bankruptcy",
    "deceased",
    "dispute",
    "text_review",
    "recalled",
    "validation_overdue",
]

WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Frozen(BaseModel):
    # extra="forbid": a misspelt "flag" silently dropped could hide a cease request.
    model_config = ConfigDict(frozen=True, extra="forbid")


# Parsing and validating a number costs about 0.2 ms, and the hopper, the console and QA's audit
# validate the same debtors' numbers again and again; bounded for a dialer running for weeks.
@lru_cache(maxsize=1 << 16)
def _check_number(number: str) -> str:
    try:
        parsed = phonenumbers.parse(number)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{number!r} is not a phone number in E.164 form (+ and digits)") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"{number!r} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class Address(_Frozen):
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "US"
    state: str | None = None
    postal_code: str | None = None

    @field_validator("state")
    @classmethod
    def _known_state(cls, state: str | None, info: ValidationInfo) -> str | None:
        if state is None or info.data.get("country") != "US":
            return state
        state = state.strip().upper()
        if state not in STATE_ZONES:
            raise ValueError(f"{state!r} is not a US state or territory code")
        return state


class Phone(_Frozen):
    number: str
    type: str = "unknown"
    # Reported as reaching someone else: no more calls or texts to it (TCPA, FDCPA 1692c(b)).
    wrong: bool = False
    # The debtor asked not to be called on it (a workplace that forbids calls, 1692c(a)(3)).
    no_calls: bool = False

    @field_validator("number")
    @classmethod
    def _valid(cls, number: str) -> str:
        return _check_number(number)


class InconvenientRange(_Frozen):
    """Times the consumer said are inconvenient: [start, end) on each day, local to the first
    address; end 24:00 is the end of the day."""

    days: Annotated[tuple[Weekday, ...], Field(min_length=1)]
    start: Clock
    end: Clock

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: int, info: ValidationInfo) -> int:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError("must be later than start")
        return end


class Debtor(_Frozen):
    addresses: tuple[Address, ...] = ()
    phones: tuple[Phone, ...] = ()
    emails: tuple[str, ...] = ()
    # Addresses known to be provided by the debtor's employer (Reg F 1006.22(f)(3)).
    work_emails: tuple[str, ...] = ()
    inconvenient: tuple[InconvenientRange, ...] = ()
    flags: tuple[Flag, ...] = ()
    dnc: bool = False
    sms_opt_out: bool = False
    email_opt_out: bool = False


class Account(_Frozen):
    id: str
    flags: tuple[Flag, ...] = ()


class Attempt(_Frozen):
    """A past contact attempt of this debtor, about `account` (any of the debtor's accounts)."""

    at: AwareDatetime
    channel: Channel
    account: str
    outcome: Outcome


class Consent(_Frozen):
    """The debtor, speaking with us, asked to be called about `account` in [start, end) (a
    callback they requested). Reg F 1006.14(b)(3)(i): a call made with such consent, given
    within the 7 days before it, is out of the 7-in-7 count and the rest after a conversation;
    the contact hours and every flag still apply."""

    given_at: AwareDatetime
    account: str
    start: AwareDatetime
    end: AwareDatetime

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError("must be later than start")
        return end


class Contact(_Frozen):
    """A contact we would like to make: the channel, the address or number, and all we know."""

    channel: Channel
    to: str
    profile: str = "us"
    portfolio: PortfolioRules | None = None
    debtor: Debtor
    account: Account
    history: tuple[Attempt, ...] = ()
    consents: tuple[Consent, ...] = ()
    # `to` is on the agency's own do-not-call list (core.stopped_numbers): whoever has the
    # number asked us to stop calls and texts to it, whichever debtor the contact is for.
    to_stopped: bool = False

    @field_validator("to")
    @classmethod
    def _reachable(cls, to: str, info: ValidationInfo) -> str:
        if info.data.get("channel") == "email":
            if "@" not in to.strip("@"):
                raise ValueError(f"{to!r} is not an email address")
            return to
        return _check_number(to)

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, profile: str) -> str:
        resolve(profile)
        return profile

    @field_validator("portfolio")
    @classmethod
    def _only_tightens(
        cls, rules: PortfolioRules | None, info: ValidationInfo
    ) -> PortfolioRules | None:
        profile = info.data.get("profile")
        if rules is not None and profile is not None:
            resolve(profile, rules)
        return rules
