"""`concord compliance ...`: the compliance engine on the command line (core/cli.py mounts it)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from compliance.check import answer_line

app = typer.Typer(
    help="Compliance engine: whether a debtor may be contacted now, and why not.",
    no_args_is_help=True,
)


@app.callback()
def compliance() -> None:
    """Keeps `check` a named subcommand even while it is the only one."""


@app.command()
def check(
    file: Annotated[
        typer.FileText, typer.Argument(help="JSON lines of contacts to decide, or - for stdin.")
    ],
) -> None:
    """Decide every contact in FILE and print one JSON answer per line, in order.

    Each answer is {"id", "allowed", "reasons", "next_allowed_at"}; a malformed line gets
    {"id", "error"} and the other lines are still answered. Exits 1 if any line was malformed.
    """
    malformed = False
    for number, text in enumerate(file, start=1):
        if not text.strip():
            continue
        reply = answer_line(text, number)
        malformed = malformed or "error" in reply
        typer.echo(json.dumps(reply))
    if malformed:
        raise typer.Exit(code=1)
