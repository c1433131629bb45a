"""Signed links in messages: the payment page of one account, and the unsubscribe of one channel.

Tokens are itsdangerous signatures over small JSON payloads. A payment link carries its own
expiry (`exp`, seconds since the epoch) rather than a signing timestamp, so the same promise
always renders the same URL and a re-rendered message stays byte-identical. Unsubscribe links
never expire: Reg F 1006.6(e) wants the opt-out to keep working for as long as the message exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeSerializer

PAY_SALT = "concord.outreach.pay"
UNSUBSCRIBE_SALT = "concord.outreach.unsubscribe"


class LinkError(ValueError):
    """A link that was tampered with, expired or malformed; the message is safe to show, and
    `code` (link_invalid, link_expired, unsubscribe_invalid) names it in outreach.page_words."""

    def __init__(self, message: str, code: str = "link_invalid", account_id: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.account_id = account_id  # an expired link's account: its page names whom to call


@dataclass(frozen=True)
class PaymentLink:
    """What a payment link lets its holder do: pay `amount_minor` on one account."""

    account_id: int
    amount_minor: int
    expires_at: datetime
    promise_id: int | None = None
    installment_id: int | None = None


@dataclass(frozen=True)
class UnsubscribeLink:
    """Whose opt-out a link records, for which channel and address."""

    debtor_id: int
    channel: str
    address: str


def sign_payment(secret: str, link: PaymentLink) -> str:
    payload = {
        "a": link.account_id,
        "m": link.amount_minor,
        "exp": int(link.expires_at.timestamp()),
        "p": link.promise_id,
        "i": link.installment_id,
    }
    return URLSafeSerializer(secret, salt=PAY_SALT).dumps(payload)


def load_payment(secret: str, token: str, now: datetime) -> PaymentLink:
    """The link behind `token`; raises LinkError when forged or past its expiry."""
    try:
        data = URLSafeSerializer(secret, salt=PAY_SALT).loads(token)
        link = PaymentLink(
            account_id=int(data["a"]),
            amount_minor=int(data["m"]),
            expires_at=datetime.fromtimestamp(int(data["exp"]), UTC),
            promise_id=data.get("p"),
            installment_id=data.get("i"),
        )
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise LinkError("This payment link is not valid. Please call us for a new one.") from exc
    if now >= link.expires_at:
        raise LinkError(
            "This payment link has expired. Please call us for a new one.",
            "link_expired",
            link.account_id,
        )
    return link


def sign_unsubscribe(secret: str, link: UnsubscribeLink) -> str:
    payload = {"d": link.debtor_id, "c": link.channel, "to": link.address}
    return URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).dumps(payload)


def load_unsubscribe(secret: str, token: str) -> UnsubscribeLink:
    """The opt-out behind `token`; raises LinkError when forged or malformed."""
    try:
        data = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).loads(token)
        return UnsubscribeLink(int(data["d"]), str(data["c"]), str(data["to"]))
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise LinkError("This unsubscribe link is not valid.", "unsubscribe_invalid") from exc
