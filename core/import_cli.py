"""`concord import placements FILE --client CODE --portfolio NAME`: a client's CSV into Concord.

Exit codes are part of the contract for scripts that drive imports: 0 every row imported,
1 some rows rejected (the good ones imported), 2 the file refused (nothing written), 3 the
database failed part way (the rows stored by then stay; the same file imported again stores the
rest, since an import updates what is already there).

Rows are committed in chunks of 5,000, so on SQLite, where one writer locks the whole database,
the floor's saves wait a fraction of a second between chunks rather than for the whole file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from core.placements.service import CheckedImport, ImportReport
    from core.placements.store import Stamp

OnProgress = Callable[[int], None]

app = typer.Typer(help="Import files clients send: placements.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """Import files clients send (a group even with one command, so the name stays `placements`)."""


EXIT_OK, EXIT_ROWS_REJECTED, EXIT_REFUSED, EXIT_STOPPED = 0, 1, 2, 3
# Short files finish before a bar could be read; it only clutters their output.
PROGRESS_FROM_ROWS = 2_000


@contextmanager
def _progress(console: Console, rows: int) -> Iterator[tuple[OnProgress, OnProgress]]:
    """Two bars (checking rows, writing rows) as progress callbacks, or silent ones."""
    if rows < PROGRESS_FROM_ROWS:
        yield (lambda _n: None), (lambda _n: None)
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bars:
        checking = bars.add_task("checking rows", total=rows)
        writing = bars.add_task("writing rows", total=None)

        def checked(done: int) -> None:
            bars.update(checking, completed=done)

        def stored(done: int) -> None:
            bars.update(writing, completed=done)

        yield checked, stored


def _as_sent(value: str) -> str:
    """A refused value as the file has it (the error file's formula guard is for spreadsheets,
    not terminals), cut to fit, with control characters shown as escapes and rich markup
    taken literally."""
    cut = value if len(value) <= 60 else value[:59] + "…"
    return escape("".join(c if c.isprintable() else repr(c)[1:-1] for c in cut))


def _summary(console: Console, report: ImportReport, error_path: Path | None, show: int) -> None:
    from core.amounts import money

    counts = report.counts
    # A row placed with nothing owed is stored paid: created, but nobody will call about it.
    paid = counts.created_paid
    paid_note = f" ({paid} of them owing nothing, stored paid)" if paid else ""
    console.print(
        f"client [bold]{report.client_code}[/], portfolio [bold]{report.portfolio_name}[/]: "
        f"{report.rows_read} rows read, {counts.created} accounts created{paid_note}, "
        f"{counts.updated} updated, {counts.unchanged} unchanged, "
        f"{report.rejected_lines} rows rejected"
    )
    if counts.unremitted:
        keep = "account keeps" if counts.unremitted == 1 else "accounts keep"
        console.print(
            f"{counts.unremitted} {keep} a balance below the file's: payments booked here are "
            "not on the client's books yet, so they stay off the balance"
        )
    if counts.reopened:
        accounts = "account" if counts.reopened == 1 else "accounts"
        console.print(
            f"{counts.reopened} paid {accounts} reopened: the file puts a balance back on them"
        )
    if counts.paid_off:
        accounts = "account" if counts.paid_off == 1 else "accounts"
        console.print(f"{counts.paid_off} {accounts} paid off: the file owes nothing on them")
    if counts.joined:
        one = counts.joined == 1
        console.print(
            f"{counts.joined} new {'account joins' if one else 'accounts join'} the person of "
            "another account (same name, date of birth and a phone, email or address): a "
            f"bankruptcy or death recorded on the person covers {'it' if one else 'them'} too"
        )
    for name, moved in sorted(report.moved_from.items()):
        console.print(
            f"[bold yellow]{moved} {'account' if moved == 1 else 'accounts'} moved here from "
            f"portfolio {name!r}[/]: they now follow this portfolio's rules and campaigns"
        )
    if report.absent:
        console.print(
            f"[bold yellow]{report.absent} open {'account' if report.absent == 1 else 'accounts'} "
            f"of portfolio {report.portfolio_name!r} not in this file[/]: recalled or settled at "
            "the client? They stay open and are worked until the client says so; stop one with "
            f"`concord accounts holds {report.client_code} NUMBER --add recalled --reason ...`"
        )
    if report.client_lacks:
        lacks = " and ".join(report.client_lacks)
        console.print(
            f"[bold yellow]client {report.client_code} has no {lacks} yet[/]: its payment pages, "
            "texts and abandoned-call message cannot say whom to call; set them with "
            f"`concord clients set {report.client_code} --business-name ... --callback-number ...`"
        )
    if report.extensions:
        numbers = "number carries" if report.extensions == 1 else "numbers carry"
        console.print(
            f"{report.extensions} phone {numbers} an extension: kept, and dialled only from a "
            "preview, where the agent sees it"
        )
    if report.shared_numbers:
        line, number = report.shared_numbers[0]
        many = len(report.shared_numbers)
        console.print(
            f"[bold yellow]{many} phone {'number is' if many == 1 else 'numbers are'} also "
            f"another person's on file[/] (first: line {line}, {number}): a call may reach "
            "someone else, who must not hear of the debt; agents verify who answers, but ask "
            "the client whose number it is"
        )
    if report.unexplained:
        line, balance, parts, currency = report.unexplained[0]
        many = len(report.unexplained)
        console.print(
            f"[bold yellow]{many} {'balance is' if many == 1 else 'balances are'} above principal "
            f"+ interest + fees[/] (first: line {line}, {money(balance, currency)} against "
            f"{money(parts, currency)}): stored as sent; agents quote the balance, so ask the "
            "client what the rest is"
        )
    if not report.errors:
        return
    table = Table(title=f"First {min(show, len(report.errors))} of {len(report.errors)} errors")
    for column in ("line", "field", "value", "reason"):
        table.add_column(column, overflow="fold")
    for error in report.errors[:show]:
        table.add_row(str(error.line), error.field, _as_sent(error.value), error.reason)
    console.print(table)
    console.print(
        f"{len(report.errors)} errors in {report.rejected_lines} rows; all of them are in "
        f"[bold]{error_path}[/] (line, field, value, reason)"
    )


def _store(
    console: Console,
    file: Path,
    engine: Engine,
    checked: CheckedImport,
    stamp: Stamp,
    on_stored: OnProgress,
) -> ImportReport:
    """Stores the checked rows a chunk per commit; a database failure part way says how far
    it got and exits 3."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from core.placements.service import store_import

    committed = 0

    def on_chunk(done: int) -> None:
        nonlocal committed
        committed = done
        on_stored(done)

    try:
        with engine.connect() as conn:
            report = store_import(conn, checked, stamp, on_chunk, conn.commit)
            conn.commit()
    except SQLAlchemyError as exc:
        cause = exc.orig if isinstance(exc, DBAPIError) else exc
        console.print(
            f"[bold red]stopped[/] {file}: the database failed ({cause})\n{committed} of "
            f"{len(checked.good)} rows were stored; import the same file again to store the rest."
        )
        raise typer.Exit(EXIT_STOPPED) from None
    return report


