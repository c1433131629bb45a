"""Settings refuse a floor clock they cannot read, naming the variable, before anything starts."""

from __future__ import annotations

import os
import subprocess
import sys

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


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("CONCORD_FLOOR_TIMEZONE", "America/Chicgo",
         "refused: CONCORD_FLOOR_TIMEZONE 'America/Chicgo' is not a time zone name"),
        ("CONCORD_IDLE_LOGOUT_MINUTES", "-5",
         "refused: CONCORD_IDLE_LOGOUT_MINUTES: Input should be greater than or equal to 0"),
    ],
)  # fmt: skip
def test_a_command_started_with_a_bad_setting_says_which_in_one_line(
    name: str, value: str, said: str
) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "core.cli", "numbers", "list"],
        env={**os.environ, name: value}, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert said in ran.stderr
