"""The `concord` command: one entry point, a subcommand per role.

Subcommands import their package only when run, so `concord --help` stays fast and a broken
optional piece (say, a missing browser) cannot stop the others from working.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError

import bench
from bench import BenchUsageError
from compliance import cli as compliance_cli
from console import cli as console_cli
from core.demo import DEMO_SEED
from core.schema import SchemaNotCurrent
from core.settings import get_settings
from dialer import cli as dialer_cli
from outreach import cli as outreach_cli
from scripts_library import cli as scripts_cli

app = typer.Typer(
    help="Concord: a compliance-first contact center for debt-recovery teams.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema: migrate to the newest version.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(compliance_cli.app, name="compliance", help="Ask the contact rules: check a file.")
app.add_typer(scripts_cli.app, name="scripts", help="Call scripts: lint and preview.")
app.add_typer(dialer_cli.app, name="dialer", help="Run the dialer service on Asterisk over AMI.")
app.add_typer(outreach_cli.app, name="outreach")
app.add_typer(importlib.import_module("core.import_cli").app, name="import")
app.add_typer(importlib.import_module("core.demo_cli").app, name="demo")
app.add_typer(importlib.import_module("compliance.portfolio_cli").app, name="portfolios")
app.add_typer(importlib.import_module("dialer.campaign_cli").app, name="campaigns")
app.add_typer(importlib.import_module("console.users_cli").app, name="users")
app.add_typer(importlib.import_module("console.dispositions_cli").app, name="dispositions")
app.add_typer(importlib.import_module("dialer.clients_cli").app, name="clients")
app.add_typer(importlib.import_module("qa.cli").app, name="qa")
app.add_typer(importlib.import_module("core.holds_cli").app, name="accounts")
app.add_typer(importlib.import_module("core.numbers_cli").app, name="numbers")
app.command("worker", help="Run an RQ worker that sends the follow-up SMS and email.")(
    outreach_cli.worker
)
app.command("web", help="Serve the web console.")(console_cli.web)


@db_app.command("migrate")
def db_migrate() -> None:
    """Create or upgrade the database at CONCORD_DATABASE_URL to the newest schema."""
    from core.db import migrate

    url = get_settings().database_url
    migrate(url)
    typer.echo(f"database at {url} is up to date")


def _bench_names() -> list[str]:
    """Modules of bench/ that define a `main` (helpers such as simulators are not benchmarks)."""
    folder = Path(bench.__path__[0])
    return sorted(
        m.name
        for m in pkgutil.iter_modules(bench.__path__)
        if "\ndef main(" in (folder / f"{m.name}.py").read_text(encoding="utf-8")
    )


@app.command(
    "bench",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    help="Run a benchmark and print its figures. Benchmarks: " + ", ".join(_bench_names()),
)
def run_bench(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="benchmark name (a module in bench/)")],
) -> None:
    """Benchmarks live in bench/NAME.py as a `main(...)` function; its options follow NAME."""
    if name not in _bench_names():
        raise typer.BadParameter(f"no benchmark {name!r}; choose from {', '.join(_bench_names())}")
    module = importlib.import_module(f"bench.{name}")
    runner = typer.Typer(add_completion=False)
    runner.command(name=name)(module.main)
    command = typer.main.get_command(runner)
    try:
        command.main(args=list(ctx.args), prog_name=f"concord bench {name}", standalone_mode=False)
    except BenchUsageError as exc:
        typer.echo(f"concord bench {name}: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command("up")
def up(
    host: Annotated[str, typer.Option(help="address the web console listens on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port of the web console")] = 8000,
    seed: Annotated[
        int, typer.Option(help="demo data seed when the database is empty")
    ] = DEMO_SEED,
    asterisk: Annotated[bool, typer.Option(help="start the real Asterisk and the dialer")] = True,
) -> None:
    """Run the whole system on embedded defaults: Redis, Asterisk, web, worker, dialer."""
    from core import up as floor

    raise typer.Exit(floor.run(host, port, seed, with_asterisk=asterisk))


def main() -> None:
    """Console-script entry point; a Redis that does not answer is one clear line, not a trace."""
    try:
        app()
    except SchemaNotCurrent as exc:
        typer.echo(f"refused: {exc}; nothing was changed.", err=True)
        raise SystemExit(2) from None
    except ValidationError as exc:
        if exc.title != "Settings":
            raise
        # A CONCORD_* value that cannot be used: its own words, not a page of traceback.
        for error in exc.errors():
            field = "CONCORD_" + "_".join(map(str, error["loc"])).upper()
            said = error["msg"].removeprefix("Value error, ")
            typer.echo(f"refused: {said if not error['loc'] else f'{field}: {said}'}", err=True)
        raise SystemExit(2) from None
    except RedisConnectionError as exc:
        url = get_settings().redis_url
        typer.echo(
            f"cannot reach Redis at {url} ({exc}); start redis-server (bin/up does) "
            "or set CONCORD_REDIS_URL",
            err=True,
        )
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
