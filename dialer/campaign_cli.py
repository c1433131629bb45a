"""`concord campaigns apply FILE` / `export`: the floor's campaigns kept as a YAML file.

Exit codes, as for placement imports: 0 applied (or nothing to change), 2 the file refused with
nothing written; every problem is printed as FILE:LINE: field: reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from core.terminal import console

app = typer.Typer(
    help="Campaigns: apply a campaigns file (YAML), export the stored ones as one.",
    no_args_is_help=True,
)
EXIT_OK, EXIT_REFUSED = 0, 2


def _refuse(source: str, lines: list[str]) -> typer.Exit:
    """Problems one per line on stderr, unwrapped (FILE:LINE: ... is for editors and grep)."""
    for line in lines:
        typer.echo(line, err=True)
    typer.echo(f"refused {source}: nothing was changed.", err=True)
    return typer.Exit(EXIT_REFUSED)


@app.command("apply")
def apply_file(
    file: Annotated[Path, typer.Argument(help="the campaigns file (YAML, see the README)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check and show the changes, write nothing")
    ] = False,
) -> None:
    """Create or update every campaign the file lists (by client and name), all or nothing."""
    from core.admin_file import problems_at
    from core.db import command_session
    from core.models import utcnow
    from core.settings import get_settings
    from dialer.campaign_admin import NamesNotFound, apply
    from dialer.campaign_file import parse
    from scripts_library.library import Library

    out = console()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _refuse(str(file), [f"{file}: cannot read it as UTF-8 text: {exc}"]) from None
    parsed = parse(text)
    if isinstance(parsed, list):
        raise _refuse(str(file), [p.render(str(file)) for p in parsed])
    actor = f"campaigns {file.name}"[:120]
    with command_session(get_settings().database_url) as db:
        try:
            changes = apply(db, parsed, Library.from_path().names(), actor, utcnow())
        except NamesNotFound as exc:
            lines = [p.render(str(file)) for p in problems_at(text, exc.problems)]
            raise _refuse(str(file), lines) from None
        if not dry_run:
            db.commit()
    table = Table("client", "campaign", "change", "fields")
    for change in changes:
        table.add_row(change.client, change.name, change.action, ", ".join(change.fields))
    out.print(table)
    done = sum(c.action != "unchanged" for c in changes)
    verb = "would change (dry run, nothing written)" if dry_run else "changed"
    out.print(f"{verb}: {done} of {len(changes)} campaign(s)")


@app.command("export")
def export_file(
    client: Annotated[
        str | None, typer.Option("--client", help="only this client's campaigns (its code)")
    ] = None,
) -> None:
    """Print the stored campaigns as a campaigns file: edit it, then apply it."""
    from core.db import command_session
    from core.settings import get_settings
    from dialer.campaign_admin import export
    from dialer.campaign_file import dump

    with command_session(get_settings().database_url) as db:
        try:
            specs = export(db, client)
        except (LookupError, ValueError) as exc:
            typer.echo(f"cannot export: {exc}", err=True)
            raise typer.Exit(EXIT_REFUSED) from None
    typer.echo(dump(specs), nl=False)
