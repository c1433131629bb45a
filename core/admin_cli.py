"""The flow every `concord X apply FILE` / `export` shares: read, check, apply in one
transaction or refuse with every problem as FILE:LINE: field: reason, then say what changed.

Exit codes, as for placement imports: 0 applied (or nothing to change), 2 refused with nothing
written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import typer
from pydantic import BaseModel
from rich.table import Table
from sqlmodel import Session

from core.admin_file import Change, NamesNotFound, Problem, problems_at
from core.terminal import console

EXIT_REFUSED = 2
Checked = TypeVar("Checked", bound=BaseModel)
Entry = TypeVar("Entry", bound=BaseModel)


def _refuse(source: str, lines: list[str]) -> typer.Exit:
    """Problems one per line on stderr, unwrapped (FILE:LINE: ... is for editors and grep)."""
    for line in lines:
        typer.echo(line, err=True)
    typer.echo(f"refused {source}: nothing was changed.", err=True)
    return typer.Exit(EXIT_REFUSED)


def apply_file(
    file: Path,
    dry_run: bool,
    noun: str,
    parse: Callable[[str], Checked | list[Problem]],
    apply: Callable[[Session, Checked, str, datetime], list[Change]],
) -> None:
    """Applies `file` to the configured database; `noun` names the entries ('campaign')."""
    from core.db import command_session
    from core.models import utcnow
    from core.settings import get_settings

    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise _refuse(str(file), [f"{file}: cannot read it: {exc.strerror}"]) from None
    except UnicodeDecodeError as exc:
        raise _refuse(str(file), [f"{file}: not UTF-8 text (byte {exc.start})"]) from None
    parsed = parse(text)
    if isinstance(parsed, list):
        raise _refuse(str(file), [p.render(str(file)) for p in parsed])
    actor = f"{noun}s {file.name}"[:120]
    with command_session(get_settings().database_url) as db:
        try:
            changes = apply(db, parsed, actor, utcnow())
        except NamesNotFound as exc:
            lines = [p.render(str(file)) for p in problems_at(text, exc.problems)]
            raise _refuse(str(file), lines) from None
        if not dry_run:
            db.commit()
    table = Table("client", noun, "change", "fields")
    for change in changes:
        table.add_row(change.client, change.name, change.action, ", ".join(change.fields))
    out = console()
    out.print(table)
    done = sum(c.action != "unchanged" for c in changes)
    verb = "would change (dry run, nothing written)" if dry_run else "changed"
    out.print(f"{verb}: {done} of {len(changes)} {noun}(s)")


def export_file(
    client: str | None,
    export: Callable[[Session, str | None], list[Entry]],
    dump: Callable[[list[Entry]], str],
) -> None:
    """Prints the stored entries as a file (one client's, or every client's)."""
    from core.db import command_session
    from core.settings import get_settings

    with command_session(get_settings().database_url, reading=True) as db:
        try:
            entries = export(db, client)
        except (LookupError, ValueError) as exc:
            typer.echo(f"cannot export: {exc}", err=True)
            raise typer.Exit(EXIT_REFUSED) from None
    typer.echo(dump(entries), nl=False)
