"""`concord campaigns apply FILE` / `export`: the floor's campaigns kept as a YAML file
(dialer.campaign_file; the flow is core.admin_cli's)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Campaigns: apply a campaigns file (YAML), export the stored ones as one.",
    no_args_is_help=True,
)


@app.command("apply")
def apply_file(
    file: Annotated[Path, typer.Argument(help="the campaigns file (YAML, see the README)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check and show the changes, write nothing")
    ] = False,
) -> None:
    """Create or update every campaign the file lists (by client and name), all or nothing."""
    from core import admin_cli
    from dialer import campaign_admin, campaign_file
    from scripts_library.library import Library

    scripts = Library.from_path().names()
    admin_cli.apply_file(
        file,
        dry_run,
        "campaign",
        campaign_file.parse,
        lambda db, parsed, actor, now: campaign_admin.apply(db, parsed, scripts, actor, now),
    )


@app.command("export")
def export_file(
    client: Annotated[
        str | None, typer.Option("--client", help="only this client's campaigns (its code)")
    ] = None,
) -> None:
    """Print the stored campaigns as a campaigns file: edit it, then apply it."""
    from core import admin_cli
    from dialer import campaign_admin, campaign_file

    admin_cli.export_file(client, campaign_admin.export, campaign_file.dump)


@app.command("compare")
def compare_scripts(
    client: Annotated[str, typer.Argument(help="the client's code")],
    campaign: Annotated[str, typer.Argument(help="the campaign's name")],
    days: Annotated[int, typer.Option("--days", min=1, max=365, help="the period, to now")] = 30,
) -> None:
    """A campaign's script test: its champion and challenger scripts' calls, right-party
    contacts, promises and plans, and whether the difference is more than chance."""
    from datetime import timedelta

    from sqlmodel import select

    from core.admin_store import client_codes, listing
    from core.db import command_session
    from core.models import Campaign, utcnow
    from core.settings import get_settings
    from qa.challenger_store import compare

    with command_session(get_settings().database_url, reading=True) as db:
        clients = client_codes(db)
        if client not in clients:
            typer.echo(f"refused: {client!r} is not a client code (known: {listing(clients)})")
            raise typer.Exit(2)
        row = db.exec(
            select(Campaign).where(Campaign.client_id == clients[client], Campaign.name == campaign)
        ).first()
        if row is None:
            names = db.exec(select(Campaign.name).where(Campaign.client_id == clients[client]))
            typer.echo(
                f"refused: client {client} has no campaign {campaign!r} "
                f"(its campaigns: {listing(list(names))})"
            )
            raise typer.Exit(2)
        result = compare(db, row, utcnow() - timedelta(days=days))
    if result is None:
        typer.echo(
            f"campaign {campaign!r} tests no challenger script: give it one in the campaigns "
            "file (challenger: {script: NAME, share: 20})"
        )
        raise typer.Exit(2)
    typer.echo(f"campaign {campaign!r}, last {days} days ({row.challenger_share}% challenger):")
    typer.echo(f"  champion   {result.describe(result.champion)}")
    typer.echo(f"  challenger {result.describe(result.challenger)}")
    typer.echo(result.verdict())
