"""Membership terms and composition counts, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from council.rules import composition, terms
from council.rules.composition import Cell


def test_a_two_year_term_ends_the_day_before_its_second_anniversary():
    assert terms.term_end(date(2026, 3, 1), 24) == date(2028, 2, 29)
    assert terms.term_end(date(2026, 1, 31), 1) == date(2026, 2, 27)


def test_a_renewal_adds_one_term_after_the_current_end():
    assert terms.renewed_end(date(2028, 2, 29), 24) == date(2030, 2, 28)


@pytest.mark.parametrize(
    ("renewals", "cap", "allowed"), [(0, 1, True), (1, 1, False), (0, 0, False), (1, 2, True)]
)
def test_the_renewal_cap(renewals, cap, allowed):
    assert terms.may_renew(renewals, cap) is allowed


def test_ending_soon_is_the_next_90_days():
    today = date(2026, 12, 2)
    assert terms.ends_soon(date(2027, 3, 2), today)
    assert not terms.ends_soon(date(2027, 3, 3), today)
    assert not terms.ends_soon(date(2026, 12, 1), today)


def test_size_against_the_rule():
    assert terms.SizeCheck(7, 8, 21).state == "below"
    assert terms.SizeCheck(8, 8, 21).state == "within"
    assert terms.SizeCheck(22, 8, 21).state == "above"


def test_a_group_of_fewer_than_5_is_never_counted():
    cells = composition.cells({"North": 6, "South": 4}, total=20)
    assert Cell("North", 6) in cells
    assert all(c.count is None for c in cells if c.answer != "North")
    # A hidden free answer is never named.
    assert "South" not in {c.answer for c in cells}


def test_fixed_choices_are_all_listed_so_a_hidden_one_says_nothing():
    cells = composition.cells({"woman": 9}, total=9, choices=("woman", "man"))
    assert cells == [Cell("woman", 9), Cell("man", None, small=True)]


def test_the_total_minus_the_groups_shown_never_reveals_a_small_group():
    # 12 members: 5 women, 5 men, 2 said nothing. Showing both fives would let 12 - 10 = 2
    # be worked out; so the smaller shown group is hidden too.
    cells = composition.cells({"woman": 5, "man": 5}, total=12, choices=("woman", "man"))
    shown = sum(c.count for c in cells if c.count is not None)
    assert 12 - shown == 0 or 12 - shown >= 5
    assert Cell("man", None, small=False) in cells


@pytest.mark.parametrize("seed", range(200))
def test_no_difference_of_totals_is_a_small_group(seed):
    import random

    rng = random.Random(seed)
    counts = {f"g{n}": rng.randint(0, 12) for n in range(rng.randint(1, 5))}
    total = sum(counts.values()) + rng.randint(0, 6)
    cells = composition.cells(counts, total)
    shown = [c.count for c in cells if c.count is not None]
    assert all(n >= 5 for n in shown)
    remainder = total - sum(shown)
    assert remainder == 0 or remainder >= 5 or not shown


def test_answers_are_grouped_whatever_their_case_and_spacing():
    assert composition.group(["Lviv oblast", "lviv  Oblast", "", "Kyiv"]) == {
        "Lviv oblast": 2,
        "Kyiv": 1,
    }
