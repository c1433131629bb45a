"""Hours in every zone the debtor may be in, DST nights, holidays and stated inconvenient times."""

from __future__ import annotations

from compliance_factories import LA_MOBILE, contact, utc

from compliance.engine import decide
from compliance.reasons import Reason

# 2026-11-23 is a Monday in EST (UTC-5); 2026-06-15 a Monday in EDT (UTC-4).


def test_call_at_075959_new_york_time_is_outside_hours() -> None:
    decision = decide(contact(), utc("2026-11-23T12:59:59Z"))
    assert not decision.allowed
    assert decision.reasons == (Reason.OUTSIDE_HOURS,)


def test_call_at_080000_new_york_time_is_allowed() -> None:
    decision = decide(contact(), utc("2026-11-23T13:00:00Z"))
    assert decision.allowed
    assert decision.next_allowed_at == utc("2026-11-23T13:00:00Z")


def test_call_at_205959_new_york_time_is_allowed() -> None:
    assert decide(contact(), utc("2026-11-24T01:59:59Z")).allowed


def test_call_at_210000_new_york_time_is_outside_hours_until_0800_next_day() -> None:
    decision = decide(contact(), utc("2026-11-24T02:00:00Z"))
    assert decision.reasons == (Reason.OUTSIDE_HOURS,)
    assert decision.next_allowed_at == utc("2026-11-24T13:00:00Z")


def test_issue_example_0705_new_york_is_next_allowed_at_0800() -> None:
    decision = decide(contact(), utc("2026-11-23T12:05:00Z"))
    assert decision.reasons == (Reason.OUTSIDE_HOURS,)
    assert decision.next_allowed_at == utc("2026-11-23T13:00:00Z")


def test_spring_forward_morning_0800_edt_is_allowed_at_1200_utc() -> None:
    # 2026-03-08: clocks jump 02:00 EST -> 03:00 EDT, so 08:00 is already 12:00Z.
    assert decide(contact(), utc("2026-03-08T12:00:00Z")).allowed


def test_day_before_spring_forward_1200_utc_is_0700_est_and_blocked() -> None:
    assert not decide(contact(), utc("2026-03-07T12:00:00Z")).allowed


def test_spring_forward_night_next_allowed_is_0800_edt() -> None:
    decision = decide(contact(), utc("2026-03-08T06:30:00Z"))  # 01:30 EST
    assert decision.next_allowed_at == utc("2026-03-08T12:00:00Z")


def test_fall_back_morning_1230_utc_is_0730_est_and_blocked() -> None:
    # 2026-11-01: clocks fall back 02:00 EDT -> 01:00 EST; 12:30Z was 08:30 the day before.
    assert decide(contact(), utc("2026-10-31T12:30:00Z")).allowed
    decision = decide(contact(), utc("2026-11-01T12:30:00Z"))
    assert decision.reasons == (Reason.OUTSIDE_HOURS,)
    assert decision.next_allowed_at == utc("2026-11-01T13:00:00Z")


def test_fall_back_repeated_hour_is_blocked_both_times() -> None:
    night = contact(inconvenient=[{"days": ["sun"], "start": "01:00", "end": "02:00"}])
    for moment in ("2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"):  # 01:30 EDT, 01:30 EST
        assert Reason.CONSUMER_INCONVENIENT_TIME in decide(night, utc(moment)).reasons


def test_new_york_address_and_los_angeles_mobile_waits_for_0800_pacific() -> None:
    debtor = contact(to=LA_MOBILE)
    decision = decide(debtor, utc("2026-11-23T15:30:00Z"))  # 10:30 New York, 07:30 Los Angeles
    assert decision.reasons == (Reason.OUTSIDE_HOURS,)
    assert decision.next_allowed_at == utc("2026-11-23T16:00:00Z")


def test_new_york_address_and_los_angeles_mobile_stops_at_2100_new_york() -> None:
    debtor = contact(to=LA_MOBILE)
    assert decide(debtor, utc("2026-11-24T01:59:59Z")).allowed
    assert not decide(debtor, utc("2026-11-24T02:00:00Z")).allowed


def test_email_to_debtor_with_los_angeles_mobile_uses_only_the_address() -> None:
    email = contact(channel="email", to="debtor@example.com", phones=[{"number": LA_MOBILE}])
    assert decide(email, utc("2026-11-23T15:30:00Z")).allowed


def test_florida_panhandle_zip_is_central_time() -> None:
    pensacola = contact(addresses=[{"state": "FL", "postal_code": "32501"}], to="+18505550100")
    assert not decide(pensacola, utc("2026-11-23T13:30:00Z")).allowed  # 07:30 Central
    assert decide(pensacola, utc("2026-11-23T14:00:00Z")).allowed


def test_split_state_without_postal_code_waits_for_the_western_zone() -> None:
    florida = contact(addresses=[{"state": "FL"}], to="+13055550100")  # Miami number
    assert not decide(florida, utc("2026-11-23T13:30:00Z")).allowed
    assert decide(florida, utc("2026-11-23T14:00:00Z")).allowed


def test_india_profile_stops_at_1900_kolkata() -> None:
    india = contact(profile="in", addresses=[{"country": "IN"}], to="+919876543210")
    assert decide(india, utc("2026-11-23T13:29:59Z")).allowed  # 18:59:59 IST
    decision = decide(india, utc("2026-11-23T13:30:00Z"))
    assert decision.reasons == (Reason.OUTSIDE_HOURS,)
    assert decision.next_allowed_at == utc("2026-11-24T02:30:00Z")


def test_portfolio_hours_0900_to_2000_block_0830() -> None:
    narrow = contact(portfolio={"start": "09:00", "end": "20:00"})
    decision = decide(narrow, utc("2026-11-23T13:30:00Z"))
    assert decision.reasons == (Reason.OUTSIDE_HOURS,)
    assert decision.next_allowed_at == utc("2026-11-23T14:00:00Z")


def test_portfolio_us_holidays_block_thanksgiving_until_friday_0800() -> None:
    holiday = contact(portfolio={"holidays": [{"country": "US"}]})
    decision = decide(holiday, utc("2026-11-26T16:00:00Z"))  # Thanksgiving, 11:00 New York
    assert decision.reasons == (Reason.OUTSIDE_HOURS,)
    assert decision.next_allowed_at == utc("2026-11-27T13:00:00Z")


def test_weekend_said_inconvenient_blocks_saturday_until_monday_0800() -> None:
    weekend = contact(inconvenient=[{"days": ["sat", "sun"], "start": "00:00", "end": "24:00"}])
    decision = decide(weekend, utc("2026-11-21T16:00:00Z"))  # Saturday 11:00
    assert decision.reasons == (Reason.CONSUMER_INCONVENIENT_TIME,)
    assert decision.next_allowed_at == utc("2026-11-23T13:00:00Z")


def test_inconvenient_range_end_is_exclusive() -> None:
    lunch = contact(inconvenient=[{"days": ["mon"], "start": "12:00", "end": "13:00"}])
    assert not decide(lunch, utc("2026-11-23T17:59:59Z")).allowed
    assert decide(lunch, utc("2026-11-23T18:00:00Z")).allowed


def test_every_hour_inconvenient_has_no_next_allowed_time() -> None:
    never = contact(inconvenient=[{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                                   "start": "00:00", "end": "24:00"}])  # fmt: skip
    decision = decide(never, utc("2026-11-23T16:00:00Z"))
    assert decision.reasons == (Reason.CONSUMER_INCONVENIENT_TIME,)
    assert decision.next_allowed_at is None
