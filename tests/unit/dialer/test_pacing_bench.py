"""`concord bench pacing --only`: picking scenarios by name, and refusing a name that fits none."""

from __future__ import annotations

import pytest

from bench.pacing import main


def test_only_with_a_name_matching_no_scenario_is_refused_with_the_scenario_names() -> None:
    with pytest.raises(ValueError, match=r"--only .*no such floor.*10 agents, 10% live"):
        main(only=["no such floor"])
