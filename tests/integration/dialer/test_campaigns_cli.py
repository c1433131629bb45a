"""`concord campaigns apply` / `export` end to end on the test database (SQLite, or PostgreSQL)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner, Result

from core.models import Campaign, CampaignAgent, Client, Portfolio, Role, User
from core.settings import get_settings
from dialer import campaign_cli
from dialer.campaigns import plan
from dialer.store import calling_profiles

pytestmark = [pytest.mark.db, pytest.mark.integration]
Cli = Callable[..., Result]

FLOOR = textwrap.dedent(
    """\
    campaigns:
      - client: NWB
        name: Cards early
        portfolios: [Cards 2026-Q3, London cards]
        dial_mode: predictive
        abandon_target: 0.025
        caller_id: "+12025550100"
        script: third_party_first_contact
        schedule:
          days: [mon, tue, wed, thu, fri]
          start: 9:00
          end: 20:00
          timezone: America/New_York
        filter: {segments: [high, medium]}
        agents: [ana, ben]
      - client: NWB
        name: Cards settlement
        portfolios: [Cards 2026-Q3]
        dial_mode: progressive
        script: settlement_offer
        filter: {min_balance_minor: 50000}
        agents: [ben]
    """
)


@pytest.fixture
def cli(db_engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """The real command against the test database, on a small floor: one client with two
    portfolios (one UK), two agents and a team lead."""
    with Session(db_engine) as db:
        client = Client(code="NWB", name="Northwind Bank")
        db.add(client)
        db.flush()
        db.add_all(
            [
                Portfolio(client_id=client.id or 0, name="Cards 2026-Q3"),
                Portfolio(client_id=client.id or 0, name="London cards", calling_profile="uk"),
                User(username="ana", password_hash="-", role=Role.AGENT.value),
                User(username="ben", password_hash="-", role=Role.AGENT.value),
                User(username="lee", password_hash="-", role=Role.TEAM_LEAD.value),
            ]
        )
        db.commit()
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_url)
    get_settings.cache_clear()

    def run(*args: str) -> Result:
        return CliRunner().invoke(campaign_cli.app, list(args))

    yield run
    get_settings.cache_clear()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "campaigns.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _campaigns(engine: Engine) -> dict[str, tuple[Campaign, list[str]]]:
    with Session(engine) as db:
        found = {}
        for row in db.exec(select(Campaign).order_by(col(Campaign.name))):
            agents = db.exec(
                select(User.username)
                .join(CampaignAgent, col(CampaignAgent.user_id) == col(User.id))
                .where(CampaignAgent.campaign_id == row.id)
                .order_by(col(User.username))
            ).all()
            found[row.name] = (row, list(agents))
        return found


def test_apply_creates_campaigns_the_dialer_can_run_and_a_second_apply_changes_nothing(
    cli: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    first = cli("apply", str(_write(tmp_path, FLOOR)))
    again = cli("apply", str(tmp_path / "campaigns.yaml"))

    assert first.exit_code == 0, first.output
    assert "changed: 2 of 2 campaign(s)" in first.output
    assert again.exit_code == 0 and "changed: 0 of 2 campaign(s)" in again.output
    stored = _campaigns(db_engine)
    early, early_agents = stored["Cards early"]
    assert early_agents == ["ana", "ben"] and stored["Cards settlement"][1] == ["ben"]
    with Session(db_engine) as db:
        worked = plan(early, calling_profiles(db, early.portfolio_ids))
        settlement = stored["Cards settlement"][0]
        assert plan(settlement).min_balance_minor == 50000
    assert worked.dial_mode == "predictive" and worked.abandon_target == 0.025
    assert worked.segments == ("high", "medium") and worked.timezone == "America/New_York"
    assert worked.days == ("mon", "tue", "wed", "thu", "fri")
    assert (worked.start.hour, worked.end and worked.end.hour) == (9, 20)
    assert worked.day_limit == 0.03  # the London portfolio holds every day to Ofcom's 3%


def test_an_edited_file_updates_only_what_changed_and_replaces_the_agents(
    cli: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    cli("apply", str(_write(tmp_path, FLOOR)))
    edited = FLOOR.replace("abandon_target: 0.025", "abandon_target: 0.015").replace(
        "agents: [ana, ben]", "agents: [ana]"
    )

    dry = cli("apply", "--dry-run", str(_write(tmp_path, edited)))
    unchanged = _campaigns(db_engine)["Cards early"]
    result = cli("apply", str(tmp_path / "campaigns.yaml"))

    assert dry.exit_code == 0 and "dry run, nothing written" in dry.output
    assert unchanged[0].abandon_target == 0.025 and unchanged[1] == ["ana", "ben"]
    assert result.exit_code == 0, result.output
    assert "abandon_target, agents" in result.output and "unchanged" in result.output
    early, agents = _campaigns(db_engine)["Cards early"]
    assert early.abandon_target == 0.015 and agents == ["ana"]
    assert early.updated_by == "campaigns campaigns.yaml"


def test_names_the_database_does_not_know_refuse_the_whole_file_with_their_lines(
    cli: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    cli("apply", str(_write(tmp_path, FLOOR)))
    before = {name: row.model_dump() for name, (row, _) in _campaigns(db_engine).items()}
    wrong = (
        FLOOR.replace("abandon_target: 0.025", "abandon_target: 0.01")
        .replace("London cards", "Paris cards")
        .replace("agents: [ben]", "agents: [ben, lee, zoe]")
        .replace("script: settlement_offer", "script: setlement_offer")
    )

    result = cli("apply", str(_write(tmp_path, wrong)))

    assert result.exit_code == 2
    lines = result.output.splitlines()
    path = tmp_path / "campaigns.yaml"
    assert lines[0].startswith(f"{path}:4: campaigns[0] ('Cards early').portfolios[1]: ")
    assert "no portfolio 'Paris cards' (its portfolios: Cards 2026-Q3, London cards)" in lines[0]
    assert f"{path}:22: campaigns[1] ('Cards settlement').agents[1]: lee is a team_lead" in lines[1]
    assert lines[2] == f"{path}:22: campaigns[1] ('Cards settlement').agents[2]: no user 'zoe'"
    assert lines[3].startswith(f"{path}:20: campaigns[1] ('Cards settlement').script: no call")
    assert lines[-1] == f"refused {path}: nothing was changed."
    after = {name: row.model_dump() for name, (row, _) in _campaigns(db_engine).items()}
    assert after == before  # the good edit in the same file did not land either


def test_export_writes_a_file_that_applies_back_unchanged(
    cli: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    cli("apply", str(_write(tmp_path, FLOOR)))

    exported = cli("export")
    one_client = cli("export", "--client", "NWB")
    unknown = cli("export", "--client", "ACME")
    back = cli("apply", str(_write(tmp_path, exported.output)))

    assert exported.exit_code == 0 and exported.output == one_client.output
    assert "name: Cards early" in exported.output and "- London cards" in exported.output
    assert back.exit_code == 0 and "changed: 0 of 2 campaign(s)" in back.output
    assert unknown.exit_code == 2 and "no client with code 'ACME'" in unknown.output


def test_an_agent_deactivated_or_bound_elsewhere_since_is_left_out_so_the_export_applies_back(
    cli: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    cli("apply", str(_write(tmp_path, FLOOR)))
    with Session(db_engine) as db:
        ana = db.exec(select(User).where(User.username == "ana")).one()
        ana.is_active = False  # left the floor (concord users deactivate ana)
        db.add(ana)
        other = Client(code="RCU", name="Ridge CU")
        db.add(other)
        db.flush()
        ben = db.exec(select(User).where(User.username == "ben")).one()
        ben.client_id = other.id  # bound elsewhere after the assignment was made
        db.add(ben)
        db.commit()

    exported = cli("export")
    back = cli("apply", str(_write(tmp_path, exported.output)))

    assert "- ana" not in exported.output and "- ben" not in exported.output
    assert back.exit_code == 0, back.output


def test_a_caller_id_another_client_shows_or_answers_is_refused_naming_the_owner(
    cli: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    with Session(db_engine) as db:
        db.add(Client(code="RCU", name="Ridge CU", callback_number="(202) 555-0100"))
        db.add(Client(code="HB", name="Harbor Bank"))
        db.commit()
    hers = FLOOR.replace('caller_id: "+12025550100"', 'caller_id: "+12025550199"')
    assert cli("apply", str(_write(tmp_path, hers))).exit_code == 0
    harbor = textwrap.dedent(
        """\
        campaigns:
          - client: HB
            name: Harbor early
            portfolios: [Cards 2026-Q3]
            dial_mode: progressive
            caller_id: "+12025550199"
        """
    )

    ridge_line = cli("apply", str(_write(tmp_path, FLOOR)))
    other_campaign = cli("apply", str(_write(tmp_path, harbor)))

    assert ridge_line.exit_code == 2
    assert (
        "campaigns[0] ('Cards early').caller_id: +12025550100 is client RCU's callback number; "
        "a debtor calling back would reach another creditor's line" in ridge_line.output
    )
    assert other_campaign.exit_code == 2
    assert "+12025550199 is the caller ID of client NWB's campaign 'Cards early'" in (
        other_campaign.output
    )
    assert _campaigns(db_engine)["Cards early"][0].caller_id == "+12025550199"


def test_a_name_or_agent_listed_twice_and_a_namesake_campaign_are_refused_by_line(
    cli: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    assert cli("apply", str(_write(tmp_path, FLOOR))).exit_code == 0
    before = {name: row.model_dump() for name, (row, _) in _campaigns(db_engine).items()}
    wrong = (
        FLOOR.replace("name: Cards early", "name: cards  Early")
        .replace("agents: [ben]", "agents: [ben, ben]")
        .replace("portfolios: [Cards 2026-Q3]", "portfolios: [Cards 2026-Q3, Cards 2026-Q3]")
    )

    dry = cli("apply", "--dry-run", str(_write(tmp_path, wrong)))

    path = tmp_path / "campaigns.yaml"
    assert dry.exit_code == 2, dry.output
    assert dry.output.splitlines()[:2] == [
        f"{path}:18: campaigns[1] ('Cards settlement').portfolios: Cards 2026-Q3 is listed twice",
        f"{path}:22: campaigns[1] ('Cards settlement').agents: ben is listed twice",
    ]
    fixed = wrong.replace("[ben, ben]", "[ben]").replace("Q3, Cards 2026-Q3]", "Q3]")
    namesake = cli("apply", str(_write(tmp_path, fixed)))
    assert namesake.exit_code == 2
    assert (
        f"{path}:3: campaigns[0] ('cards  Early').name: campaign 'cards  Early' would be new, "
        "but client NWB has 'Cards early'"
    ) in namesake.output
    after = {name: row.model_dump() for name, (row, _) in _campaigns(db_engine).items()}
    assert after == before


def test_an_agent_bound_to_another_client_is_refused(
    cli: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    with Session(db_engine) as db:
        other = Client(code="RCU", name="Ridge CU")
        db.add(other)
        db.flush()
        ben = db.exec(select(User).where(User.username == "ben")).one()
        ben.client_id = other.id
        db.add(ben)
        db.commit()

    result = cli("apply", str(_write(tmp_path, FLOOR)))

    assert result.exit_code == 2
    assert (
        f"{tmp_path / 'campaigns.yaml'}:15: campaigns[0] ('Cards early').agents[1]: ben works "
        "for client RCU only"
    ) in result.output
    assert _campaigns(db_engine) == {}


def test_a_file_that_resumes_a_campaign_a_lead_paused_says_whose_pause_it_undoes(
    cli: Cli, db_engine: Engine, tmp_path: Path
) -> None:
    assert cli("apply", str(_write(tmp_path, FLOOR))).exit_code == 0
    with Session(db_engine) as db:
        early = db.exec(select(Campaign).where(Campaign.name == "Cards early")).one()
        early.active, early.updated_by = False, "lead lee"  # paused from the lead page
        db.add(early)
        db.commit()

    result = cli("apply", "--dry-run", str(_write(tmp_path, FLOOR)))

    assert result.exit_code == 0, result.output
    assert "resumes the pause lead lee set at" in " ".join(result.output.split())
