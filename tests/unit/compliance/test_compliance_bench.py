"""The compliance bench runs on a small portfolio and its batch agrees with the per-row engine."""

from __future__ import annotations

import pytest

from bench.compliance import main


def test_bench_on_small_portfolio_prints_figures_and_full_agreement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(accounts=3_000, sample=300)
    out = capsys.readouterr().out
    assert "batch (vectorised, measured): 3,000 accounts" in out
    assert "EXTRAPOLATED" in out
    assert "agree on 300 of 300 sampled accounts" in out
