"""Quartiles of a comparison group that never show one organisation's value (no Django here).

The peer benchmark (``insights.benchmark``) shows the lower quartile, the median and the upper
quartile of a group's intensities. Two rules make sure no shown figure is one organisation's
value (docs/insights.md, "Peer benchmark"):

1. A group of fewer than ``MIN_GROUP`` (10) values has no quartiles at all (``quartiles`` gives None).
2. Every quartile lies *between two neighbouring values* of the sorted group, never on one value
   alone. The position of quantile ``p`` among the sorted values ``x[0] <= ... <= x[n-1]`` is
   ``h = (n - 1) * p`` (the usual linear interpolation): with ``j = floor(h)`` and ``g = h - j``
   the quantile is ``x[j] + g * (x[j+1] - x[j])``. For p = 1/4, 1/2, 3/4 the weight g is 0, 1/4,
   1/2 or 3/4. When g is 0 the position falls on one value, ``x[j]``; then the quantile is the
   mean of its two neighbours ``(x[j-1] + x[j+1]) / 2`` instead (symmetric, so it stays an
   unbiased middle; with n >= 10, 1 <= j <= n-2, so both neighbours exist). Each quartile is
   therefore made of two different organisations' values, each weighing at least a quarter.
   Where two organisations report the very same value a quartile may equal it; it is then the
   value of (at least) two organisations, not of one.

Values are exact fractions; rounding happens only when a figure is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

MIN_GROUP = 10
QUARTERS = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))


@dataclass(frozen=True)
class Quartiles:
    """The lower quartile, median and upper quartile of a group of ``size`` values."""

    size: int
    q1: Fraction
    median: Fraction
    q3: Fraction

    def band(self, value: Fraction) -> int:
        """The quarter of the group `value` falls in: 1 (up to the lower quartile, the lowest
        intensities) .. 4 (above the upper quartile). A value on a boundary counts to the lower
        quarter."""
        if value <= self.q1:
            return 1
        if value <= self.median:
            return 2
        if value <= self.q3:
            return 3
        return 4


def quantile(ordered: list[Fraction], p: Fraction) -> Fraction:
    """Quantile `p` (0 < p < 1) of the sorted list `ordered` (at least 3 values) by the rule in
    the module text: interpolated between two neighbouring values, never one value alone."""
    n = len(ordered)
    if n < 3:
        raise ValueError("a quantile between two neighbours needs at least three values")
    if not 0 < p < 1:
        raise ValueError("p must lie strictly between 0 and 1")
    h = (n - 1) * Fraction(p)
    j = h.numerator // h.denominator
    g = h - j
    if g == 0:
        j = min(max(j, 1), n - 2)
        return (ordered[j - 1] + ordered[j + 1]) / 2
    return ordered[j] + g * (ordered[j + 1] - ordered[j])


def quartiles(values: Iterable[Fraction | int], *, minimum: int = MIN_GROUP) -> Quartiles | None:
    """The quartiles of `values`, or None when there are fewer than `minimum` (never below 10)."""
    ordered = sorted(Fraction(v) for v in values)
    if len(ordered) < max(minimum, MIN_GROUP):
        return None
    q1, median, q3 = (quantile(ordered, p) for p in QUARTERS)
    return Quartiles(size=len(ordered), q1=q1, median=median, q3=q3)
