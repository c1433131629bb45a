"""Applying a campaigns file to the database, and writing the stored campaigns back as one.

The file names things the way people do (client codes, portfolio names, usernames, script
names); here those names are checked against the database and the script library, every
problem at once, before anything is written. A file is applied in one transaction: either every
campaign in it is as the file says, or nothing changed. Campaigns the file does not list are
left alone (a file per client is fine). The dialer reads the result within 30 s (it reloads
campaign settings on its own), so no restart is needed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from core.admin_file import Change, NamesNotFound, Path
from core.admin_store import client_codes, export_scope, listing, namesake, unknown_clients
from core.models import Campaign, CampaignAgent, Client, Portfolio, Role, User
from core.phones import e164
from dialer.campaign_file import (
    CampaignsFile,
    CampaignSpec,
    ChallengerSpec,
    FilterSpec,
    ScheduleSpec,
)
from dialer.campaigns import lead_pause_of
from scripts_library.library import CALL_IN_SCRIPT


@dataclass(frozen=True)
class _Resolved:
    spec: CampaignSpec
    client_id: int
    portfolio_ids: list[int]
    agent_ids: list[int]


CALLS_IN_ONLY = (
    "{!r} is the script for debtors calling in (it asks who is calling); the calls a campaign "
    "places need one that greets the person it called"
)


def _resolve(db: Session, file: CampaignsFile, scripts: Sequence[str]) -> list[_Resolved]:
    """Every name in the file as a database id; NamesNotFound lists each one that is not."""
    clients = client_codes(db)
    portfolios: dict[tuple[int, str], int] = {
        (p.client_id, p.name): p.id for p in db.exec(select(Portfolio)) if p.id is not None
    }
    users = {u.username: u for u in db.exec(select(User))}
    problems: list[tuple[Path, str]] = []
    resolved = []
    problems += unknown_clients("campaigns", [spec.client for spec in file.campaigns], clients)
    for i, spec in enumerate(file.campaigns):
        at: Path = ("campaigns", i)
        client_id = clients.get(spec.client)
        if client_id is None:
            continue
        own = [name for cid, name in portfolios if cid == client_id]
        portfolio_ids = []
        for j, name in enumerate(spec.portfolios):
            found = portfolios.get((client_id, name))
            if found is None:
                problems.append(
                    (
                        (*at, "portfolios", j),
                        f"client {spec.client} has no portfolio {name!r} (its portfolios: "
                        f"{listing(own)}); a portfolio is created by its first placement import",
                    )
                )
            else:
                portfolio_ids.append(found)
        agent_ids = []
        for k, username in enumerate(spec.agents):
            user = users.get(username)
            if user is None or user.id is None:
                problems.append(((*at, "agents", k), f"no user {username!r}"))
            elif user.role != Role.AGENT.value:
                problems.append(((*at, "agents", k), f"{username} is a {user.role}, not an agent"))
            elif not user.is_active:
                problems.append(((*at, "agents", k), f"{username} is deactivated"))
            elif user.client_id is not None and user.client_id != client_id:
                bound = next((c for c, i in clients.items() if i == user.client_id), "?")
                problems.append(((*at, "agents", k), f"{username} works for client {bound} only"))
            else:
                agent_ids.append(user.id)
        if spec.script and spec.script not in scripts:
            problems.append(
                ((*at, "script"), f"no call script {spec.script!r} (scripts: {listing(scripts)})")
            )
        if spec.script == CALL_IN_SCRIPT:
            problems.append(((*at, "script"), CALLS_IN_ONLY.format(spec.script)))
        if spec.challenger is not None:
            tested = spec.challenger.script
            where = (*at, "challenger", "script")
            if tested not in scripts:
                problems.append((where, f"no call script {tested!r} (scripts: {listing(scripts)})"))
            elif tested == CALL_IN_SCRIPT:
                problems.append((where, CALLS_IN_ONLY.format(tested)))
            elif tested == spec.script:
                problems.append(
                    (where, f"{tested!r} is the campaign's own script; a test needs another one")
                )
        resolved.append(_Resolved(spec, client_id, portfolio_ids, agent_ids))
    problems += _borrowed_caller_ids(db, file, clients)
    stored: dict[int, list[str]] = {}
    for client_id, name in db.exec(select(Campaign.client_id, Campaign.name)):
        stored.setdefault(client_id, []).append(name)
    for i, spec in enumerate(file.campaigns):
        other = namesake(spec.name, stored.get(clients.get(spec.client, -1), []))
        if other is not None:
            problems.append(
                (
                    ("campaigns", i, "name"),
                    f"campaign {spec.name!r} would be new, but client {spec.client} has "
                    f"{other!r}; a new campaign would dial the same accounts with its 30-day "
                    "abandon rate started again at zero",
                )
            )
    if problems:
        raise NamesNotFound(problems)
    return resolved


def number_owners(
    db: Session,
    skip: Collection[tuple[int | None, str]] = (),
) -> dict[str, tuple[int, str]]:
    """Each client's callback number and campaign caller IDs (E.164), with the client's id and
    what the number is to it, in words; campaigns keyed in `skip` (client id, name) left out."""
    codes = {client_id: code for code, client_id in client_codes(db).items()}
    owners: dict[str, tuple[int, str]] = {}
    for client in db.exec(select(Client)):
        number = e164(client.callback_number) if client.callback_number else None
        if number is not None and client.id is not None:
            owners.setdefault(number, (client.id, f"client {client.code}'s callback number"))
    for row in db.exec(select(Campaign).where(Campaign.caller_id != "")):
        number = e164(row.caller_id)
        if number is not None and (row.client_id, row.name) not in skip:
            owned = f"the caller ID of client {codes.get(row.client_id)}'s campaign {row.name!r}"
            owners.setdefault(number, (row.client_id, owned))
    return owners


def _borrowed_caller_ids(
    db: Session, file: CampaignsFile, clients: dict[str, int]
) -> list[tuple[Path, str]]:
    """Caller IDs the file gives one client that another client shows or answers: a debtor who
    calls back must reach the collector for the creditor that called (FDCPA 1692e(14) and the
    Truth in Caller ID Act), not another client's line, and must not hear that client named."""
    listed = {(clients.get(spec.client), spec.name) for spec in file.campaigns}
    owners = number_owners(db, skip=listed)
    for spec in file.campaigns:
        client_id = clients.get(spec.client)
        if spec.caller_id and client_id is not None:
            owned = f"the caller ID of client {spec.client}'s campaign {spec.name!r}"
            owners.setdefault(spec.caller_id, (client_id, owned))
    problems: list[tuple[Path, str]] = []
    for i, spec in enumerate(file.campaigns):
        owner = owners.get(spec.caller_id) if spec.caller_id else None
        if owner is not None and owner[0] != clients.get(spec.client, owner[0]):
            problems.append(
                (
                    ("campaigns", i, "caller_id"),
                    f"{spec.caller_id} is {owner[1]}; a debtor calling back would reach "
                    "another creditor's line",
                )
            )
    return problems


