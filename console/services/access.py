"""Who may see which account: the tenant (client) and, for agents, their assigned campaigns.

An account outside the user's reach is reported as missing (404), never as forbidden, so a URL
guessed across tenants does not even confirm that the account exists.
"""

from __future__ import annotations

from sqlmodel import Session, select

from core.models import Account, Campaign, CampaignAgent, Role, User


class AccountNotFound(LookupError):
    """No such account for this user (it may exist for another tenant)."""


def assigned_campaigns(db: Session, user: User) -> list[Campaign]:
    """Active campaigns the agent works, in a stable order (the first is their default). An
    agent bound to one client works only that client's campaigns, whatever a campaigns file
    assigned: every read of the agent's accounts (search, next account, the screen) goes
    through here."""
    query = (
        select(Campaign)
        .join(CampaignAgent, CampaignAgent.campaign_id == Campaign.id)  # type: ignore[arg-type]
        .where(CampaignAgent.user_id == user.id, Campaign.active == True)  # noqa: E712
        .order_by(Campaign.id)  # type: ignore[arg-type]
    )
    if user.client_id is not None:
        query = query.where(Campaign.client_id == user.client_id)
    return list(db.exec(query))


def may_see(db: Session, user: User, account: Account) -> bool:
    """Whether `user` may open `account`. A login bound to one client (`--client`) never
    reaches another client's accounts, whatever its role: an admin made for a client's own IT
    is that client's admin, not the agency's."""
    if user.client_id is not None and user.client_id != account.client_id:
        return False
    if user.role == Role.ADMIN.value:
        return True
    if user.role == Role.AGENT.value:
        return any(
            c.client_id == account.client_id and account.portfolio_id in c.portfolio_ids
            for c in assigned_campaigns(db, user)
        )
    if user.role == Role.CLIENT_VIEWER.value:
        return user.client_id == account.client_id
    # Team leads and QA of the agency see every client unless bound to one.
    return user.role in {Role.TEAM_LEAD.value, Role.QA.value}


def visible_account(db: Session, user: User, account_id: int) -> Account:
    account = db.get(Account, account_id)
    if account is None or not may_see(db, user, account):
        raise AccountNotFound(account_id)
    return account


def campaign_for(db: Session, user: User, account: Account) -> Campaign | None:
    """The agent's campaign that covers this account (for wrap-up time and script)."""
    for campaign in assigned_campaigns(db, user):
        if covers(campaign, account):
            return campaign
    return None


def covers(campaign: Campaign, account: Account) -> bool:
    """The account is in one of the campaign's portfolios (of the campaign's own client)."""
    return (
        campaign.client_id == account.client_id and account.portfolio_id in campaign.portfolio_ids
    )
