"""`concord demo seed [--seed N] [--reset]`: a realistic collections book to try Concord on.

The logins are printed once, here, and never stored in clear; the same seed gives the same
passwords, so a test or a walkthrough can sign in without reading them off the terminal.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from core.demo import DEMO_SEED

app = typer.Typer(
    help="Demo data: a realistic, reproducible book of accounts.", no_args_is_help=True
)
EXIT_ALREADY_SEEDED = 1


@app.callback()
def main() -> None:
    """Demo data (a group even with one command, so the name stays `seed`)."""


@app.command("seed")
def seed(
    seed: Annotated[
        int, typer.Option(help="random seed: the same seed gives the same data and logins")
    ] = DEMO_SEED,
    reset: Annotated[bool, typer.Option(help="remove an earlier demo first")] = False,
    debtors: Annotated[int, typer.Option(min=30, max=6_000, help="how many debtors")] = 5_000,
) -> None:
    """Create two clients, three portfolios, ~5,000 debtors with histories, and the floor."""
    # Imported here so `concord --help` does not load the database layer.
    from core.db import make_engine, migrate, session_scope
    from core.demo.seed import DemoExistsError, seed_demo
    from core.settings import get_settings

    console = Console()
    url = get_settings().database_url
    migrate(url)
    engine = make_engine(url)
    try:
        with console.status("seeding demo data"), session_scope(engine) as session:
            result = seed_demo(session, seed, date.today(), debtors=debtors, reset=reset)
    except DemoExistsError as exc:
        console.print(f"[bold red]not seeded[/]: {exc}")
        raise typer.Exit(EXIT_ALREADY_SEEDED) from None
    finally:
        engine.dispose()
    counts = ", ".join(f"{count:,} {name}" for name, count in result.counts.items())
    console.print(f"demo data seeded (seed {seed}) into {url}: {counts}")
    table = Table(title="Demo logins (shown once; store them now)")
    for column in ("username", "role", "password"):
        table.add_column(column)
    for username, (role, password) in result.logins.items():
        table.add_row(username, role, password)
    console.print(table)