@app.command("placements")
def placements(
    file: Annotated[Path, typer.Argument(help="the client's CSV (UTF-8, comma or semicolon)")],
    client: Annotated[str, typer.Option("--client", help="client code; created when new")],
    portfolio: Annotated[str, typer.Option("--portfolio", help="portfolio name; created when new")],
    mapping: Annotated[
        Path | None,
        typer.Option(help="YAML/JSON 'client header: canonical column'; kept for the client"),
    ] = None,
    errors: Annotated[
        Path | None, typer.Option(help="error CSV path (default: FILE.errors.csv beside FILE)")
    ] = None,
    show: Annotated[int, typer.Option(help="errors to show in the terminal")] = 20,
) -> None:
    """Import a placement: every row checked, then good rows upserted in one transaction."""
    # Imported here so `concord --help` does not load the database and validation libraries.
    from core.db import make_engine, migrate
    from core.models import utcnow
    from core.placements.columns import load_mapping_file
    from core.placements.errors_file import default_error_path, write_error_file
    from core.placements.exceptions import PlacementFileError
    from core.placements.service import check_import
    from core.placements.source import read_placement_file
    from core.placements.store import Stamp
    from core.settings import get_settings

    console = Console()
    url = get_settings().database_url
    migrate(url)
    engine = make_engine(url)
    error_path = errors or default_error_path(file)
    stamp = Stamp(actor=f"import {file.name}"[:120], now=utcnow(), today=date.today())
    try:
        text = read_placement_file(file)
        column_mapping = load_mapping_file(mapping) if mapping is not None else None
        with _progress(console, text.approx_rows) as (on_checked, on_stored):
            # Checking reads only, so the floor keeps saving while a large file is checked.
            with engine.connect() as conn:
                checked = check_import(
                    conn, text, client, portfolio, stamp, column_mapping, on_checked
                )
            if checked.errors:
                # Before any write: an import whose errors cannot be handed back does not land.
                try:
                    write_error_file(error_path, checked.errors)
                except OSError as exc:
                    raise PlacementFileError(f"cannot write {error_path}: {exc}") from exc
            report = _store(console, file, engine, checked, stamp, on_stored)
    except PlacementFileError as exc:
        console.print(f"[bold red]refused[/] {file}: {exc}\nnothing was imported.")
        raise typer.Exit(EXIT_REFUSED) from None
    finally:
        engine.dispose()
    _summary(console, report, error_path if report.errors else None, show)
    raise typer.Exit(EXIT_ROWS_REJECTED if report.errors else EXIT_OK)
