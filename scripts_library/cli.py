"""`concord scripts`: lint the script library and preview a script for a real account."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scripts_library.library import SHIPPED_DIR, Library, ScriptNotFound
from scripts_library.lint import DEFAULT_MAX_GRADE, lint_path

app = typer.Typer(
    help="Call scripts: lint them (CI runs this) and preview one filled for an account.",
    no_args_is_help=True,
)


@app.command("lint")
def lint(
    path: Annotated[
        Path, typer.Argument(help="a script file or a folder of them (default: shipped scripts)")
    ] = SHIPPED_DIR,
    max_grade: Annotated[
        float, typer.Option(help="highest reading grade allowed for scripts without a client")
    ] = DEFAULT_MAX_GRADE,
) -> None:
    """Print every finding as FILE: NODE: [CODE] REASON and exit 1 if there is any."""
    if not path.exists():
        typer.echo(f"{path}: no such file or folder", err=True)
        raise typer.Exit(2)
    findings = lint_path(path, default_grade=max_grade)
    for finding in findings:
        typer.echo(str(finding))
    if findings:
        typer.echo(f"{len(findings)} finding(s)", err=True)
        raise typer.Exit(1)
    typer.echo(f"{path}: scripts are clean")


@app.command("preview")
def preview(
    name: Annotated[str, typer.Argument(help="script name, e.g. settlement_offer")],
    account: Annotated[int, typer.Option("--account", help="Account id in the database")],
    agent: Annotated[str, typer.Option(help="agent first name to fill in")] = "Sam",
    agency: Annotated[str, typer.Option(help="our agency's name to fill in")] = "Concord Recovery",
    language: Annotated[
        str | None, typer.Option(help="override the debtor's preferred language")
    ] = None,
    path: Annotated[Path, typer.Option(help="script folder")] = SHIPPED_DIR,
) -> None:
    """Print every node of the variant this account would get, filled with its data."""
    from jinja2 import TemplateError
    from sqlmodel import Session

    from core.db import make_engine
    from core.settings import get_settings
    from scripts_library.accounts import AccountNotFound, load_account_facts
    from scripts_library.fields import build_context
    from scripts_library.preview import format_preview, render_script

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            facts = load_account_facts(session, account)
    except AccountNotFound as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    try:
        library = Library.from_path(path)
    except ValueError as exc:  # a file of the folder does not load: say which, as lint does
        typer.echo(f"{exc}; `concord scripts lint {path}` lists every problem", err=True)
        raise typer.Exit(2) from None
    try:
        doc = library.resolve(
            name,
            client=facts.client.code,
            language=language or facts.debtor.preferred_language,
            jurisdiction=facts.portfolio.calling_profile,
            segment=facts.account.segment or "default",
        )
    except ScriptNotFound as exc:
        typer.echo(f"{exc}; scripts: {', '.join(library.names())}", err=True)
        raise typer.Exit(1) from exc
    context = build_context(
        facts.account,
        facts.debtor,
        facts.client,
        agent,
        portfolio=facts.portfolio,
        agency_name=agency,
        payment_link=f"{settings.public_base_url}/pay/{facts.account.id}",
    )
    try:
        rendered = render_script(doc, context)
    except TemplateError as exc:  # a merge field the account cannot fill, a broken template
        typer.echo(
            f"{doc.ref}: cannot be filled for account {account}: {exc}; "
            f"`concord scripts lint {path}` names the node",
            err=True,
        )
        raise typer.Exit(2) from None
    typer.echo(format_preview(doc, rendered))
