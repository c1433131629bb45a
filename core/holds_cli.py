"""`concord accounts holds CLIENT NUMBER [--add F] [--lift F --reason WHY] [--number-ok N]
[--calls-ok N --reason WHY]`: see, set and lift holds (with the last changes, who and why), take
back a wrong-number report, and lift a request not to be called on a number. `concord accounts
validation CLIENT [NUMBER] [--sent DAY | --mailed FILE] [--due]`: the validation notices on
record, and the accounts waiting for one.

Exit 2, nothing changed, on an unknown client, account or hold; the message names it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from core.terminal import By

app = typer.Typer(
    help="Accounts: the holds that stop all contact, and validation notices.",
    no_args_is_help=True,
)
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
    calls_ok: Annotated[
        list[str] | None,
        typer.Option(
            "--calls-ok",
            help="lift the debtor's request not to be called on this number (they asked to be "
            "called there again; needs --reason)",
        ),
    ] = None,
    by: By = "",
    reason: Annotated[
        str, typer.Option("--reason", help="why, kept with the change (needed to lift)")
    ] = "",
) -> None:
    """Show an account's holds, or add and lift them (each option may repeat)."""
    from core.db import command_session
    from core.holds import HoldError, change_holds
    from core.models import utcnow
    from core.settings import get_settings

    changing = bool(add or lift or number_ok or calls_ok)
    with command_session(get_settings().database_url, reading=not changing) as db:
        try:
            result = change_holds(
                db, client, number, add=add or [], lift=lift or [], actor=by, now=utcnow(),
                numbers_ok=number_ok or [], calls_ok=calls_ok or [], reason=reason,
            )  # fmt: skip
        except HoldError as exc:
            typer.echo(f"refused: {exc}; nothing was changed.", err=True)
            raise typer.Exit(EXIT_REFUSED) from None
        db.commit()
    on_account = ", ".join(result.account_flags) or "none"
    on_debtor = ", ".join(result.debtor_flags) or "none"
    wrong = ", ".join(result.wrong_numbers) or "none"
    no_calls = ", ".join(result.no_call_numbers) or "none"
    typer.echo(
        f"{client} {number}: holds on the account: {on_account}; on the debtor: {on_debtor}; "
        f"numbers reported wrong: {wrong}; numbers not to call: {no_calls}"
    )
    for change in result.history:
        why = f": {change.reason}" if change.reason else ""
        typer.echo(
            f"  {change.at:%Y-%m-%d %H:%M} UTC {change.action} {change.hold} "
            f"({change.level}) by {change.actor}{why}"
        )


@app.command("validation")
def validation(
    client: Annotated[str, typer.Argument(help="the client's code (as in placement imports)")],
    number: Annotated[
        str, typer.Argument(help="one account number (omit with --mailed/--due)")
    ] = "",
    sent: Annotated[
        datetime | None,
        typer.Option("--sent", formats=["%Y-%m-%d"], help="the day its notice was sent"),
    ] = None,
    mailed: Annotated[
        Path | None,
        typer.Option("--mailed", help="a mailing report CSV: account_number, sent_on"),
    ] = None,
    list_due: Annotated[
        bool, typer.Option("--due", help="list accounts waiting for a notice, late ones first")
    ] = False,
    correct: Annotated[
        bool, typer.Option("--correct", help="replace a sent day recorded by mistake")
    ] = False,
    by: By = "",
) -> None:
    """Validation notices (FDCPA 1692g, Reg F 1006.34): show one account's, record the day it
    was sent (one account or a letter vendor's mailing report), or list the accounts whose
    notice is due or late (exit 1 when any is late, for a nightly job)."""
    from core.db import command_session
    from core.models import utcnow
    from core.settings import get_settings
    from core.validation_notices import NoticeError, due, record_file, record_one, standing_of

    asked = [bool(number), mailed is not None, list_due]
    if sum(asked) != 1 or (sent is not None) != bool(number and sent):
        typer.echo(
            "refused: give an account NUMBER (with --sent to record), or --mailed FILE, or --due",
            err=True,
        )
        raise typer.Exit(EXIT_REFUSED)
    now = utcnow()
    changing = sent is not None or mailed is not None
    with command_session(get_settings().database_url, reading=not changing) as db:
        try:
            if mailed is not None:
                count = record_file(db, client, mailed, by, now, correct)
                db.commit()
                typer.echo(f"{client}: {count} validation notices recorded from {mailed}")
                return
            if list_due:
                waiting = due(db, client, now)
                late = sum(1 for s in waiting if s.overdue)
                typer.echo(
                    f"{client}: {len(waiting)} accounts wait for a validation notice, {late} late"
                )
                for s in waiting:
                    state = "LATE, contact held" if s.overdue else "due"
                    first = f"{s.first_conversation:%Y-%m-%d %H:%M} UTC"
                    typer.echo(
                        f"  {s.account_number}  {state} by {s.due_on}  (first spoke {first})"
                    )
                raise typer.Exit(1 if late else 0)
            if sent is not None:
                standing = record_one(db, client, number, sent.date(), by, now, correct)
                db.commit()
            else:
                from core.holds import HoldError, account_by_number

                try:
                    standing = standing_of(db, account_by_number(db, client, number), now)
                except HoldError as exc:
                    raise NoticeError(str(exc)) from None
        except NoticeError as exc:
            typer.echo(f"refused: {exc}\nnothing was changed.", err=True)
            raise typer.Exit(EXIT_REFUSED) from None
    if standing is None:
        typer.echo(f"{client} {number}: not worked under US law; no validation notice applies")
    else:
        typer.echo(f"{client} {number}: {standing.in_words()}")
