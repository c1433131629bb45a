"""Which balance a re-placed account carries once payments were booked here."""

from __future__ import annotations

from core.placements.balances import Rebased, rebase_balance


def test_with_nothing_paid_here_since_the_file_stands() -> None:
    assert rebase_balance(120_000, 100_000, 5_000, 5_000) == Rebased(120_000, 120_000, 5_000, 0)


def test_the_same_figure_again_keeps_the_payments_off() -> None:
    assert rebase_balance(100_000, 100_000, 0, 30_000) == Rebased(70_000, 100_000, 0, 30_000)


def test_a_figure_that_counts_the_payments_stands_and_they_count_as_placed() -> None:
    assert rebase_balance(70_000, 100_000, 0, 30_000) == Rebased(70_000, 70_000, 30_000, 0)


def test_a_changed_figure_that_does_not_count_them_is_reduced_by_them() -> None:
    # Interest of 20.00 added on the client's books; 300.00 paid here not posted there yet.
    rebased = rebase_balance(102_000, 100_000, 0, 30_000)
    assert rebased == Rebased(72_000, 102_000, 0, 30_000)
    # The next file posts the payment: the client's figure now stands.
    assert rebase_balance(72_000, rebased.placed_balance_minor, 0, 30_000).unremitted_minor == 0


def test_the_balance_never_goes_below_nothing_owed() -> None:
    assert rebase_balance(10_000, 100_000, 0, 30_000) == Rebased(0, 10_000, 0, 10_000)
