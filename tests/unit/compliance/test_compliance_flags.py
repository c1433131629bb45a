"""Flags, the do-not-call list and opt-outs: blocked whatever the time, with no next time."""

from __future__ import annotations

import pytest
from compliance_factories import contact, utc

from compliance.engine import decide
from compliance.reasons import EXPLANATIONS, Reason, explain

MIDDAY = utc("2026-11-23T17:00:00Z")


@pytest.mark.parametrize("flag", ["cease", "attorney", "bankruptcy", "deceased", "dispute"])
def test_debtor_flag_blocks_every_channel_with_no_next_time(flag: str) -> None:
    for channel, to in (("call", "+12125550100"), ("sms", "+12125550100"), ("email", "d@x.com")):
        decision = decide(contact(channel=channel, to=to, flags=[flag]), MIDDAY)
        assert decision.reasons == (Reason(flag),)
        assert decision.next_allowed_at is None


def test_account_flag_blocks_like_a_debtor_flag() -> None:
    decision = decide(contact(account_flags=["dispute"]), MIDDAY)
    assert decision.reasons == (Reason.DISPUTE,)


def test_dnc_blocks_calls_and_sms_but_not_email() -> None:
    assert decide(contact(dnc=True), MIDDAY).reasons == (Reason.DNC,)
    assert decide(contact(channel="sms", dnc=True), MIDDAY).reasons == (Reason.DNC,)
    assert decide(contact(channel="email", to="d@x.com", dnc=True), MIDDAY).allowed


def test_sms_opt_out_blocks_only_sms() -> None:
    assert decide(contact(channel="sms", sms_opt_out=True), MIDDAY).reasons == (Reason.OPTED_OUT,)
    assert decide(contact(sms_opt_out=True), MIDDAY).allowed


def test_email_opt_out_blocks_only_email() -> None:
    email = contact(channel="email", to="d@x.com", email_opt_out=True)
    assert decide(email, MIDDAY).reasons == (Reason.OPTED_OUT,)
    assert decide(contact(channel="sms", email_opt_out=True), MIDDAY).allowed


def test_flag_at_night_lists_both_reasons_in_declared_order() -> None:
    decision = decide(contact(flags=["cease"], dnc=True), utc("2026-11-23T04:00:00Z"))
    assert decision.reasons == (Reason.OUTSIDE_HOURS, Reason.CEASE, Reason.DNC)
    assert decision.next_allowed_at is None


def test_every_reason_code_has_an_explanation() -> None:
    assert set(EXPLANATIONS) == set(Reason)
    assert "attorney" in explain("attorney")


def test_explaining_an_unknown_code_is_an_error() -> None:
    with pytest.raises(ValueError):
        explain("too_late")


def test_a_number_reported_wrong_blocks_calls_and_texts_to_it_and_not_the_debtors_others() -> None:
    phones = [{"number": "+12125550100", "wrong": True}, {"number": "+12125550111"}]
    for channel in ("call", "sms"):
        wrong = decide(contact(channel=channel, to="+1 212 555 0100", phones=phones), MIDDAY)
        other = decide(contact(channel=channel, to="+12125550111", phones=phones), MIDDAY)
        assert (wrong.reasons, wrong.next_allowed_at) == ((Reason.WRONG_NUMBER,), None)
        assert other.allowed
    assert decide(contact(channel="email", to="d@x.com", phones=phones), MIDDAY).allowed


def test_an_address_the_employer_provides_is_never_emailed_and_the_personal_one_is() -> None:
    work = contact(channel="email", to="pat@employer.com", work_emails=["pat@employer.com"])
    assert decide(work, MIDDAY).reasons == (Reason.WORK_EMAIL,)
    assert decide(work, MIDDAY).next_allowed_at is None
    home = contact(channel="email", to="pat@home.net", work_emails=["pat@employer.com"])
    assert decide(home, MIDDAY).allowed
