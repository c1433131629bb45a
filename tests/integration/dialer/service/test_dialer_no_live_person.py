"""A connected call on which the agent heard an answering machine (AMD let it through) is no
live answer: the abandon rate is abandons over calls a live person answered, so counting it
would lower the rate the 3% cap is measured on, in the shop's favour."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from dialer_rig import Floor, Rig, running
from sqlalchemy import text

from core.models import ContactAttempt, DispositionCategory, DispositionCode, utcnow
from dialer import service, store
from dialer.abandon import Rate

pytestmark = [pytest.mark.integration, pytest.mark.asterisk, pytest.mark.db]


def codes(floor: Floor) -> dict[str, DispositionCode]:
    made = {
        "MACH": DispositionCode(
            client_id=floor.client.id or 0,
            code="MACH",
            label="Answering machine",
            category=DispositionCategory.NO_CONTACT,
        ),
        "RPC": DispositionCode(
            client_id=floor.client.id or 0,
            code="RPC",
            label="Right party",
            category=DispositionCategory.RIGHT_PARTY,
        ),
    }
    floor.session.add_all(made.values())
    floor.session.commit()
    return made


def settled_calls(floor: Floor, *outcomes: str) -> list[ContactAttempt]:
    """Calls of the floor's campaign settled a minute ago, one per outcome. A test counts them
    on their own day (a minute ago may be yesterday, when the test runs just after midnight)."""
    account = floor.account(1)
    rows = [
        ContactAttempt(
            account_id=account.id or 0,
            debtor_id=account.debtor_id,
            channel="call",
            started_at=utcnow() - timedelta(minutes=1),
            campaign_id=floor.campaign.id,
            call_id=f"cc-settled-{n}",
            outcome=outcome,
        )
        for n, outcome in enumerate(outcomes)
    ]
    floor.session.add_all(rows)
    floor.session.commit()
    return rows


def test_the_stored_ledger_leaves_out_connected_calls_dispositioned_as_no_contact(
    floor: Floor,
) -> None:
    code = codes(floor)
    machine, person, _, abandoned = settled_calls(
        floor, "conversation", "conversation", "conversation", "abandoned"
    )
    machine.disposition_code_id = code["MACH"].id
    person.disposition_code_id = code["RPC"].id
    abandoned.disposition_code_id = code["MACH"].id  # an abandon stays one, whatever is said
    floor.session.add_all([machine, person, abandoned])
    floor.session.commit()
    day = machine.started_at.date()

    ledger = store.abandon_ledger(floor.session, floor.campaign.id or 0, day)

    assert ledger.rate_day(day) == Rate(live=3, abandoned=1)
    found = store.no_live_person(floor.session, floor.campaign.id or 0, day)
    assert found == {machine.id: day}


def test_the_stored_ledger_counts_each_call_on_its_utc_day_whatever_the_sessions_time_zone(
    floor: Floor,
) -> None:
    today = utcnow().date()
    midnight = datetime.combine(today, time(0, 0), UTC)
    late, abandoned_late, early = settled_calls(floor, "conversation", "abandoned", "conversation")
    late.started_at = abandoned_late.started_at = midnight - timedelta(minutes=30)
    early.started_at = midnight + timedelta(minutes=30)
    floor.session.add_all([late, abandoned_late, early])
    floor.session.commit()
    if floor.session.get_bind().dialect.name == "postgresql":
        # in New York both late calls fall on the same day as the early one
        floor.session.exec(text("SET LOCAL TIME ZONE 'America/New_York'"))  # type: ignore[call-overload]

    ledger = store.abandon_ledger(floor.session, floor.campaign.id or 0, today)
    floor.session.rollback()

    assert ledger.rate_day(today - timedelta(days=1)) == Rate(live=2, abandoned=1)
    assert ledger.rate_day(today) == Rate(live=1, abandoned=0)


async def test_a_running_dialer_takes_a_call_heard_as_a_machine_out_of_its_ledger_once(
    rig: Rig, floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "RELOAD_EVERY_S", 0.2)
    reloads = []
    real = store.no_live_person

    def counted(*args: object) -> object:
        reloads.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "no_live_person", counted)
    code = codes(floor)
    machine, person, _ = settled_calls(floor, "conversation", "conversation", "abandoned")
    campaign_id = floor.campaign.id or 0
    day = machine.started_at.date()

    async with running(rig):
        runtime = await rig.screens.wait(
            lambda: rig.service.campaigns.get(campaign_id), 10, "the campaign loaded"
        )
        assert runtime.ledger.rate_day(day) == Rate(live=3, abandoned=1)

        machine.disposition_code_id = code["MACH"].id  # the agent heard a greeting
        person.disposition_code_id = code["RPC"].id
        floor.session.add_all([machine, person])
        floor.session.commit()
        await rig.screens.wait(
            lambda: runtime.ledger.rate_day(day).live == 2, 10, "the machine taken out"
        )
        seen = len(reloads)
        await rig.screens.wait(lambda: len(reloads) >= seen + 2, 10, "two more reloads")
        assert runtime.ledger.rate_day(day) == Rate(live=2, abandoned=1)  # only once

    after_restart = store.abandon_ledger(floor.session, campaign_id, day)
    assert after_restart.rate_day(day) == runtime.ledger.rate_day(day)