_FIELDS = (
    "portfolio_ids",
    "filter",
    "dial_mode",
    "schedule",
    "caller_id",
    "script_name",
    "challenger_script",
    "challenger_share",
    "abandon_target",
    "wrapup_seconds",
    "active",
)


def _settings(r: _Resolved) -> dict[str, Any]:
    """The Campaign columns the spec sets (_FIELDS), in the shapes dialer.campaigns.plan reads."""
    spec = r.spec
    filt = {k: v for k, v in spec.filter.model_dump().items() if v is not None}
    return {
        "portfolio_ids": r.portfolio_ids,
        "filter": filt,
        "dial_mode": spec.dial_mode,
        "schedule": spec.schedule.model_dump(),
        "caller_id": spec.caller_id,
        "script_name": spec.script,
        "challenger_script": spec.challenger.script if spec.challenger else "",
        "challenger_share": spec.challenger.share if spec.challenger else 0,
        "abandon_target": spec.abandon_target,
        "wrapup_seconds": spec.wrapup_seconds,
        "active": spec.active,
    }


def _as_applied(row: Campaign) -> dict[str, Any]:
    """The row's settings as `_settings` would write them, so a filter or schedule stored in
    another shape that means the same ({} for every default) does not count as a change."""
    current = {field: getattr(row, field) for field in _FIELDS}
    for field, spec in (("filter", FilterSpec), ("schedule", ScheduleSpec)):
        try:
            normal = spec.model_validate(current[field]).model_dump()
        except ValidationError:
            continue  # not valid as stored: whatever the file says is a change
        current[field] = {k: v for k, v in normal.items() if v is not None}
    return current


