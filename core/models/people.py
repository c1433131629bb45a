"""Users of Concord and their teams; roles decide which routes and tenants they may see."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field

from core.models.base import Audited


class Role(StrEnum):
    """Who the user is on the floor."""

    AGENT = "agent"
    TEAM_LEAD = "team_lead"
    QA = "qa"
    CLIENT_VIEWER = "client_viewer"
    ADMIN = "admin"


class Team(Audited, table=True):
    """A group of agents; its leads are the users with role team_lead and this team_id."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)


class User(Audited, table=True):
    """A person who logs in; a client viewer is bound to one client (tenant)."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    full_name: str = Field(default="", max_length=160)
    password_hash: str = Field(max_length=256)
    role: str = Field(default=Role.AGENT.value, max_length=20)
    client_id: int | None = Field(default=None, foreign_key="client.id")
    team_id: int | None = Field(default=None, foreign_key="team.id")
    extension: str = Field(default="", max_length=40, description="softphone / agent bridge id")
    is_active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None
