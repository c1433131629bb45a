"""The opt-out key at the message: the number goes on the agency's do-not-call list, which the
engine reads for every call and text to it, whoever they are for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from compliance.engine import decide
from compliance.reasons import Reason
from compliance.store import load_contacts
from core.models import (
    Account,
    Callback,
    Client,
    Debtor,
    HoldChange,
    Phone,
    Portfolio,
    StoppedNumber,
)
from dialer.keypad import OPT_OUT_BY, OPT_OUT_NOTE, stop_calls_to
from dialer.store import callback_number

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 10:00 in Washington, within calling hours
NUMBER = "+12025550198"


def placed(session: Session, client: Client, *numbers: str, kind: str = "landline") -> Account:
    """A debtor of `client` holding `numbers`, with one account."""
    portfolio = session.exec(select(Portfolio).where(Portfolio.client_id == client.id)).first()
    if portfolio is None:
        portfolio = Portfolio(client_id=client.id or 0, name="P")
        session.add(portfolio)
        session.flush()
    person = Debtor(client_id=client.id or 0, first_name="Pat", last_name="Doe")
    session.add(person)
    session.flush()
    for position, number in enumerate(numbers):
        session.add(Phone(debtor_id=person.id or 0, number=number, type=kind,
                          position=position, consent=kind == "mobile"))  # fmt: skip
    account = Account(client_id=client.id or 0, portfolio_id=portfolio.id or 0,
                      debtor_id=person.id or 0, client_account_number=f"K-{person.id}")  # fmt: skip
    session.add(account)
    session.flush()
    return account


def refused(session: Session, account: Account, channel: str, to: str | None = None) -> set[str]:
    """Why the engine refuses contacting `account` on `channel` (at `to`) now, or the number
    it allows. Without `to`, the loader picks the debtor's first number the list does not hold
    ({"none"}: it has none left)."""
    wanted = {account.id or 0: to} if to else None
    found = load_contacts(session, [account], channel, NOW, wanted)  # type: ignore[arg-type]
    contact = found.get(account.id or 0)
    if contact is None:
        return {"none"}
    return {str(r) for r in decide(contact, NOW).reasons} or {contact.to}


@pytest.mark.db
def test_the_key_stops_calls_and_texts_to_the_line_for_every_debtor_now_and_later(
    session: Session,
) -> None:
    acme, birch = Client(code="k1", name="Acme"), Client(code="k2", name="Birch")
    session.add_all([acme, birch])
    session.flush()
    called = placed(session, acme, NUMBER, "+12025550111")
    household = placed(session, birch, NUMBER, kind="mobile")  # another client's, same line
    assert refused(session, household, "sms") == {NUMBER}  # texted before the key
    session.commit()

    assert stop_calls_to(session, NUMBER, NOW)
    session.commit()

    later = placed(session, birch, NUMBER)  # placed next month with the same number
    other = placed(session, acme, "+12025550122")
    session.commit()
    stopped = {str(Reason.STOPPED_NUMBER)}
    assert refused(session, household, "call", to=NUMBER) == stopped
    assert refused(session, household, "sms", to=NUMBER) == stopped  # a text is a call (TCPA)
    assert refused(session, household, "sms") == {"none"}  # no number of theirs left to pick
    assert refused(session, later, "call", to=NUMBER) == stopped
    assert refused(session, other, "call", to=NUMBER) == stopped  # typed into a preview dial
    assert refused(session, called, "call") == {"+12025550111"}  # the dialer moves on
    assert refused(session, other, "call") == {"+12025550122"}
    (entry,) = session.exec(select(StoppedNumber)).all()
    assert (entry.number, entry.how, entry.detail, entry.updated_by) == (
        NUMBER, "keypad", OPT_OUT_NOTE, OPT_OUT_BY
    )  # fmt: skip
    # every holder's history says so (a complaint is answered from their account page)
    kept = session.exec(select(HoldChange).order_by(col(HoldChange.account_id))).all()
    assert [(h.account_id, h.hold, h.action, h.actor) for h in kept] == [
        (called.id, "no_calls", "set", OPT_OUT_BY), (household.id, "no_calls", "set", OPT_OUT_BY)
    ]  # fmt: skip
    assert kept[0].reason == (
        f"{NUMBER}: no calls or texts since 2026-12-01 (pressed 9 at our message): {OPT_OUT_NOTE}"
    )

    # Pressed again on a later call: the first request and its date stand, nothing is added.
    assert not stop_calls_to(session, NUMBER, NOW + timedelta(days=1))
    session.commit()
    assert [e.since for e in session.exec(select(StoppedNumber)).all()] == [entry.since]
    assert len(session.exec(select(HoldChange)).all()) == 2
    assert not stop_calls_to(session, "", NOW)  # a withheld number: nothing to stop


@pytest.mark.db
def test_the_key_on_a_mobile_revokes_its_autodial_consent_and_no_other_numbers(
    session: Session,
) -> None:
    """Calls taken up again after a lead lifts the request are dialled by a person until the
    debtor consents again: the key revoked the consent."""
    acme = Client(code="k3", name="Acme")
    session.add(acme)
    session.flush()
    account = placed(session, acme, NUMBER, "+12025550151", kind="mobile")
    session.commit()

    stop_calls_to(session, NUMBER, NOW)
    session.commit()

    theirs = session.exec(select(Phone).where(Phone.debtor_id == account.debtor_id)).all()
    assert {p.number: p.consent for p in theirs} == {NUMBER: False, "+12025550151": True}
    assert all(p.no_calls_at is None for p in theirs)  # the list holds the request, not the row
    session.refresh(account)
    debtor = session.get(Debtor, account.debtor_id)
    assert debtor is not None and not debtor.sms_opt_out  # their other mobile may be texted


@pytest.mark.db
def test_a_callback_asked_on_a_number_stopped_since_goes_to_their_other_number(
    session: Session,
) -> None:
    """The debtor asked for the call; refused on the stopped number every tick, it waited for
    ever."""
    acme = Client(code="k4", name="Acme")
    session.add(acme)
    session.flush()
    account = placed(session, acme, "+12025550151", NUMBER)
    callback = Callback(account_id=account.id or 0, phone=NUMBER, due_at=NOW)
    session.add(callback)
    session.commit()
    assert callback_number(session, callback) == NUMBER
    stop_calls_to(session, NUMBER, NOW)
    assert callback_number(session, callback) == "+12025550151"