def apply(
    db: Session, file: CampaignsFile, scripts: Sequence[str], actor: str, now: datetime
) -> list[Change]:
    """Make every campaign of `file` as it says (flushed, not committed: the caller owns the
    transaction); raises NamesNotFound, with nothing changed, when a name is unknown."""
    changes = []
    for r in _resolve(db, file, scripts):
        wanted = _settings(r)
        row = db.exec(
            select(Campaign).where(Campaign.client_id == r.client_id, Campaign.name == r.spec.name)
        ).first()
        action = "updated"
        if row is None:
            row = Campaign(client_id=r.client_id, name=r.spec.name, created_at=now)
            action = "created"
        stored = _as_applied(row)
        changed = [field for field, value in wanted.items() if stored[field] != value]
        # A lead's pause the file undoes is said, with whose and when, before the stamp changes.
        resumes, lead = "", lead_pause_of(row)
        if "active" in changed and wanted["active"] and lead is not None:
            resumes = f"active (resumes the pause lead {lead} set at {row.updated_at:%H:%M})"
        for field in changed:  # a filter or schedule that means the same is left as it is
            setattr(row, field, wanted[field])
        db.add(row)
        db.flush()
        assigned = {
            a.user_id: a
            for a in db.exec(select(CampaignAgent).where(CampaignAgent.campaign_id == row.id))
        }
        if set(assigned) != set(r.agent_ids):
            changed.append("agents")
            for user_id, link in assigned.items():
                if user_id not in r.agent_ids:
                    db.delete(link)
            for user_id in r.agent_ids:
                if user_id not in assigned and row.id is not None:
                    db.add(CampaignAgent(campaign_id=row.id, user_id=user_id, updated_by=actor))
        if action == "created" or changed:
            row.updated_at, row.updated_by = now, actor
        else:
            action = "unchanged"
        said = tuple(resumes if field == "active" and resumes else field for field in changed)
        changes.append(Change(r.spec.client, r.spec.name, action, said))
    db.flush()
    return changes


def export(db: Session, client_code: str | None = None) -> list[CampaignSpec]:
    """The stored campaigns as file entries (every client's, or one's), by client and name.
    A deactivated agent, or one bound to another client, is left out: the export must apply
    back as it is, and `apply` refuses both (neither may take these calls)."""
    clients, only = export_scope(db, client_code)
    portfolios = {p.id: p.name for p in db.exec(select(Portfolio))}
    query = select(Campaign).order_by(col(Campaign.client_id), col(Campaign.name))
    if only is not None:
        query = query.where(Campaign.client_id == only)
    agents: dict[int, list[str]] = {}
    links = db.exec(
        select(CampaignAgent.campaign_id, User.username, User.client_id, Campaign.client_id)
        .join(User, col(User.id) == col(CampaignAgent.user_id))
        .join(Campaign, col(Campaign.id) == col(CampaignAgent.campaign_id))
        .where(col(User.is_active).is_(True))
        .order_by(col(User.username))
    )
    for campaign_id, username, bound_to, campaign_client in links:
        if bound_to is not None and bound_to != campaign_client:
            continue  # assigned before `apply` refused it; such an agent never sees these calls
        agents.setdefault(campaign_id, []).append(username)
    specs = []
    for row in db.exec(query):
        try:
            spec = CampaignSpec(
                client=clients[row.client_id],
                name=row.name,
                portfolios=[portfolios[p] for p in row.portfolio_ids if p in portfolios],
                dial_mode=row.dial_mode,
                abandon_target=row.abandon_target,
                caller_id=row.caller_id,
                script=row.script_name,
                challenger=(
                    ChallengerSpec(script=row.challenger_script, share=row.challenger_share)
                    if row.challenger_script
                    else None
                ),
                wrapup_seconds=row.wrapup_seconds,
                filter=FilterSpec.model_validate(row.filter),
                schedule=ScheduleSpec.model_validate(row.schedule),
                agents=agents.get(row.id or 0, []),
                active=row.active,
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ValueError(
                f"campaign {row.name!r} as stored is not a valid file entry: {where}: "
                f"{first['msg']}; fix it in the database or apply a file that replaces it"
            ) from None
        specs.append(spec)
    return specs
