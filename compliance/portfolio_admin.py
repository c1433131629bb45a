"""Applying a portfolio rules file to the database, and writing the stored rules back as one.

Clients must exist (a placement import makes them); a portfolio the file names that does not
exist yet is created, so its rules can be set before its first file arrives. The file is
applied in one transaction; portfolios it does not list are left alone. The compliance engine
reads a portfolio's rules at every decision and the dialer its calling profile at every reload,
so a change takes effect without a restart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from compliance.portfolio_file import Followups, PortfoliosFile, PortfolioSpec, rules_as_written
from compliance.profiles import PROFILE_COUNTRIES, PortfolioRules
from core.admin_file import Change, NamesNotFound, Path
from core.admin_store import (
    client_codes,
    export_scope,
    listing,
    namesake,
    unknown_clients,
    write_changes,
)
from core.models import Account, Address, Portfolio
from outreach.config import OutreachSettings
from outreach.render import Renderer, template_sets
from outreach.template_check import check

_FIELDS = (
    "calling_profile",
    "settlement_min_pct",
    "promise_max_days",
    "plan_max_installments",
    "limitation_years",
    "machine_action",
    "compliance_overrides",
    "followup_templates",
)


def _wanted(spec: PortfolioSpec) -> dict[str, Any]:
    return {
        "calling_profile": spec.calling_profile,
        "settlement_min_pct": spec.settlement_min_pct,
        "promise_max_days": spec.promise_max_days,
        "plan_max_installments": spec.plan_max_installments,
        "limitation_years": spec.limitation_years,
        "machine_action": spec.machine_action,
        "compliance_overrides": {} if spec.rules is None else rules_as_written(spec.rules),
        "followup_templates": {} if spec.followups is None else spec.followups.stored(),
    }


def _template_set_problems(specs: list[PortfolioSpec]) -> list[tuple[Path, str]]:
    """A problem per portfolio naming a template set the outreach worker (with this machine's
    CONCORD_OUTREACH_TEMPLATES_DIR) cannot find, or whose templates do not render: a set
    that breaks would otherwise fail one message per debtor at send time."""
    custom = OutreachSettings().templates_dir
    sets = template_sets(custom)
    renderer = Renderer(custom=custom)
    checked: dict[str, list[str]] = {}
    problems = []
    for i, spec in enumerate(specs):
        name = None if spec.followups is None else spec.followups.template_set
        if name is None:
            continue
        where = ("portfolios", i, "followups", "template_set")
        if name not in sets:
            problems.append(
                (
                    where,
                    f"no message template set {name!r} (sets: {listing(sets)}); "
                    "a set is a folder in CONCORD_OUTREACH_TEMPLATES_DIR",
                )
            )
            continue
        broken = checked.setdefault(name, check(renderer, name))
        if broken:
            more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
            problems.append(
                (
                    where,
                    f"template set {name!r} does not render: {broken[0]}{more}; "
                    f"`concord outreach templates {name}` lists every problem",
                )
            )
    return problems


def _namesakes(
    db: Session, file: PortfoliosFile, clients: dict[str, int]
) -> list[tuple[Path, str]]:
    """A new portfolio named like the client's existing one but for case or spacing is refused,
    as the import refuses it: its rules would never reach the real portfolio's accounts."""
    names: dict[int, list[str]] = {}
    for client_id, name in db.exec(select(Portfolio.client_id, Portfolio.name)):
        names.setdefault(client_id, []).append(name)
    problems: list[tuple[Path, str]] = []
    for i, spec in enumerate(file.portfolios):
        other = namesake(spec.name, names.get(clients.get(spec.client, -1), []))
        if other is not None:
            problems.append(
                (
                    ("portfolios", i, "name"),
                    f"portfolio {spec.name!r} would be new, but client {spec.client} has "
                    f"{other!r}; its rules would not reach that portfolio's accounts",
                )
            )
    return problems


