"""`concord numbers list [--all]`, `concord numbers stop NUMBER --reason WHY` and `concord
numbers allow NUMBER --reason WHY`: the agency's own do-not-call list (core.stopped_numbers).
`concord numbers rnd-query OUT` and `concord numbers rnd-results FILE`: the FCC reassigned-numbers
database's question and answers (core.reassigned).

A 9 pressed at our message puts a number on it; a lead adds one from a letter or a call in
("stop calling this number") and takes one off when its owner asks to be called again. Exit 2,
nothing changed, on a number that does not read as one, a missing reason, or a number not on
the list; the message says which.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from core.terminal import By

if TYPE_CHECKING:
    from sqlmodel import Session

    from core.models import StoppedNumber

T = TypeVar("T")

app = typer.Typer(help="The agency's do-not-call list, by number.", no_args_is_help=True)
EXIT_REFUSED = 2


def _number(typed: str) -> str:
    """`typed` in E.164; exit 2 on what is not one number, saying how to write it."""
    import phonenumbers

    from core.phones import e164

    number = e164(typed)
    problem = ""
    if number is None:
        problem = (
            f"{typed!r} is not a phone number (one outside the US needs its country code, "
            "as +44 20 7946 0112)"
        )
    elif phonenumbers.parse(typed, "US").extension:
        problem = (
            f"{typed!r} has an extension: the list stops the whole line, so one person's "
            "request at a switchboard would stop every debtor reached through it (an agent "
            "records it on the debtor's own number instead: 'not on this number')"
        )
    if problem:
        typer.echo(f"refused: {problem}; nothing was changed.", err=True)
        raise typer.Exit(EXIT_REFUSED)
    assert number is not None
    return number


def _write(change: Callable[[Session], T]) -> T:
    """Runs `change` in one transaction; a refused change exits 2 with nothing written."""
    from core.db import command_session
    from core.settings import get_settings
    from core.stopped_numbers import StopError

    with command_session(get_settings().database_url) as db:
        try:
            done = change(db)
        except StopError as exc:
            typer.echo(f"refused: {exc}; nothing was changed.", err=True)
            raise typer.Exit(EXIT_REFUSED) from None
        db.commit()
    return done


@app.command("list")
def list_numbers(
    with_lifted: Annotated[
        bool, typer.Option("--all", help="also the numbers taken off, with who and why")
    ] = False,
) -> None:
    """The numbers on the list, newest first."""
    from core.db import command_session
    from core.phones import printed_number
    from core.settings import get_settings
    from core.stopped_numbers import listed, said

    with command_session(get_settings().database_url, reading=True) as db:
        entries = listed(db, with_lifted)
    if not entries:
        typer.echo("no numbers on the do-not-call list")
    for entry in entries:
        detail = f": {entry.detail}" if entry.detail else ""
        typer.echo(f"{entry.number} {printed_number(entry.number)}  {said(entry)}{detail}")
        if entry.lifted_at is not None:
            typer.echo(
                f"  taken off {entry.lifted_at:%Y-%m-%d %H:%M} UTC by {entry.lifted_by}: "
                f"{entry.lift_reason}"
            )


@app.command("stop")
def stop(
    number: Annotated[str, typer.Argument(help="the number, as written or in E.164")],
    reason: Annotated[
        str, typer.Option("--reason", help="who asked and how (a letter of 2026-11-30, say)")
    ] = "",
    by: By = "",
) -> None:
    """Put a number on the list: no call or text to it, whoever it is for."""
    from sqlmodel import select

    from core.models import Phone, utcnow
    from core.stopped_numbers import ASKED, said, stop_number

    stored = _number(number)
    if not reason.strip():
        typer.echo("refused: --reason is needed (who asked, and how); nothing was changed.",
                   err=True)  # fmt: skip
        raise typer.Exit(EXIT_REFUSED)

    def change(db: Session) -> tuple[StoppedNumber, bool, int]:
        entry, new = stop_number(db, stored, utcnow(), ASKED, reason, by)
        holders = {p.debtor_id for p in db.exec(select(Phone).where(Phone.number == stored))}
        return entry, new, len(holders)

    entry, new, holders = _write(change)
    state = "now on" if new else "already on"
    typer.echo(f"{stored} {state} the do-not-call list: {said(entry)}; "
               f"{holders} debtor(s) on file hold it")  # fmt: skip


@app.command("allow")
def allow(
    number: Annotated[str, typer.Argument(help="the number, as written or in E.164")],
    reason: Annotated[
        str, typer.Option("--reason", help="why calls are OK again, kept with the entry")
    ] = "",
    by: By = "",
) -> None:
    """Take a number off the list (its owner asked to be called there again)."""
    from core.models import utcnow
    from core.stopped_numbers import lift_number

    stored = _number(number)
    _write(lambda db: lift_number(db, stored, reason, by, utcnow()))
    typer.echo(f"{stored} taken off the do-not-call list: calls and texts to it follow the "
               "rules again")  # fmt: skip


@app.command("rnd-query")
def rnd_query(
    out: Annotated[Path, typer.Argument(help="the query file to write (CSV: number,date)")],
) -> None:
    """Write the FCC reassigned-numbers query for every US number on file (core.reassigned):
    upload it at reassigned.us, then import the answers with `concord numbers rnd-results`."""
    from core.db import command_session
    from core.reassigned import query_file, query_rows
    from core.settings import get_settings

    with command_session(get_settings().database_url, reading=True) as db:
        rows = query_rows(db)
    out.write_text(query_file(rows), encoding="utf-8")
    oldest = min((since for _, since in rows), default=None)
    earliest = f", asked since {oldest:%Y-%m-%d} at the earliest" if oldest else ""
    typer.echo(f"{len(rows)} US number(s) written to {out}{earliest}")


@app.command("rnd-results")
def rnd_results(
    answers: Annotated[
        Path,
        typer.Argument(
            help="the database's answer file (CSV with number, date and result columns)"
        ),
    ],
    by: By = "",
) -> None:
    """Keep the database's answers on the numbers and retire each number it says was
    disconnected since the date asked (no calls or texts, autodial consent withdrawn)."""
    from core.models import utcnow
    from core.reassigned import RndFileError, apply_answers, read_answers

    try:
        parsed = read_answers(answers.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"refused: {answers} cannot be read ({exc}); nothing was changed.", err=True)
        raise typer.Exit(EXIT_REFUSED) from None
    except RndFileError as exc:
        typer.echo(f"refused: {answers}: {exc}; nothing was changed.", err=True)
        raise typer.Exit(EXIT_REFUSED) from None
    done = _write(lambda db: apply_answers(db, parsed, by, utcnow()))
    typer.echo(
        f"{len(parsed)} answer(s): {len(done.reassigned)} reassigned (retired, no calls or "
        f"texts), {done.not_disconnected} not disconnected, {done.no_data} no data, "
        f"{done.not_on_file} not on file"
    )
    for number in done.reassigned:
        typer.echo(f"  retired {number}")
