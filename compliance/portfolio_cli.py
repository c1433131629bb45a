"""`concord portfolios apply FILE` / `export`: each placement's calling profile and the
client's limits kept as a YAML file (compliance.portfolio_file; the flow is core.admin_cli's)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Portfolios: apply a portfolio rules file (YAML), export the stored ones as one.",
    no_args_is_help=True,
)


@app.command("apply")
def apply_file(
    file: Annotated[Path, typer.Argument(help="the portfolios file (YAML, see the README)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check and show the changes, write nothing")
    ] = False,
) -> None:
    """Create or update every portfolio the file lists (by client and name), all or nothing."""
    from compliance import portfolio_admin, portfolio_file
    from core import admin_cli

    admin_cli.apply_file(file, dry_run, "portfolio", portfolio_file.parse, portfolio_admin.apply)


@app.command("export")
def export_file(
    client: Annotated[
        str | None, typer.Option("--client", help="only this client's portfolios (its code)")
    ] = None,
) -> None:
    """Print the stored portfolios as a portfolios file: edit it, then apply it."""
    from compliance import portfolio_admin, portfolio_file
    from core import admin_cli

    admin_cli.export_file(client, portfolio_admin.export, portfolio_file.dump)