def _stored_rules(overrides: dict[str, Any]) -> PortfolioRules | None:
    return PortfolioRules.model_validate(overrides) if overrides else None


def apply(db: Session, file: PortfoliosFile, actor: str, now: datetime) -> list[Change]:
    """Make every portfolio of `file` as it says (flushed, not committed); NamesNotFound, with
    nothing changed, when a client code is unknown or a template set is missing or broken."""
    clients = client_codes(db)
    unknown = unknown_clients("portfolios", [s.client for s in file.portfolios], clients)
    unknown += _template_set_problems(file.portfolios)
    unknown += _namesakes(db, file, clients)
    if unknown:
        raise NamesNotFound(unknown)
    changes, refused = [], []
    for i, spec in enumerate(file.portfolios):
        client_id = clients[spec.client]
        row = db.exec(
            select(Portfolio).where(Portfolio.client_id == client_id, Portfolio.name == spec.name)
        ).first()
        created = row is None
        if row is None:
            row = Portfolio(client_id=client_id, name=spec.name, created_at=now)
        wanted = _wanted(spec)
        current = {field: getattr(row, field) for field in _FIELDS}
        # overrides stored in another shape (minutes, say) that mean the same are not a change
        same_rules = _stored_rules(current["compliance_overrides"]) == spec.rules
        changed = [
            f
            for f in _FIELDS
            if current[f] != wanted[f] and not (f == "compliance_overrides" and same_rules)
        ]
        if "calling_profile" in changed and not created:
            abroad = _living_elsewhere(db, row, spec.calling_profile)
            if abroad:
                refused.append((("portfolios", i, "calling_profile"), abroad))
                continue
        key = (spec.client, spec.name)
        changes.append(write_changes(db, row, wanted, changed, created, key, actor, now))
    if refused:
        db.rollback()
        raise NamesNotFound(refused)
    db.flush()
    return changes


def _living_elsewhere(db: Session, portfolio: Portfolio, profile: str) -> str:
    """Why `profile` may not take over this portfolio: its debtors' addresses are in another
    country, whose law (the profile they have) would stop applying to them; "" when none.
    Switching a US portfolio to `uk` dropped the 7-in-7 cap and the week after a
    conversation without a word, where a rule loosened in the file is refused."""
    country = PROFILE_COUNTRIES.get(profile, "")
    countries = db.exec(
        select(Address.country, func.count(func.distinct(Address.debtor_id)))
        .join(Account, col(Account.debtor_id) == col(Address.debtor_id))
        .where(Account.portfolio_id == portfolio.id, Address.country != country)
        .group_by(Address.country)
    ).all()
    if not countries:
        return ""
    where = ", ".join(f"{n} in {code}" for code, n in sorted(countries))
    return (
        f"{profile} is the law of {country}, but debtors of this portfolio live elsewhere "
        f"({where}); profile {portfolio.calling_profile} keeps the rules that protect them. "
        f"Place {country} debtors in a portfolio of their own"
    )


def export(db: Session, client_code: str | None = None) -> list[PortfolioSpec]:
    """The stored portfolios as file entries (every client's, or one's), by client and name."""
    codes, only = export_scope(db, client_code)
    query = select(Portfolio).order_by(col(Portfolio.client_id), col(Portfolio.name))
    if only is not None:
        query = query.where(Portfolio.client_id == only)
    return [
        PortfolioSpec(
            client=codes[row.client_id],
            name=row.name,
            calling_profile=row.calling_profile,
            settlement_min_pct=row.settlement_min_pct,
            promise_max_days=row.promise_max_days,
            plan_max_installments=row.plan_max_installments,
            limitation_years=row.limitation_years,
            machine_action=row.machine_action,
            rules=_stored_rules(row.compliance_overrides),
            followups=Followups.model_validate(row.followup_templates)
            if row.followup_templates
            else None,
        )
        for row in db.exec(query)
    ]
