"""Concord's domain tables. Import from here: `from core.models import Account`."""

from core.models.accounts import (
    ACCOUNT_FLAGS,
    Account,
    HoldChange,
    Payment,
    PaymentPlan,
    PlanInstallment,
    PromiseToPay,
)
from core.models.base import Audited, from_minor, to_minor, utcnow
from core.models.contacts import (
    Callback,
    Campaign,
    CampaignAgent,
    Channel,
    ContactAttempt,
    DispositionCategory,
    DispositionCode,
)
from core.models.parties import Address, Client, Debtor, Email, Phone, Portfolio, StoppedNumber
from core.models.people import Role, Team, User

__all__ = [
    "ACCOUNT_FLAGS",
    "Account",
    "Address",
    "Audited",
    "Callback",
    "Campaign",
    "CampaignAgent",
    "Channel",
    "Client",
    "ContactAttempt",
    "Debtor",
    "DispositionCategory",
    "DispositionCode",
    "Email",
    "HoldChange",
    "Payment",
    "PaymentPlan",
    "Phone",
    "PlanInstallment",
    "Portfolio",
    "PromiseToPay",
    "Role",
    "StoppedNumber",
    "Team",
    "User",
    "from_minor",
    "to_minor",
    "utcnow",
]
