"""Which public aggregates to hide so that no organisation's figure can be read or worked out.

Free of Django (like ghg.calculation), so the rule is tested on its own. An aggregate is a sum
over the organisations in ``members``: a mapping organisation -> balance year (at most one year
per organisation, e.g. a year's total, a sector of a year, the like-for-like cohort's latest
balances). Three rules, applied until nothing changes (docs/insights.md, "Privacy"):

1. **Threshold.** An aggregate over 1 to ``threshold - 1`` organisations is hidden.
2. **Complementary suppression.** Where parts add up to a shown total (the sectors of a year,
   the categories of the measures), one hidden part could be worked out as total minus the other
   parts; so a second part is hidden too: the smallest shown part with at least one organisation.
   If there is none, the total is hidden.
3. **Differencing.** Two shown aggregates where one's members are a subset of the other's, and
   the difference is 1 to ``threshold - 1`` organisation-years (the same organisations in the
   same years), would reveal that small group by subtraction: the smaller aggregate is hidden.
   Likewise a shown aggregate over exactly the members of a hidden one is hidden. This covers a
   total against a subgroup, a year against the cohort whose latest balances fall in that year,
   and a year's total against the target path's reported sum of that year.

What it does not attempt: sums of three or more shown aggregates combined (a full audit of
linear combinations), and figures that change between two visits because a late report was
accepted meanwhile. docs/insights.md says so.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

DEFAULT_THRESHOLD = 5


@dataclass
class Aggregate:
    key: Hashable
    members: frozenset[tuple[int, int]]  # (organisation, year)
    hidden: bool = False

    @classmethod
    def of(cls, key: Hashable, members: Mapping[int, int] | Iterable[tuple[int, int]]) -> Aggregate:
        pairs = members.items() if isinstance(members, Mapping) else members
        return cls(key=key, members=frozenset(pairs))

    @property
    def count(self) -> int:
        return len(self.members)


@dataclass
class Plan:
    """The aggregates to publish and the partitions among them (total key, part keys)."""

    threshold: int = DEFAULT_THRESHOLD
    aggregates: dict[Hashable, Aggregate] = field(default_factory=dict)
    partitions: list[tuple[Hashable, list[Hashable]]] = field(default_factory=list)

    def add(self, key: Hashable, members: Mapping[int, int] | Iterable[tuple[int, int]]) -> Aggregate:
        aggregate = Aggregate.of(key, members)
        self.aggregates[key] = aggregate
        return aggregate

    def partition(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        self.partitions.append((total, list(parts)))

    def hidden(self) -> set[Hashable]:
        """Applies the three rules; returns the keys to hide (also marked on the aggregates)."""
        protect(self.aggregates.values(), self.partitions, self.threshold, by_key=self.aggregates)
        return {key for key, aggregate in self.aggregates.items() if aggregate.hidden}


def below_threshold(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def protect(aggregates: Iterable[Aggregate], partitions: list[tuple[Hashable, list[Hashable]]],
            threshold: int, *, by_key: Mapping[Hashable, Aggregate] | None = None) -> None:
    items = list(aggregates)
    by_key = by_key if by_key is not None else {a.key: a for a in items}
    for aggregate in items:
        if below_threshold(aggregate.count, threshold):
            aggregate.hidden = True
    changed = True
    while changed:
        changed = _complement(partitions, by_key) | _differences(items, threshold)


def _complement(partitions, by_key) -> bool:
    changed = False
    for total_key, part_keys in partitions:
        total = by_key[total_key]
        if total.hidden:
            continue
        parts = [by_key[k] for k in part_keys]
        if sum(1 for p in parts if p.hidden and p.count) != 1:
            continue
        candidates = sorted((p for p in parts if not p.hidden and p.count), key=lambda p: (p.count, str(p.key)))
        if candidates:
            candidates[0].hidden = True
        else:
            total.hidden = True
        changed = True
    return changed


def _differences(items: list[Aggregate], threshold: int) -> bool:
    """Rule 3. Only pairs whose sizes differ by less than the threshold can be a small
    difference, so after sorting by size each aggregate is compared with a few neighbours."""
    changed = False
    ordered = sorted((a for a in items if a.count), key=lambda a: a.count)
    # The largest first: whether a smaller aggregate must go depends on the larger ones that
    # stay shown, so those are settled before it (hiding never undoes, so no order can leak).
    for i in reversed(range(len(ordered))):
        small = ordered[i]
        for large in ordered[i + 1:]:
            if large.count - small.count >= threshold:
                break
            if small.hidden and large.hidden:
                continue
            if small.count == large.count:
                if small.members == large.members and small.hidden != large.hidden:
                    small.hidden = large.hidden = True
                    changed = True
                continue
            if small.hidden or large.hidden:
                continue
            if small.members <= large.members:
                small.hidden = True
                changed = True
    return changed
