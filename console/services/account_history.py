"""An account's written record for whoever must answer for it (a complaint, a client's audit):
the follow-ups planned for it, sent, held back or dropped and why, and every hold set or lifted
with who and why. The screen pop has the calls, texts, payments and promises; this adds what
was decided without a call."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from core.models import HoldChange
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
    holds = db.exec(
        select(HoldChange)
        .where(HoldChange.account_id == account_id)
        .order_by(col(HoldChange.at).desc(), col(HoldChange.id).desc())
        .limit(SHOWN)
    ).all()
    return AccountHistory(list(messages), list(holds))
