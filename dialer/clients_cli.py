"""`concord clients list | set CODE`: what debtors are told about each client.

Exit 2, nothing changed, on a bad value; the message names the option.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import col, func, select

from core.terminal import console

app = typer.Typer(
    help="Clients: the business name, callback number and person their debtors hear.",
    no_args_is_help=True,
)
EXIT_REFUSED = 2


@app.command("set")
def set_client(
    code: Annotated[str, typer.Argument(help="the client's code (as in placement imports)")],
    name: Annotated[str | None, typer.Option("--name", help="the client's own name")] = None,
    business_name: Annotated[
        str | None,
        typer.Option("--business-name", help="what a limited-content message says (no debt words)"),
    ] = None,
    callback_number: Annotated[
        str | None, typer.Option("--callback-number", help="the number debtors call back")
    ] = None,
    contact_name: Annotated[
        str | None,
        typer.Option(
            "--contact-name",
            help="the person a limited-content message tells debtors to ask for, one who "
            'answers the callback number ("" falls back to CONCORD_MESSAGE_CONTACT_NAME)',
        ),
    ] = None,
) -> None:
    """Set a client's name, business name, callback number or contact name (the others stay)."""
    from core.db import command_session
    from core.models import utcnow
    from core.settings import get_settings
    from dialer.client_details import ClientDetailsError, readiness, set_details

    with command_session(get_settings().database_url) as db:
        try:
            client = set_details(
                db, code, name=name, business_name=business_name,
                callback_number=callback_number, actor="concord clients", now=utcnow(),
                contact_name=contact_name,
            )  # fmt: skip
        except ClientDetailsError as exc:
            typer.echo(f"refused: {exc}; nothing was changed.", err=True)
            raise typer.Exit(EXIT_REFUSED) from None
        db.commit()
    agency = get_settings().message_contact_name
    said = (client.code, client.name, client.business_name or "-", client.callback_number or "-",
            f"ask for {client.message_contact or agency or '-'}")  # fmt: skip
    typer.echo(" · ".join(said) + f" · abandon message: {readiness(client, agency)}")


@app.command("list")
def list_clients() -> None:
    """Every client with its accounts and whether its abandon message can be made."""
    from core.db import command_session
    from core.models import Account, Client
    from core.settings import get_settings
    from dialer.client_details import readiness

    with command_session(get_settings().database_url, reading=True) as db:
        counted = select(Account.client_id, func.count(col(Account.id)))
        accounts = dict(db.exec(counted.group_by(col(Account.client_id))).all())
        clients = list(db.exec(select(Client).order_by(col(Client.code))))
    agency = get_settings().message_contact_name
    table = Table("code", "name", "business name", "callback number", "ask for", "accounts",
                  "abandon message")  # fmt: skip
    for client in clients:
        table.add_row(
            client.code, client.name, client.business_name, client.callback_number,
            client.message_contact or agency, str(accounts.get(client.id or 0, 0)),
            readiness(client, agency),
        )  # fmt: skip
    console().print(table)
