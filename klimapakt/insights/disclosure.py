"""Which public aggregates to hide so that no organisation's figure can be read or worked out.

Free of Django (like ghg.calculation), so the rule is tested on its own. An aggregate is a sum
over the organisations in ``members``: a mapping organisation -> balance year (at most one year
per organisation, e.g. a year's total, a sector of a year, the like-for-like cohort's latest
balances). Three rules, applied until nothing changes (docs/insights.md, "Privacy"):

1. **Threshold.** An aggregate over 1 to ``threshold - 1`` organisations is hidden. Each figure
   counts its own contributors: a year's Scope 3 sum is over the organisations that reported
   Scope 3, not over every organisation of the year.
2. **Complementary suppression.** Where parts add up to a shown total (the sectors of a year,
   the categories of the measures, Scope 1 and Scope 2 of the headline), the hidden parts could
   be worked out together as the total minus the shown parts, and one of them by an
   organisation that knows its own share. So the hidden parts of a shown total must be at least
   two, and together cover at least ``threshold`` organisation-years; until they do, the
   smallest shown part with members is hidden too (or, for a partition that prefers it, the
   total: a derived total such as Scope 1 + 2 + 3 gives way before its parts do). If no part is
   left, the total is hidden.
3. **Differencing.** Two shown aggregates of the same quantity where one's members are a subset
   of the other's, and the difference is 1 to ``threshold - 1`` organisation-years (the same
   organisations in the same years), would reveal that small group by subtraction: the smaller
   aggregate is hidden. Likewise a shown aggregate over exactly the members of a hidden one is
   hidden. This covers a total against a subgroup, a year against the cohort whose latest
   balances fall in that year, and a year's total against the target path's reported sum of
   that year. Aggregates of different quantities (Scope 3 against the headline) are not
   compared: subtracting them gives no one's figure.

Every rule counts only the organisations whose own figures are not public anyway (``known``:
partners who consented to publish their figures): five organisations of which four publish
their balances protect nobody.

What it does not attempt: sums of three or more shown aggregates combined (a full audit of
linear combinations), and figures that change between two visits (closed balance years keep the
balances from changing; docs/insights.md says what still can).
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
    quantity: str = "headline"  # what is summed: only aggregates of one quantity are differenced

    @classmethod
    def of(cls, key: Hashable, members: Mapping[int, int] | Iterable[tuple[int, int]],
           quantity: str = "headline") -> Aggregate:
        pairs = members.items() if isinstance(members, Mapping) else members
        return cls(key=key, members=frozenset(pairs), quantity=quantity)

    unknown: int = -1  # members whose figures are not public on their own (set by ``protect``)

    @property
    def count(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Partition:
    total: Hashable
    parts: list[Hashable]
    hide_total_first: bool = False


@dataclass
class Plan:
    """The aggregates to publish and the partitions among them (total key, part keys)."""

    threshold: int = DEFAULT_THRESHOLD
    aggregates: dict[Hashable, Aggregate] = field(default_factory=dict)
    partitions: list[Partition] = field(default_factory=list)
    # Organisations whose own figures are public anyway (partners who consented to publish them):
    # they protect nobody, so every rule counts the others only
    known: frozenset[int] = frozenset()

    def add(self, key: Hashable, members: Mapping[int, int] | Iterable[tuple[int, int]],
            quantity: str = "headline") -> Aggregate:
        aggregate = Aggregate.of(key, members, quantity)
        self.aggregates[key] = aggregate
        return aggregate

    def partition(self, total: Hashable, parts: Iterable[Hashable], *, hide_total_first: bool = False) -> None:
        """``total`` is the sum of ``parts``. ``hide_total_first``: where the complement needs a
        further figure hidden, the total goes rather than a part."""
        self.partitions.append(Partition(total, list(parts), hide_total_first))

    def hidden(self) -> set[Hashable]:
        """Applies the three rules; returns the keys to hide (also marked on the aggregates)."""
        protect(self.aggregates.values(), self.partitions, self.threshold, by_key=self.aggregates, known=self.known)
        return {key for key, aggregate in self.aggregates.items() if aggregate.hidden}


def below_threshold(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def _unknown(members, known: frozenset[int]) -> int:
    return len({org for org, _year in members if org not in known})


def protect(aggregates: Iterable[Aggregate], partitions: list[Partition],
            threshold: int, *, by_key: Mapping[Hashable, Aggregate] | None = None,
            known: frozenset[int] = frozenset()) -> None:
    items = list(aggregates)
    by_key = by_key if by_key is not None else {a.key: a for a in items}
    for aggregate in items:
        aggregate.unknown = _unknown(aggregate.members, known)
        if below_threshold(aggregate.unknown, threshold):
            aggregate.hidden = True
    changed = True
    while changed:
        changed = _complement(partitions, by_key, threshold, known) | _differences(items, threshold)


def _complement(partitions: list[Partition], by_key, threshold: int, known: frozenset[int]) -> bool:
    changed = False
    for partition in partitions:
        total = by_key[partition.total]
        if total.hidden:
            continue
        parts = [by_key[k] for k in partition.parts]
        while True:
            hidden = [p for p in parts if p.hidden and p.count]
            covered = _unknown(frozenset().union(*(p.members for p in hidden)), known)
            if not hidden or covered == 0 or (len(hidden) >= 2 and covered >= threshold):
                break
            candidates = sorted((p for p in parts if not p.hidden and p.count), key=lambda p: (p.count, str(p.key)))
            changed = True
            if partition.hide_total_first or not candidates:
                total.hidden = True
                break
            candidates[0].hidden = True
    return changed


def _differences(items: list[Aggregate], threshold: int) -> bool:
    """Rule 3. Only pairs whose sizes differ by less than the threshold can be a small
    difference, so after sorting by size each aggregate is compared with a few neighbours."""
    changed = False
    # By the members whose figures are not public: for a subset, the difference's unknown
    # members are exactly large.unknown - small.unknown, so the neighbours are found the same way.
    ordered = sorted((a for a in items if a.count), key=lambda a: a.unknown)
    # The largest first: whether a smaller aggregate must go depends on the larger ones that
    # stay shown, so those are settled before it (hiding never undoes, so no order can leak).
    for i in reversed(range(len(ordered))):
        small = ordered[i]
        for large in ordered[i + 1:]:
            if large.unknown - small.unknown >= threshold:
                break
            if large.quantity != small.quantity:
                continue
            if small.hidden and large.hidden:
                continue
            if small.count == large.count:
                if small.members == large.members and small.hidden != large.hidden:
                    small.hidden = large.hidden = True
                    changed = True
                continue
            if small.hidden or large.hidden or large.unknown == small.unknown:
                continue  # equal unknowns: the difference is public figures only
            if small.members <= large.members:
                small.hidden = True
                changed = True
    return changed
