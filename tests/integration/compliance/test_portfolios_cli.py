"""`concord portfolios apply` / `export` on the test database (SQLite, or PostgreSQL): the
rules a file sets are the ones the compliance engine then works the portfolio under."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from compliance import portfolio_cli
from compliance.store import portfolio_profile
from core.models import Account, Address, Debtor, Portfolio, utcnow
from core.placements.service import ensure_client, ensure_portfolio
from core.placements.store import Stamp
from core.settings import get_settings

pytestmark = [pytest.mark.db, pytest.mark.integration]
Cli = Callable[..., Result]

RULES = textwrap.dedent(
    """\
    portfolios:
      - client: ACME
        name: London cards
        calling_profile: uk
        settlement_min_pct: 60
        promise_max_days: 14
        machine_action: hangup
        rules:
          start: 9:00
          end: "20:00"
          holidays: [{country: GB, subdiv: ENG}]
      - client: ACME
        name: Boston cards
        calling_profile: us-ma
        rules: {weekly_call_cap: 5}
    """
)


@pytest.fixture
def portfolios(db_engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """The real command, on a client and portfolio made the way a first import makes them."""
    stamp = Stamp(actor="import p.csv", now=utcnow(), today=date.today())
    with db_engine.begin() as conn:
        client_id, _ = ensure_client(conn, "ACME", stamp)
        ensure_portfolio(conn, client_id, "London cards", stamp)
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(portfolio_cli.app, list(args))
    get_settings.cache_clear()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "portfolios.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _stored(engine: Engine) -> dict[str, Portfolio]:
    with Session(engine) as db:
        return {p.name: p for p in db.exec(select(Portfolio))}


def test_the_engine_works_a_portfolio_under_the_profile_and_tightenings_the_file_sets(
    portfolios: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    before = portfolio_profile(_stored(db_engine)["London cards"])

    result = portfolios("apply", str(_write(tmp_path, RULES)))
    again = portfolios("apply", str(tmp_path / "portfolios.yaml"))

    assert before.name == "us"  # what an import gives a UK book until someone says otherwise
    assert result.exit_code == 0, result.output
    assert "changed: 2 of 2 portfolio(s)" in result.output and "created" in result.output
    assert "changed: 0 of 2 portfolio(s)" in again.output
    stored = _stored(db_engine)
    london = stored["London cards"]
    assert (london.settlement_min_pct, london.promise_max_days) == (60, 14)
    assert london.machine_action == "hangup" and london.updated_by == "portfolios portfolios.yaml"
    profile = portfolio_profile(london)
    assert (profile.name, profile.start, profile.end) == ("uk", 9 * 60, 20 * 60)
    assert profile.abandon_day_limit == 0.03 and profile.holidays[0].country == "GB"
    boston = portfolio_profile(stored["Boston cards"])
    assert (boston.state_call_cap, boston.weekly_call_cap) == (2, 5)


def test_a_file_that_would_loosen_the_law_or_names_an_unknown_client_changes_nothing(
    portfolios: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    before = _stored(db_engine)["London cards"].model_dump()
    loose = RULES.replace('end: "20:00"', 'end: "22:00"').replace("start: 9:00", "start: 7:00")
    stranger = RULES.replace("client: ACME\n    name: Boston", "client: ACMEE\n    name: Boston")

    loosened = portfolios("apply", str(_write(tmp_path, loose)))
    unknown = portfolios("apply", str(_write(tmp_path, stranger)))

    path = tmp_path / "portfolios.yaml"
    assert loosened.exit_code == 2
    assert loosened.output.splitlines()[0] == (  # every loosening at once, on the rules' line
        f"{path}:8: portfolios[0] ('London cards').rules: start 07:00 is earlier than profile "
        "uk's 08:00; end 22:00 is later than profile uk's 21:00; a portfolio can only tighten"
    )
    assert unknown.exit_code == 2
    assert f"{path}:12: portfolios[1] ('Boston cards').client: no client with code 'ACMEE'" in (
        unknown.output
    )
    assert _stored(db_engine)["London cards"].model_dump() == before
    assert "Boston cards" not in _stored(db_engine)


def test_a_profile_change_that_would_take_its_debtors_out_of_their_countrys_law_is_refused(
    portfolios: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    """A US book set to `uk` would lose the 7-in-7 cap and the week after a conversation; the
    same file for a book of London debtors is the profile it was waiting for."""
    with Session(db_engine) as db:
        book = _stored(db_engine)["London cards"]
        for n, country in enumerate(("US", "US", "GB")):
            debtor = Debtor(client_id=book.client_id, first_name="Pat", last_name=f"Doe{n}")
            db.add(debtor)
            db.flush()
            db.add(Address(debtor_id=debtor.id or 0, country=country))
            db.add(Account(client_id=book.client_id, portfolio_id=book.id or 0,
                           debtor_id=debtor.id or 0, client_account_number=f"L-{n}",
                           balance_minor=1_000))  # fmt: skip
        db.commit()

    refused = portfolios("apply", str(_write(tmp_path, RULES)))

    assert refused.exit_code == 2
    assert (
        "portfolios[0] ('London cards').calling_profile: uk is the law of GB, but debtors of "
        "this portfolio live elsewhere (2 in US); profile us keeps the rules"
    ) in " ".join(refused.output.split())
    assert _stored(db_engine)["London cards"].calling_profile == "us"
    assert "Boston cards" not in _stored(db_engine)  # all or nothing
    with Session(db_engine) as db:
        for address in db.exec(select(Address)):
            address.country = "GB"  # the addresses corrected: all of them in London
            db.add(address)
        db.commit()
    assert portfolios("apply", str(tmp_path / "portfolios.yaml")).exit_code == 0
    assert _stored(db_engine)["London cards"].calling_profile == "uk"


def test_export_writes_the_rules_back_as_a_file_that_applies_unchanged(
    portfolios: Cli, tmp_path: Path
) -> None:
    portfolios("apply", str(_write(tmp_path, RULES)))

    exported = portfolios("export", "--client", "ACME")
    back = portfolios("apply", str(_write(tmp_path, exported.output)))

    assert exported.exit_code == 0
    assert "start: 09:00" in exported.output and "calling_profile: uk" in exported.output
    assert back.exit_code == 0 and "changed: 0 of 2 portfolio(s)" in back.output


FOLLOWUPS = textwrap.dedent(
    """\
    portfolios:
      - client: ACME
        name: London cards
        followups:
          template_set: harbor
          triggers:
            no_contact: [sms]
            promise_reminder: []
          send_hour: 11
    """
)


def test_followups_name_a_template_set_of_the_agencys_folder_and_export_back(
    portfolios: Cli, db_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, FOLLOWUPS)
    missing = portfolios("apply", str(path))
    sms = tmp_path / "sets" / "harbor" / "en" / "no_contact.sms.txt"
    sms.parent.mkdir(parents=True)
    monkeypatch.setenv("CONCORD_OUTREACH_TEMPLATES_DIR", str(tmp_path / "sets"))
    sms.write_text("Hi {{ first_name }}, about your {{ balance }}.")
    broken = portfolios("apply", str(path))
    sms.write_text("Hi {{ first_name }}, please call {{ business_name }}. A debt collector writes.")

    applied = portfolios("apply", str(path))
    exported = portfolios("export", "--client", "ACME")
    back = portfolios("apply", str(_write(tmp_path, exported.output)))

    assert missing.exit_code == 2 and f"{path}:5: portfolios[0] ('London cards')" in missing.output
    assert "no message template set 'harbor' (sets: default)" in missing.output
    assert broken.exit_code == 2 and "template set 'harbor' does not render: " in broken.output
    assert "harbor/en/no_contact.sms.txt: 'balance' is undefined" in broken.output
    assert applied.exit_code == 0, applied.output
    assert _stored(db_engine)["London cards"].followup_templates == {
        "template_set": "harbor",
        "triggers": {"no_contact": ["sms"], "promise_reminder": []},
        "send_hour": 11,
    }
    assert "followups:" in exported.output and "rules:" not in exported.output
    assert back.exit_code == 0 and "changed: 0 of 1 portfolio(s)" in back.output


def test_followups_the_worker_could_not_read_are_refused_naming_the_field(
    portfolios: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    before = _stored(db_engine)["London cards"].followup_templates
    unknown = FOLLOWUPS.replace("promise_reminder: []", "reminders: []")
    late = FOLLOWUPS.replace("send_hour: 11", "send_hour: 24")

    refused = [portfolios("apply", str(_write(tmp_path, text))) for text in (unknown, late)]

    assert [r.exit_code for r in refused] == [2, 2]
    assert "followups: triggers.reminders is not a trigger (known: promise_confirmation" in (
        refused[0].output
    )
    assert "followups: send_hour must be a whole number 0-23" in refused[1].output
    assert _stored(db_engine)["London cards"].followup_templates == before


def test_a_new_portfolio_named_like_an_existing_one_but_for_case_is_refused(
    portfolios: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    typo = RULES.replace("name: London cards", "name: london  Cards")

    result = portfolios("apply", str(_write(tmp_path, typo)))

    assert result.exit_code == 2
    assert (
        f"{tmp_path / 'portfolios.yaml'}:3: portfolios[0] ('london  Cards').name: portfolio "
        "'london  Cards' would be new, but client ACME has 'London cards'"
    ) in result.output
    assert sorted(_stored(db_engine)) == ["London cards"]
