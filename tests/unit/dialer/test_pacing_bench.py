"""`concord bench pacing`: picking scenarios by name (refusing a name that fits none), and the
wrap-up what-if."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bench.pacing import main, scenarios
from bench.pacing_sim import WRAP_SIGMA, simulate_day
from core.cli import app
from dialer.pacing import PacingEvent, PacingPolicy, PacingSnapshot, make_policy


def test_only_with_a_name_matching_no_scenario_is_refused_with_the_scenario_names() -> None:
    with pytest.raises(ValueError, match=r"--only .*no such floor.*10 agents, 10% live"):
        main(only=["no such floor"])


def test_the_wrap_up_what_if_readies_agents_at_a_fixed_time_and_leaves_the_issues_floor_alone() -> (
    None
):
    """--wrap-sigma changes only the spread of wrap-up times, not the floors the issue sets."""
    heard: dict[float, list[float]] = {}
    for sigma in (WRAP_SIGMA, 0.01):
        (floor,) = [s for s in scenarios(False, sigma) if s.name == "10 agents, 25% live"]
        policy = Listener(make_policy("progressive"))
        simulate_day(floor, policy, seed=0, day=0, shift_seconds=3600.0)
        heard[sigma] = [e.seconds for e in policy.events if e.kind == "wrap_ended"]
    assert len(heard[0.01]) > 20 and all(29.0 < s < 31.0 for s in heard[0.01])
    assert max(heard[WRAP_SIGMA]) - min(heard[WRAP_SIGMA]) > 20.0
    assert [s.wrap_sigma for s in scenarios(False)] == [WRAP_SIGMA] * 9
    with pytest.raises(ValueError, match="--wrap-sigma"):
        main(wrap_sigma=0.0)


class Listener:
    """A policy that also keeps every event it hears."""

    def __init__(self, policy: PacingPolicy) -> None:
        self.policy = policy
        self.events: list[PacingEvent] = []

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        return self.policy.calls_to_place(snapshot)

    def observe(self, event: PacingEvent) -> None:
        self.events.append(event)
        self.policy.observe(event)


def test_concord_bench_names_a_bad_option_in_one_line() -> None:
    result = CliRunner().invoke(app, ["bench", "pacing", "--wrap-sigma", "0"])
    assert result.exit_code == 2
    assert "concord bench pacing: --wrap-sigma must be in (0, 2], got 0.0" in result.output
    assert "Traceback" not in result.output


def test_a_target_above_the_cap_or_not_above_zero_is_refused_naming_the_option() -> None:
    for target in (0.0, 0.05):
        result = CliRunner().invoke(app, ["bench", "pacing", "--target", str(target)])
        assert result.exit_code == 2
        assert f"concord bench pacing: --target must be above 0 and at most 0.03, got {target}" in (
            result.output
        )


def test_a_day_limit_above_the_worst_day_allowed_is_refused_naming_the_option() -> None:
    result = CliRunner().invoke(app, ["bench", "pacing", "--day-limit", "0.05"])
    assert result.exit_code == 2
    assert "concord bench pacing: --day-limit must be above 0 and at most 0.04" in result.output
