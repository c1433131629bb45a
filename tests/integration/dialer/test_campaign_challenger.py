"""A campaign's script test from the campaigns file to `concord campaigns compare`: the
challenger is applied, exported back, refused when it names no script, and its calls compared
with the champion's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from test_campaigns_cli import FLOOR, Cli, _campaigns, _write, cli  # noqa: F401  (fixture)

from core.models import (
    Account,
    Campaign,
    ContactAttempt,
    Debtor,
    DispositionCode,
    PaymentPlan,
    Portfolio,
    PromiseToPay,
    utcnow,
)

pytestmark = [pytest.mark.db, pytest.mark.integration]

TESTED = FLOOR.replace(
    "    script: third_party_first_contact\n",
    "    script: third_party_first_contact\n"
    "    challenger: {script: first_contact_options, share: 20}\n",
)


def test_a_challenger_is_applied_and_exported_back_as_written(
    cli: Cli,  # noqa: F811  (the fixture imported above)
    db_engine: Engine,
    tmp_path: Path,
) -> None:
    applied = cli("apply", str(_write(tmp_path, TESTED)))
    assert applied.exit_code == 0, applied.output
    early, _ = _campaigns(db_engine)["Cards early"]
    assert (early.challenger_script, early.challenger_share) == ("first_contact_options", 20)
    exported = cli("export")
    assert "challenger:\n    script: first_contact_options\n    share: 20" in exported.output
    again = cli("apply", str(_write(tmp_path, exported.output)))
    assert again.exit_code == 0 and "changed: 0 of 2 campaign(s)" in again.output
    ended = cli("apply", str(_write(tmp_path, FLOOR)))  # the test is over: the line removed
    assert "challenger_script, challenger_share" in ended.output
    assert _campaigns(db_engine)["Cards early"][0].challenger_script == ""


@pytest.mark.parametrize(
    ("challenger", "said"),
    [
        ("{script: nudge_v9, share: 20}", "challenger.script: no call script 'nudge_v9'"),
        ("{script: first_contact_options, share: 60}", "share: Input should be less than or equal"),
        (
            "{script: third_party_first_contact, share: 20}",
            "challenger.script: 'third_party_first_contact' is the campaign's own script",
        ),
        (
            "{script: inbound_call, share: 20}",
            "challenger.script: 'inbound_call' is the script for debtors calling in",
        ),
        ("{script: first_contact_options, share: true}", "share: Input should be a valid integer"),
    ],
)
def test_a_challenger_naming_no_script_too_large_or_the_same_is_refused_by_line(
    cli: Cli,  # noqa: F811  (the fixture imported above)
    db_engine: Engine,
    tmp_path: Path,
    challenger: str,
    said: str,
) -> None:
    text = TESTED.replace("{script: first_contact_options, share: 20}", challenger)
    refused = cli("apply", str(_write(tmp_path, text)))
    assert refused.exit_code == 2, refused.output
    assert said in refused.output
    assert f"{tmp_path / 'campaigns.yaml'}:" in refused.output
    assert _campaigns(db_engine) == {}  # nothing written


def _calls(db: Session, campaign: Campaign, script: str, outcomes: list[str]) -> None:
    """One account per outcome, called under `script`: PTP with a promise, PLAN with a plan."""
    codes = {c.code: c for c in db.exec(select(DispositionCode))}
    portfolio = db.get(Portfolio, campaign.portfolio_ids[0])
    assert portfolio is not None
    for n, code in enumerate(outcomes):
        debtor = Debtor(client_id=campaign.client_id, first_name="P", last_name=f"{script}{n}")
        db.add(debtor)
        db.flush()
        account = Account(client_id=campaign.client_id, portfolio_id=portfolio.id or 0,
                          debtor_id=debtor.id or 0, client_account_number=f"{script}-{n}",
                          balance_minor=100_000)  # fmt: skip
        db.add(account)
        db.flush()
        attempt = ContactAttempt(account_id=account.id or 0, debtor_id=debtor.id or 0,
                                 channel="call", campaign_id=campaign.id,
                                 started_at=utcnow() - timedelta(days=2),
                                 outcome="conversation", script_name=script,
                                 disposition_code_id=codes[code].id)  # fmt: skip
        db.add(attempt)
        db.flush()
        if code == "PTP":
            db.add(PromiseToPay(account_id=account.id or 0, amount_minor=10_000,
                                due_date=utcnow().date(), contact_attempt_id=attempt.id,
                                status="kept" if n % 2 else "pending"))  # fmt: skip
        if code == "PLAN":
            db.add(PaymentPlan(account_id=account.id or 0, total_minor=60_000,
                               contact_attempt_id=attempt.id))  # fmt: skip


def test_compare_says_which_script_collects_better_and_whether_it_is_chance(
    cli: Cli,  # noqa: F811  (the fixture imported above)
    db_engine: Engine,
    tmp_path: Path,
) -> None:
    cli("apply", str(_write(tmp_path, TESTED)))
    with Session(db_engine) as db:
        campaign = db.exec(select(Campaign).where(Campaign.name == "Cards early")).one()
        client_id = campaign.client_id
        for code, category in (("PTP", "promise"), ("PLAN", "plan"), ("RPC", "right_party"),
                               ("NA", "no_contact")):  # fmt: skip
            db.add(DispositionCode(client_id=client_id, code=code, label=code, category=category))
        db.flush()
        _calls(db, campaign, "third_party_first_contact", ["PTP"] * 4 + ["RPC"] * 36 + ["NA"] * 9)
        _calls(db, campaign, "first_contact_options", ["PTP"] * 10 + ["PLAN"] * 4 + ["RPC"] * 26)
        db.commit()

    result = cli("compare", "NWB", "Cards early")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "campaign 'Cards early', last 30 days (20% challenger):"
    assert lines[1] == (
        "  champion   third_party_first_contact: 49 calls to 49 accounts, 10.0% of 40 "
        "right-party contacts promised or planned, $400.00 promised, 2 kept so far"
    )
    assert lines[2] == (
        "  challenger first_contact_options: 40 calls to 40 accounts, 35.0% of 40 right-party "
        "contacts promised or planned, $3,400.00 promised, 5 kept so far"
    )
    assert lines[3].startswith("first_contact_options is ahead by 25.0 points, more than chance")
    assert cli("compare", "NWB", "Cards settlement").exit_code == 2  # no test there
    unknown = cli("compare", "NWB", "Cards late")
    assert (
        unknown.exit_code == 2 and "its campaigns: Cards early, Cards settlement" in unknown.output
    )
