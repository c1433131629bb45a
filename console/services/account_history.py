"""An account's written record for whoever must answer for it (a complaint, a client's audit):
the follow-ups planned for it, sent, held back or dropped and why, and every hold set or lifted
with who and why. The screen pop has the calls, texts, payments and promises; this adds what
was decided without a call."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, and_, col, or_, select

from core.models import Account, HoldChange
from outreach.models import OutreachMessage

SHOWN = 50


@dataclass(frozen=True)
class AccountHistory:
    messages: list[OutreachMessage]  # newest due first
    holds: list[HoldChange]  # newest first


def account_history(db: Session, account_id: int) -> AccountHistory:
    messages = db.exec(
        select(OutreachMessage)
        .where(OutreachMessage.account_id == account_id)
        .order_by(col(OutreachMessage.due_at).desc(), col(OutreachMessage.id).desc())
        .limit(SHOWN)
    ).all()
    # A hold on the person (a bankruptcy, a death, a cease, a text's review) is kept on the
    # account it was set from, yet stops all their accounts with the client: each of those
    # pages shows it, or one showed a lift of a hold it never set and the other a hold never
    # lifted.
    account = db.get(Account, account_id)
    siblings = (
        select(Account.id).where(
            Account.debtor_id == account.debtor_id, Account.client_id == account.client_id
        )
        if account is not None
        else select(Account.id).where(Account.id == account_id)
    )
    holds = db.exec(
        select(HoldChange)
        .where(
            or_(
                HoldChange.account_id == account_id,
                and_(
                    HoldChange.level == "debtor",
                    col(HoldChange.account_id).in_(siblings),
                ),
            )
        )
        .order_by(col(HoldChange.at).desc(), col(HoldChange.id).desc())
        .limit(SHOWN)
    ).all()
    return AccountHistory(list(messages), list(holds))
