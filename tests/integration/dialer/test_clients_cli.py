"""`concord clients`: a client made by its first import is told to set what its debtors hear."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from core.models import Client, utcnow
from core.placements.service import ensure_client
from core.placements.store import Stamp
from core.settings import get_settings
from dialer import clients_cli, store

pytestmark = [pytest.mark.db, pytest.mark.integration]
Cli = Callable[..., Result]


@pytest.fixture
def clients(db_engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """The real command, on a client created the way a first placement import creates it."""
    with db_engine.begin() as conn:
        ensure_client(conn, "ACME", Stamp(actor="import p.csv", now=utcnow(), today=date.today()))
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(clients_cli.app, list(args))
    get_settings.cache_clear()


def _stored(engine: Engine) -> Client:
    with Session(engine) as db:
        return db.exec(select(Client).where(Client.code == "ACME")).one()


def test_a_new_client_is_listed_with_what_its_abandon_message_lacks_until_it_is_set(
    clients: Cli, db_engine: Engine
) -> None:
    before = clients("list")

    done = clients(
        "set", "ACME", "--name", "Acme Card Services", "--business-name", "Acme Services",
        "--callback-number", "(800) 555-0199",
    )  # fmt: skip
    after = clients("list")

    assert "business_name is empty: abandoned calls hear the stock prompt" in before.output
    assert done.exit_code == 0, done.output
    client = _stored(db_engine)
    assert (client.name, client.business_name) == ("Acme Card Services", "Acme Services")
    assert client.callback_number == "+18005550199" and client.updated_by == "concord clients"
    # Reg F's limited-content message names a person to ask for: still missing
    assert "names no person to ask for (--contact-name)" in " ".join(after.output.split())
    named = clients("set", "ACME", "--contact-name", "  Morgan   Blake ")
    assert named.exit_code == 0, named.output
    assert "ask for Morgan Blake · abandon message: ok" in named.output
    assert _stored(db_engine).message_contact == "Morgan Blake"
    assert "│ ok" in clients("list").output


def test_without_its_own_contact_the_agencys_person_is_named(
    clients: Cli, db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONCORD_MESSAGE_CONTACT_NAME", "Jordan Lee")
    get_settings.cache_clear()
    done = clients("set", "ACME", "--business-name", "Acme Services", "--callback-number",
                   "(800) 555-0199")  # fmt: skip
    assert "ask for Jordan Lee · abandon message: ok" in done.output, done.output
    with Session(db_engine) as db:
        (said,) = store.client_messages(db, [_stored(db_engine).id or 0]).values()
    assert said.contact_name == "Jordan Lee"
    clients("set", "ACME", "--contact-name", "Morgan Blake")
    with Session(db_engine) as db:
        (said,) = store.client_messages(db, [_stored(db_engine).id or 0]).values()
    assert said.contact_name == "Morgan Blake"  # the client's own desk first


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--business-name", "Acme Debt Recovery"), "--business-name: business_name 'Acme Debt"),
        (("--name", "Acme", "--callback-number", "12"), "--callback-number: '12' is not a valid"),
        (("--name", " "), "--name: ' ' must be 1 to 200 characters"),
        ((), "give --name, --business-name, --callback-number or --contact-name"),
        (("--contact-name", "Debt Desk"), "--contact-name: 'Debt Desk' is not a person's name"),
        (("--contact-name", "Agent 7"), "--contact-name: 'Agent 7' is not a person's name"),
    ],
)
def test_a_bad_value_names_its_option_and_changes_nothing(
    clients: Cli, db_engine: Engine, args: tuple[str, ...], said: str
) -> None:
    before = _stored(db_engine).model_dump()

    result = clients("set", "ACME", *args)

    assert result.exit_code == 2 and said in result.output
    assert _stored(db_engine).model_dump() == before


def test_an_unknown_client_is_named_with_the_known_ones(clients: Cli) -> None:
    result = clients("set", "ACM", "--name", "x")

    assert result.exit_code == 2
    assert "code: no client 'ACM' (clients: ACME); nothing was changed." in result.output


def test_a_callback_number_another_client_answers_or_shows_is_refused(
    clients: Cli, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        db.add(Client(code="RCU", name="Ridge CU", callback_number="+18005550110"))
        db.commit()

    refused = clients("set", "ACME", "--callback-number", "(800) 555-0110")

    assert refused.exit_code == 2
    assert (
        "--callback-number: +18005550110 is client RCU's callback number; a debtor calling "
        "back would reach another creditor's line"
    ) in " ".join(refused.output.split())
    assert _stored(db_engine).callback_number == ""
