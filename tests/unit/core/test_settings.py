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
