"""Who may open a payment link's page: the debtor, told apart from whoever else holds the link.

Links land on shared phones and family inboxes, and the page shows the balance: showing it to a
relative is telling a third party about the debt (FDCPA 1692c(b)). A postal code alone is no
proof (a city has a few dozen, tried in a minute), so the page asks for every detail the file
holds, date of birth and postal code alike, as the agent's identity card does; and a link whose
page has been answered wrong five times is closed for an hour, the debtor told to call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import redis
from sqlmodel import Session, select

from core.identity import check_identity, confirms
from core.models import Address, Debtor

TRIES = 5
LOCK_SECONDS = 3600


def identity_confirmed(session: Session, debtor: Debtor, dob: str, postal: str) -> bool:
    """True when every detail the file holds was given and matches; never with none on file."""
    try:
        said_birth = date.fromisoformat(dob.strip()) if dob.strip() else None
    except ValueError:
        return False
    codes = [
        code
        for code in session.exec(select(Address.postal_code).where(Address.debtor_id == debtor.id))
        if code
    ]
    found = check_identity(said_birth, postal, debtor.date_of_birth, codes)
    return confirms(found, debtor.date_of_birth, codes)  # nothing on file: they must call


@dataclass(frozen=True)
class VerifyTries:
    """Wrong answers per account, in Redis (shared by every console process), for an hour.

    Per account, not per link: every message carries a link of its own, and a link's signature
    reads the same in several spellings, so a count per link string gave whoever holds the
    debtor's phone many more guesses at the birth date and ZIP than TRIES."""

    connection: redis.Redis[bytes]

    @staticmethod
    def _key(account_id: int) -> str:
        return f"concord:pay:wrong:account:{account_id}"

    def locked(self, account_id: int) -> bool:
        return int(self.connection.get(self._key(account_id)) or 0) >= TRIES

    def wrong(self, account_id: int) -> None:
        key = self._key(account_id)
        with self.connection.pipeline() as pipe:
            pipe.incr(key)
            pipe.expire(key, LOCK_SECONDS)
            pipe.execute()

    def confirmed(self, account_id: int) -> None:
        self.connection.delete(self._key(account_id))
