"""The statistics of the peer benchmark (insights.quartiles, no Django): hand-computed quartiles,
groups below 10 never shown, and no quartile that is one organisation's value alone."""

import random
from fractions import Fraction as F

import pytest

from klimapakt.insights.quartiles import MIN_GROUP, Quartiles, quantile, quartiles


def test_quartiles_of_ten_values_by_hand():
    # positions (n - 1) * p = 2.25, 4.5, 6.75 between the sorted values 1..10
    q = quartiles([7, 3, 10, 1, 5, 2, 9, 4, 8, 6])
    assert q == Quartiles(size=10, q1=F(13, 4), median=F(11, 2), q3=F(31, 4))


def test_a_position_on_one_value_takes_the_mean_of_its_two_neighbours():
    # n = 13: positions 3, 6 and 9 fall on single values; each quartile is the mean of the
    # values either side instead.
    values = [F(v) for v in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)]
    q = quartiles(values)
    assert (q.q1, q.median, q.q3) == (F(4 + 16, 2), F(32 + 128, 2), F(256 + 1024, 2))
    assert q.q1 != values[3] and q.median != values[6] and q.q3 != values[9]


def test_eleven_values_mix_both_rules():
    values = [F(v) for v in (10, 20, 30, 40, 50, 61, 70, 80, 90, 100, 110)]
    q = quartiles(values)
    assert q.q1 == F(35)                 # h = 2.5: halfway between 30 and 40
    assert q.median == F(50 + 70, 2)     # h = 5: the neighbours of 61, not 61 itself
    assert q.q3 == F(85)                 # h = 7.5


@pytest.mark.parametrize("n", range(0, MIN_GROUP))
def test_groups_below_ten_are_never_shown(n):
    assert quartiles(range(1, n + 1)) is None
    assert quartiles(range(1, n + 1), minimum=3) is None  # the minimum cannot be lowered


def test_ten_is_enough():
    assert quartiles(range(1, 11)) is not None


@pytest.mark.parametrize("n", range(MIN_GROUP, 60))
def test_no_quartile_is_a_single_value(n):
    rng = random.Random(n)
    values = sorted(F(rng.randint(1, 10**9), rng.randint(1, 10**6)) for _ in range(n))
    assert len(set(values)) == n
    q = quartiles(values)
    for figure in (q.q1, q.median, q.q3):
        assert figure not in values
        # it lies strictly between two of the group's values
        below = max(v for v in values if v < figure)
        above = min(v for v in values if v > figure)
        assert below < figure < above
    assert q.q1 <= q.median <= q.q3


def test_band_is_the_quarter_with_boundaries_counted_down():
    q = Quartiles(size=10, q1=F(2), median=F(4), q3=F(6))
    assert [q.band(F(v)) for v in (0, 2, 3, 4, 5, 6, 7)] == [1, 1, 2, 2, 3, 3, 4]


def test_quantile_refuses_what_it_cannot_interpolate():
    with pytest.raises(ValueError):
        quantile([F(1), F(2)], F(1, 2))
    with pytest.raises(ValueError):
        quantile([F(1), F(2), F(3)], F(1))
