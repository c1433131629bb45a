"""The opt-out key at the message: every phone row holding the number stops taking calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from core.models import Account, Client, Debtor, HoldChange, Phone, Portfolio
from core.models.parties import KEYPAD_OPT_OUT_BY
from dialer.keypad import KEYPAD_SOURCE, stop_calls_to
from dialer.store import auto_dial_allowed
from outreach.models import OptOut

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
NUMBER = "+12025550198"


def portfolio(session: Session, client: Client) -> int:
    found = Portfolio(client_id=client.id or 0, name="P")
    session.add(found)
    session.flush()
    return found.id or 0


def debtor(session: Session, client: Client, *numbers: str) -> Debtor:
    person = Debtor(client_id=client.id or 0, first_name="Pat", last_name="Doe")
    session.add(person)
    session.flush()
    for position, number in enumerate(numbers):
        session.add(Phone(debtor_id=person.id or 0, number=number, type="landline",
                          position=position))  # fmt: skip
    return person


@pytest.mark.db
def test_the_key_stops_calls_to_the_line_for_every_debtor_on_it_and_no_other_number(
    session: Session,
) -> None:
    acme, birch = Client(code="k1", name="Acme"), Client(code="k2", name="Birch")
    session.add_all([acme, birch])
    session.flush()
    called = debtor(session, acme, NUMBER, "+12025550111")
    household = debtor(session, birch, NUMBER)  # another client's debtor on the same line
    debtor(session, acme, "+12025550122")
    earlier = NOW - timedelta(days=3)
    stopped_before = debtor(session, birch, NUMBER)
    session.flush()
    (old,) = session.exec(select(Phone).where(Phone.debtor_id == stopped_before.id)).all()
    old.no_calls_at = earlier  # asked an agent three days ago
    session.commit()

    account = Account(client_id=acme.id or 0, portfolio_id=portfolio(session, acme),
                      debtor_id=called.id or 0, client_account_number="K-1")  # fmt: skip
    session.add(account)
    session.flush()
    changed = stop_calls_to(session, NUMBER, NOW, account_id=account.id)
    session.commit()

    assert sorted(changed) == sorted([called.id, household.id])
    phones = {(p.debtor_id, p.number): p for p in session.exec(select(Phone)).all()}
    for who in (called, household):
        line = phones[(who.id or 0, NUMBER)]
        assert line.no_calls_at == NOW and line.updated_by == KEYPAD_OPT_OUT_BY
        assert not auto_dial_allowed(line)
    assert phones[(stopped_before.id or 0, NUMBER)].no_calls_at == earlier  # the first stands
    assert phones[(called.id or 0, "+12025550111")].no_calls_at is None  # their other number
    assert all(p.no_calls_at is None for (_, n), p in phones.items() if n != NUMBER)
    assert stop_calls_to(session, "", NOW) == []  # a withheld number: nothing to stop
    (kept,) = session.exec(select(HoldChange)).all()  # the called account's history says so
    assert (kept.account_id, kept.hold, kept.action, kept.actor) == (
        account.id, "no_calls", "set", KEYPAD_OPT_OUT_BY
    )  # fmt: skip
    assert kept.reason == f"{NUMBER}: pressed 9 at the message"


@pytest.mark.db
def test_the_key_on_a_mobile_revokes_its_consent_and_opts_its_debtor_out_of_texts(
    session: Session,
) -> None:
    """A text is a call under the TCPA: "stop calls to this number" is no licence to go on
    texting it."""
    acme = Client(code="k3", name="Acme")
    session.add(acme)
    session.flush()
    person = Debtor(client_id=acme.id or 0, first_name="Mei", last_name="Campbell")
    landline_only = Debtor(client_id=acme.id or 0, first_name="Ann", last_name="Roe")
    session.add_all([person, landline_only])
    session.flush()
    session.add_all([
        Phone(debtor_id=person.id or 0, number=NUMBER, type="mobile", consent=True),
        Phone(debtor_id=person.id or 0, number="+12025550151", type="mobile", consent=True),
        Phone(debtor_id=landline_only.id or 0, number=NUMBER, type="landline"),
    ])  # fmt: skip
    session.commit()

    stop_calls_to(session, NUMBER, NOW)
    session.commit()

    session.refresh(person)
    session.refresh(landline_only)
    assert person.sms_opt_out and not landline_only.sms_opt_out
    (evidence,) = session.exec(select(OptOut)).all()
    assert (evidence.debtor_id, evidence.channel, evidence.address, evidence.source) == (
        person.id, "sms", NUMBER, KEYPAD_SOURCE
    )  # fmt: skip
    theirs = session.exec(select(Phone).where(Phone.debtor_id == person.id)).all()
    consent = {p.number: p.consent for p in theirs}
    assert consent == {NUMBER: False, "+12025550151": True}  # the other mobile keeps its own
    stop_calls_to(session, NUMBER, NOW + timedelta(minutes=5))  # pressed again on a later call
    session.commit()
    assert len(session.exec(select(OptOut)).all()) == 1
