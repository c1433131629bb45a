"""Settings refuse a floor clock they cannot read, naming the variable, before anything starts."""

from __future__ import annotations

import pytest

from core.settings import Settings


@pytest.mark.parametrize("name", ["America/Chicgo", "EST5EDT/", "../etc/passwd", ""])
def test_a_floor_timezone_that_is_no_zone_is_refused_naming_the_variable(name: str) -> None:
    with pytest.raises(ValueError, match=f"CONCORD_FLOOR_TIMEZONE {name!r} is not a time zone"):
        Settings(environment="test", floor_timezone=name)


def test_a_real_zone_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCORD_FLOOR_TIMEZONE", "America/Chicago")
    assert Settings(environment="test").floor_timezone == "America/Chicago"


@pytest.mark.parametrize(
    ("tz", "floor"),
    [(":America/Denver", "America/Denver"), ("Pacific/Honolulu", "Pacific/Honolulu"),
     ("EST5EDT,M3.2.0,M11.1.0", "UTC")],
)  # fmt: skip
def test_unset_the_floor_keeps_the_machines_zone_or_utc_when_it_names_none(
    monkeypatch: pytest.MonkeyPatch, tz: str, floor: str
) -> None:
    monkeypatch.delenv("CONCORD_FLOOR_TIMEZONE", raising=False)
    monkeypatch.setenv("TZ", tz)
    assert Settings(environment="test").floor_timezone == floor
