"""Compliance engine: one rule engine every channel asks before it reaches a debtor.

`decide(contact, at)` answers for one contact, `batch.callable_now` for a hopper's portfolio,
`store` loads contacts from the database, and `explain(reason)` words a reason for the console.
"""

from compliance.contact import Contact
from compliance.engine import Decision, blocking_reasons, decide
from compliance.profiles import RULES_VERSION
from compliance.reasons import Reason, explain

__all__ = [
    "RULES_VERSION",
    "Contact",
    "Decision",
    "Reason",
    "blocking_reasons",
    "decide",
    "explain",
]
