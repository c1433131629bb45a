"""A campaign's script test read from the stored calls: each call's outcome, promise and plan,
under the script the agent actually had on screen (the attempt's `script_name`), so a share
changed mid-test, or a script edited, still counts each call where it belongs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from core.dispositions import RIGHT_PARTY
from core.models import (
    Account,
    Campaign,
    ContactAttempt,
    DispositionCode,
    PaymentPlan,
    PromiseToPay,
)
from qa.challenger import ArmFigures, Comparison


def _in_campaign(query: Any, campaign_id: int, since: datetime) -> Any:
    # Calls with an outcome only, tested on the campaign ledger index before any row is read:
    # most of a predictive campaign's placements never reach an agent.
    return query.where(
        col(ContactAttempt.campaign_id) == campaign_id,
        col(ContactAttempt.started_at) >= since,
        col(ContactAttempt.disposition_code_id).is_not(None),
        col(ContactAttempt.script_name) != "",
    )


def compare(db: Session, campaign: Campaign, since: datetime) -> Comparison | None:
    """The campaign's champion and challenger since `since`; None for a campaign with no test."""
    if not campaign.challenger_script or campaign.id is None:
        return None
    script = col(ContactAttempt.script_name)
    calls = _in_campaign(
        select(
            script,
            func.count(),
            func.count(func.distinct(ContactAttempt.account_id)),
            func.sum(case((col(DispositionCode.category).in_(RIGHT_PARTY), 1), else_=0)),
        ).join(DispositionCode, col(DispositionCode.id) == col(ContactAttempt.disposition_code_id)),
        campaign.id,
        since,
    ).group_by(script)
    promises = _in_campaign(
        select(
            script,
            func.count(),
            func.sum(PromiseToPay.amount_minor),
            func.sum(case((col(PromiseToPay.status) == "kept", 1), else_=0)),
        ).join(ContactAttempt, col(ContactAttempt.id) == col(PromiseToPay.contact_attempt_id)),
        campaign.id,
        since,
    ).group_by(script)
    plans = _in_campaign(
        select(script, func.count(), func.sum(PaymentPlan.total_minor)).join(
            ContactAttempt, col(ContactAttempt.id) == col(PaymentPlan.contact_attempt_id)
        ),
        campaign.id,
        since,
    ).group_by(script)
    figures: dict[str, dict[str, int]] = {}
    for name, count, accounts, right_party in db.exec(calls):
        figures[name] = {"calls": count, "accounts": accounts, "right_party": right_party or 0}
    for name, count, amount, kept in db.exec(promises):
        row = figures.setdefault(name, {})
        row.update(promises=count, promised_minor=amount or 0, kept=kept or 0)
    for name, count, amount in db.exec(plans):
        row = figures.setdefault(name, {})
        row["promises"] = row.get("promises", 0) + count
        row["promised_minor"] = row.get("promised_minor", 0) + (amount or 0)
    challenger = ArmFigures(
        campaign.challenger_script, **figures.pop(campaign.challenger_script, {})
    )
    # Everything else the campaign's calls read is the champion: its own script (a client's
    # variant or an older version carries the same name), or the library's default when the
    # campaign names none.
    champion = campaign.script_name or max(
        figures, key=lambda name: figures[name].get("calls", 0), default="(the default script)"
    )
    merged: dict[str, int] = {}
    for row in figures.values():
        for key, value in row.items():
            merged[key] = merged.get(key, 0) + value
    currency = db.exec(
        select(Account.currency).where(col(Account.portfolio_id).in_(campaign.portfolio_ids))
    ).first()
    return Comparison(ArmFigures(champion, **merged), challenger, currency or "USD")


def running_tests(
    db: Session, client_id: int | None, since: datetime
) -> list[tuple[Campaign, Comparison]]:
    """Every active campaign testing a challenger script (of `client_id`, when given), with its
    figures since `since`, by name."""
    query = select(Campaign).where(
        col(Campaign.active).is_(True), col(Campaign.challenger_script) != ""
    )
    if client_id is not None:
        query = query.where(Campaign.client_id == client_id)
    found = [(c, compare(db, c, since)) for c in db.exec(query.order_by(col(Campaign.name)))]
    return [(campaign, test) for campaign, test in found if test is not None]
