"""The fixed part of the demo: clients, portfolios, disposition codes, the team and its users.

Two clients with different books (a card issuer, a utility) so tenant separation shows, and
three portfolios at different ages of debt so segments and settlement bands differ.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from core.dispositions import STANDARD_CODES
from core.models import Role


@dataclass(frozen=True, slots=True)
class DemoClient:
    code: str
    name: str
    business_name: str
    callback_number: str
    contact: str  # the person its limited-content message names, who answers that number


@dataclass(frozen=True, slots=True)
class DemoPortfolio:
    """A placement and how its debt looks: balance spread (lognormal), age, payment habits."""

    client_code: str
    name: str
    share: float  # of all demo debtors
    median_principal: float  # dollars
    sigma: float  # lognormal spread
    interest_rate: tuple[float, float]  # share of principal, low-high
    age_days: tuple[int, int]  # days delinquent, low-high
    paying_share: float  # accounts with a payment history
    settlement_min_pct: int
    dial_mode: str
    creditor: str
    # A shipped call script (scripts_library/scripts) fitting the debt's stage. Every demo book
    # is placed in default with the agency, a third party: no first-party script, which would
    # have the agent speak as the creditor without the 1692e(11) disclosure.
    script: str
    # A script test on the book's campaign: (challenger script, share of accounts in percent).
    challenger: tuple[str, int] | None = None


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    extension: str = ""
    client_code: str | None = None  # a client viewer sees one client only


# The business name is the agency's own trade name, said in voicemails and written follow-ups:
# a name that does not say "debt collection" (Reg F 1006.2(j)) yet is the agency's, never a
# variant of the creditor's brand (1692e(14)), so the debtor reads what the caller said.
CLIENTS = (
    DemoClient("DEMO-NWB", "Northwind Bank", "Concord Services", "+18005550110", "Morgan Blake"),
    DemoClient("DEMO-CTU", "Contoso Utilities", "Concord Services", "+18885550120", "Jordan Lee"),
)
PORTFOLIOS = (
    DemoPortfolio("DEMO-NWB", "Cards 2026-Q3", 0.40, 1_500, 0.9, (0.10, 0.25), (45, 240), 0.40,
                  70, "predictive", "Northwind Bank Visa", "third_party_first_contact",
                  ("first_contact_options", 30)),
    DemoPortfolio("DEMO-NWB", "Charged-off 2024", 0.34, 2_800, 1.0, (0.15, 0.35), (420, 1_800),
                  0.15, 50, "progressive", "Northwind Bank Visa", "settlement_offer"),
    DemoPortfolio("DEMO-CTU", "Utilities 2026-09", 0.26, 350, 0.7, (0.0, 0.0), (40, 400), 0.35,
                  90, "preview", "Contoso Utilities Electric", "third_party_first_contact"),
)  # fmt: skip
TEAM_NAME = "Demo floor A"
USERS = (
    DemoUser("demo.agent1", "Alex Rivera", Role.AGENT, "1001"),
    DemoUser("demo.agent2", "Jordan Lee", Role.AGENT, "1002"),
    DemoUser("demo.agent3", "Sam Okafor", Role.AGENT, "1003"),
    DemoUser("demo.lead", "Morgan Blake", Role.TEAM_LEAD, "1004"),  # takes transferred calls
    DemoUser("demo.qa", "Casey Nguyen", Role.QA),
    DemoUser("demo.viewer", "Northwind Analyst", Role.CLIENT_VIEWER, client_code="DEMO-NWB"),
    DemoUser("demo.admin", "Robin Admin", Role.ADMIN),
)

DISPOSITIONS = STANDARD_CODES  # the demo clients start like any new client


def demo_password(seed: int, username: str) -> str:
    """The demo login's password, derived from the seed so a test can sign in with it.

    Demo only: anyone who knows the seed knows the passwords; real users set their own.
    """
    digest = hashlib.blake2b(f"concord-demo:{seed}:{username}".encode(), digest_size=9).digest()
    return base64.b32encode(digest).decode().lower()[:14]
