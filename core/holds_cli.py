"""`concord accounts holds CLIENT NUMBER [--add F] [--lift F --reason WHY] [--number-ok N]`:
see, set and lift holds (with the last changes, who and why), and take back a wrong-number
report.

Exit 2, nothing changed, on an unknown client, account or hold; the message names it.
"""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="Accounts: the holds that stop all contact.", no_args_is_help=True)
EXIT_REFUSED = 2


@app.command("holds")
def holds(
    client: Annotated[str, typer.Argument(help="the client's code (as in placement imports)")],
    number: Annotated[str, typer.Argument(help="the client's account number")],
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            help="set a hold: dispute, cease, attorney, deceased, bankruptcy, recalled",
        ),
    ] = None,
    lift: Annotated[list[str] | None, typer.Option("--lift", help="lift a hold")] = None,
    number_ok: Annotated[
        list[str] | None,
        typer.Option("--number-ok", help="take back a wrong-number report on this number"),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="who changes it, for the audit")] = "concord",
    reason: Annotated[
        str, typer.Option("--reason", help="why, kept with the change (needed to lift)")
    ] = "",
) -> None:
    """Show an account's holds, or add and lift them (each option may repeat)."""
    from core.db import command_session
    from core.holds import HoldError, change_holds
    from core.models import utcnow
    from core.settings import get_settings

    changing = bool(add or lift or number_ok)
    with command_session(get_settings().database_url, reading=not changing) as db:
        try:
            result = change_holds(
                db, client, number, add=add or [], lift=lift or [], actor=by, now=utcnow(),
                numbers_ok=number_ok or [], reason=reason,
            )  # fmt: skip
        except HoldError as exc:
            typer.echo(f"refused: {exc}; nothing was changed.", err=True)
            raise typer.Exit(EXIT_REFUSED) from None
        db.commit()
    on_account = ", ".join(result.account_flags) or "none"
    on_debtor = ", ".join(result.debtor_flags) or "none"
    wrong = ", ".join(result.wrong_numbers) or "none"
    typer.echo(
        f"{client} {number}: holds on the account: {on_account}; on the debtor: {on_debtor}; "
        f"numbers reported wrong: {wrong}"
    )
    for change in result.history:
        why = f": {change.reason}" if change.reason else ""
        typer.echo(
            f"  {change.at:%Y-%m-%d %H:%M} UTC {change.action} {change.hold} "
            f"({change.level}) by {change.actor}{why}"
        )
