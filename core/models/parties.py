"""The parties: the client (tenant), its portfolios, and the debtors with their contact points."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, text
from sqlmodel import Field, UniqueConstraint

from core.models.base import Audited, json_column


class Client(Audited, table=True):
    """A creditor business that places accounts with us; the tenant boundary of every query."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=40)
    name: str = Field(max_length=200)
    # The name debtors may hear in a limited-content message (never the word "debt").
    business_name: str = Field(default="", max_length=200)
    callback_number: str = Field(default="", max_length=20)
    # The person that message names for the debtor to ask for (Reg F 1006.2(j)(1)(iii)), one
    # who answers the callback number; "" falls back to the agency's CONCORD_MESSAGE_CONTACT_NAME.
    message_contact: str = Field(default="", max_length=80)
    reading_grade_max: int = Field(default=8)
    settings: dict[str, Any] = json_column(dict)

    def collector_name(self, agency_name: str) -> str:
        """Who a text, email or payment page says it is from: the business name, else the
        agency's own (CONCORD_AGENCY_NAME), never the creditor's: "this is Northwind Bank ...
        a message from a debt collector" uses a name that is not the collector's (1692e(14))."""
        return self.business_name.strip() or agency_name


class Portfolio(Audited, table=True):
    """A placement from a client, with the rules that govern working it."""

    __table_args__ = (UniqueConstraint("client_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    name: str = Field(max_length=200)
    calling_profile: str = Field(default="us", max_length=20)
    # Tightenings on top of the profile: narrower hours, holidays, lower caps.
    compliance_overrides: dict[str, Any] = json_column(dict)
    # Settlement band: the lowest share of the balance the client accepts (e.g. 0.60 = 40% off).
    settlement_min_pct: int = Field(default=100, description="percent of balance, 1-100")
    promise_max_days: int = Field(default=30)
    plan_max_installments: int = Field(default=12)
    script_set: str = Field(default="default", max_length=80)
    followup_templates: dict[str, Any] = json_column(dict)
    # What a machine gets: "voicemail" (limited-content) or "hangup".
    machine_action: str = Field(default="voicemail", max_length=20)
    # Years after delinquency a debt of this placement may be time-barred (compliance.limitations).
    limitation_years: int = Field(default=3)


class Debtor(Audited, table=True):
    """A consumer who owes one or more accounts to one client."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    first_name: str = Field(max_length=120)
    last_name: str = Field(max_length=120)
    date_of_birth: date | None = None
    preferred_language: str = Field(default="en", max_length=8)
    # Consumer-stated inconvenient times: [{"days": ["sat"], "start": "00:00", "end": "24:00"}]
    inconvenient_times: list[dict[str, Any]] = json_column(list)
    flags: list[str] = json_column(list)
    dnc: bool = False
    sms_opt_out: bool = False
    email_opt_out: bool = False


class Address(Audited, table=True):
    """A known address; every one of them widens the set of time zones the debtor may be in."""

    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    position: int = 0
    line1: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=120)
    state: str = Field(default="", max_length=40)
    postal_code: str = Field(default="", max_length=20)
    country: str = Field(default="US", max_length=2)


class Phone(Audited, table=True):
    """A phone number in E.164 with its type and the consent we hold for it."""

    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    position: int = 0
    number: str = Field(max_length=20, index=True)
    # Digits to ask for once through (a workplace switchboard): a person dials such a number.
    extension: str = Field(default="", max_length=10)
    type: str = Field(default="mobile", max_length=12, description="mobile, landline or work")
    consent: bool = False
    # When an outcome said the number reaches someone else; the engine refuses it from then.
    wrong_number_at: datetime | None = None
    # When the debtor asked not to be called on this number (a workplace that forbids calls,
    # 1692c(a)(3), or a phone they want left alone): no calls to it from then; texts to a
    # mobile follow their own consent and opt-outs.
    no_calls_at: datetime | None = None
    # The FCC reassigned-numbers database's last answer for the number (core.reassigned): yes,
    # no or no_data, the date it was asked about, and when the answer was imported: the
    # evidence of the TCPA safe harbour for calls made after a "no".
    rnd_result: str = Field(default="", max_length=8)
    rnd_since: date | None = None
    rnd_checked_at: datetime | None = None


class Email(Audited, table=True):
    """An email address for written follow-ups."""

    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    position: int = 0
    # Indexed: a follow-up is never sent to an address another person on file also has.
    address: str = Field(max_length=254, index=True)
    # Given to the debtor by their employer (the debtor or an agent said so): never written to,
    # Reg F 1006.22(f)(3), since the employer may read it.
    work: bool = False


class StoppedNumber(Audited, table=True):
    """A number on the agency's own do-not-call list: whoever holds the line asked this agency
    to stop calling and texting it (a 9 pressed at our message, a letter from the line's
    owner). It stops the number for every debtor and client, including debtors placed later
    with it and numbers typed into a preview dial, which per-debtor phone rows cannot do.
    A lifted entry stays, with who lifted it and why, as the evidence of both."""

    __tablename__ = "stopped_number"
    # One entry in force per number; lifted ones are kept beside it.
    __table_args__ = (
        Index(
            "ix_stopped_number_in_force",
            "number",
            unique=True,
            sqlite_where=text("lifted_at IS NULL"),
            postgresql_where=text("lifted_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, index=True)
    since: datetime
    # keypad (a 9 pressed at the message) or asked (a person wrote or called in; a lead added it)
    how: str = Field(max_length=12)
    detail: str = Field(default="", max_length=500)
    lifted_at: datetime | None = None
    lifted_by: str = Field(default="", max_length=120)
    lift_reason: str = Field(default="", max_length=500)
