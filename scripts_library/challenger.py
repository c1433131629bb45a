"""Champion and challenger: a share of a campaign's accounts is read another script, so the floor
learns which words collect better before changing every call.

The split is by account, stable and reproducible: an account gets the same script at every call
of the campaign (the debtor hears one voice of the agency, and the figures compare accounts, not
calls), in every process (a hash of the campaign and account ids, not Python's salted `hash`).
Raising the share only moves accounts from the champion to the challenger, never back.
"""

from __future__ import annotations

import hashlib

CHAMPION = "champion"
CHALLENGER = "challenger"
#: A challenger is a test: at most half the accounts, so the champion's figures stay the baseline.
MAX_SHARE = 50


def bucket(campaign_id: int, account_id: int) -> int:
    """The account's place, 0-99, in the campaign's split."""
    digest = hashlib.sha256(f"{campaign_id}:{account_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def arm(campaign_id: int, account_id: int, share: int) -> str:
    """CHALLENGER for `share` percent of the campaign's accounts, CHAMPION for the rest."""
    if not 0 <= share <= MAX_SHARE:
        raise ValueError(f"share must be 0-{MAX_SHARE} percent, got {share}")
    return CHALLENGER if bucket(campaign_id, account_id) < share else CHAMPION
