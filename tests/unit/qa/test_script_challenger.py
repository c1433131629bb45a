"""Champion/challenger: the split of a campaign's accounts, and the verdict on its figures."""

from __future__ import annotations

import pytest

from qa.challenger import MIN_CONTACTS, ArmFigures, Comparison, two_sided_p
from scripts_library.challenger import CHALLENGER, CHAMPION, arm, bucket


def test_the_split_gives_the_challenger_its_share_of_accounts_and_keeps_each_in_its_arm() -> None:
    accounts = range(1, 20_001)
    challengers = [a for a in accounts if arm(7, a, 20) == CHALLENGER]
    assert 0.19 < len(challengers) / 20_000 < 0.21
    # the same account, the same script, at every call, in every process and release: pinned,
    # since a changed hash would move accounts between scripts mid-test
    assert [bucket(7, a) for a in range(1, 9)] == [7, 60, 59, 67, 7, 18, 38, 17]
    assert all(arm(7, a, 0) == CHAMPION for a in accounts[:1000])
    # raising the share moves accounts to the challenger only, never back
    assert set(challengers) <= {a for a in accounts if arm(7, a, 30) == CHALLENGER}
    # another campaign splits its accounts afresh (a debtor in two tests is in each at random)
    assert {a for a in accounts if arm(8, a, 20) == CHALLENGER} != set(challengers)
    assert all(0 <= bucket(3, a) < 100 for a in accounts)


@pytest.mark.parametrize("share", [-1, 51, 100])
def test_a_challenger_takes_at_most_half_the_accounts(share: int) -> None:
    with pytest.raises(ValueError, match="share must be 0-50 percent"):
        arm(1, 1, share)


def test_the_p_value_is_the_two_proportion_z_test() -> None:
    # 20/100 against 10/100: z = 0.1 / sqrt(0.15 * 0.85 * 0.02) = 1.98, p = 0.0477
    p = two_sided_p(20, 100, 10, 100)
    assert p is not None and abs(p - 0.0477) < 0.0005
    assert two_sided_p(5, 0, 3, 10) is None  # no contacts on one side
    assert two_sided_p(0, 40, 0, 50) is None  # nothing can differ


def _test(champion: tuple[int, int], challenger: tuple[int, int]) -> Comparison:
    return Comparison(
        ArmFigures("old_words", right_party=champion[1], promises=champion[0]),
        ArmFigures("new_words", right_party=challenger[1], promises=challenger[0]),
    )


def test_the_verdict_waits_for_enough_contacts_then_tells_chance_from_a_real_gap() -> None:
    early = _test((10, 200), (9, MIN_CONTACTS - 1)).verdict()
    assert early.startswith("Too early to tell: new_words has fewer than 30 right-party")
    chance = _test((20, 200), (8, 60)).verdict()
    assert chance.startswith("new_words is ahead by 3.3 points, which may be chance (p = 0.")
    real = _test((20, 200), (60, 200)).verdict()
    assert real.startswith("new_words is ahead by 20.0 points, more than chance (p = 0.000")
    assert real.endswith("new_words collects better.")
    behind = _test((60, 200), (20, 200)).verdict()
    assert "old_words is ahead by 20.0 points" in behind


def test_a_test_with_nothing_to_compare_says_which_way() -> None:
    assert _test((0, 40), (0, 35)).verdict().startswith("Nothing to compare yet: neither script")
    assert (
        "both scripts brought a promise or a plan on every" in _test((40, 40), (35, 35)).verdict()
    )
    one = Comparison(ArmFigures("a", accounts=1, calls=1), ArmFigures("b", accounts=2, calls=3))
    assert one.describe(one.champion).startswith("a: 1 call to 1 account, no right-party")
    assert one.describe(one.challenger).startswith("b: 3 calls to 2 accounts")
