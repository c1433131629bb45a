"""Stored instants on the pages: UTC text, named, in an element the page's script localises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from console.template_helpers import when


def test_an_instant_renders_as_named_utc_with_its_iso_moment_for_the_script() -> None:
    at = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
    assert str(when(at)) == (
        '<time datetime="2026-03-11T15:00:00+00:00" data-fmt="%Y-%m-%d %H:%M" data-label="1">'
        "2026-03-11 15:00 UTC</time>"
    )
    assert str(when(at, "%H:%M", label=False)) == (
        '<time datetime="2026-03-11T15:00:00+00:00" data-fmt="%H:%M">15:00</time>'
    )


def test_a_naive_instant_is_utc_and_another_offset_is_written_in_utc() -> None:
    """SQLite hands datetimes back naive; they are UTC. An aware one keeps its moment."""
    assert "2026-03-11 15:00 UTC" in str(when(datetime(2026, 3, 11, 15, 0)))
    chicago = datetime(2026, 3, 11, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert ">2026-03-11 15:00 UTC</time>" in str(when(chicago))
