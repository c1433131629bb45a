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
