"""`concord dispositions apply FILE` / `export`: each client's outcome codes as a YAML file
(console.dispositions_file; the flow is core.admin_cli's)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Disposition codes: apply a dispositions file (YAML), export the stored ones as one.",
    no_args_is_help=True,
)


@app.command("apply")
def apply_file(
    file: Annotated[Path, typer.Argument(help="the dispositions file (YAML, see the README)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check and show the changes, write nothing")
    ] = False,
) -> None:
    """Create or update every code the file lists (by client and code), all or nothing."""
    from console import dispositions_admin, dispositions_file
    from core import admin_cli

    admin_cli.apply_file(
        file, dry_run, "disposition", dispositions_file.parse, dispositions_admin.apply
    )


@app.command("export")
def export_file(
    client: Annotated[
        str | None, typer.Option("--client", help="only this client's codes (its code)")
    ] = None,
) -> None:
    """Print the stored codes as a dispositions file: edit it, then apply it."""
    from console import dispositions_admin, dispositions_file
    from core import admin_cli

    admin_cli.export_file(client, dispositions_admin.export, dispositions_file.dump)
