"""Where a closed unit's records go across a reorganisation — đơn vị kế thừa (units.md §5).

Three rules, written once here and used by every statistics scope (`selectors.scope_of`):

1. **Own successors first, else the nearest ancestor's.** A closed unit with successor links
   hands its records to them; a closed unit without any (an old district, the one-stop desk
   of an old commune) follows its nearest ancestor that has some: the districts of old Đồng
   Tháp and Tiền Giang follow their province into new Đồng Tháp, the desk of an old commune
   follows its commune.
2. **A split unit's record goes to one successor only**: the successor the record says it
   belongs to, else the principal successor (`UnitSuccession.is_principal`, listed first).
3. **How a dossier says where it belongs**: by the unit now holding its file
   (`Dossier.current_unit`). When that unit lies in the area of one of the split unit's
   successors (the successor itself or a unit below it), the dossier belongs to that
   successor: an open dossier of an old commune taken over after 01/07/2025 by the new
   commune that received that part of its territory is held there. Anything else (a dossier
   finished before the reform, still held by the old commune or its desk) goes to the
   principal successor. Feedback has no such field: a split unit's items always go to the
   principal successor.

A `Split` says which dossiers of some split units count for a scope; `Scope.ids` alone gives
the principal-successor reading (each record once, never twice), `Scope.dossier_q()` the
exact one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from motcua.people.scope import UnitGraph, current_graph


@dataclass(frozen=True)
class Split:
    """Dossiers of split units `handlers` that a scope counts, decided by who holds the file.

    `default_in`: the dossiers that say nothing (their principal successor) count; those
    held by a unit in `flip` do the opposite (they belong to a successor with the other
    outcome).
    """

    handlers: frozenset[int]
    default_in: bool
    flip: frozenset[int]

    def q(self, handler: str = "handling_unit") -> Q:
        """The dossiers of `handlers` this split counts."""
        mine = Q(**{f"{handler}__in": self.handlers})
        held_elsewhere = Q(current_unit_id__in=self.flip)
        return (mine & ~held_elsewhere) if self.default_in else (mine & held_elsewhere)


@dataclass
class Heirs:
    """The succession graph with the rules above: effective successors, today's unit, areas."""

    graph: UnitGraph
    closed: set[int] = field(default_factory=set)
    successors: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    _effective: dict[int, list[int]] = field(default_factory=dict)
    _areas: dict[tuple[int, ...], dict[int, set[int]]] = field(default_factory=dict)

    @classmethod
    def load(cls, graph: UnitGraph | None = None) -> Heirs:
        """The rules over `graph` (read in two queries when not given)."""
        graph = graph or current_graph()
        return cls(graph, graph.closed, graph.successors)

    def of(self, unit: int) -> list[int]:
        """Effective successors of `unit`, principal first (rule 1); [] for a unit that stays."""
        if unit in self._effective:
            return self._effective[unit]
        chain: list[int] = []
        found: list[int] = []
        up: int | None = unit
        while up is not None and up not in chain:
            chain.append(up)
            if up in self._effective:
                found = self._effective[up]
                break
            if self.successors.get(up):
                found = self.successors[up]
                break
            if up not in self.closed:
                break  # an open unit stays where it is, and so do its closed children
            up = self.graph.parent.get(up)
        for visited in chain:
            self._effective.setdefault(visited, found)
        return found

    def current(self, unit: int) -> int:
        """The unit of today that `unit`'s records live on (principal successors, rule 1)."""
        seen = {unit}
        while nxt := self.of(unit):
            if nxt[0] in seen:
                break
            seen.add(nxt[0])
            unit = nxt[0]
        return unit

    def areas(self, successors: list[int]) -> dict[int, set[int]]:
        """Successor → the units whose holding a file says it belongs there (rule 3).

        A unit belongs to the nearest of `successors` among itself and its ancestors; the
        areas are disjoint even when one successor lies below another.
        """
        cached = self._areas.get(tuple(successors))
        if cached is not None:
            return cached
        wanted = set(successors)
        result: dict[int, set[int]] = {s: set() for s in successors}
        for top in successors:
            for unit in self.graph.subtree(top):
                up: int | None = unit
                seen: set[int] = set()
                while up is not None and up not in wanted and up not in seen:
                    seen.add(up)
                    up = self.graph.parent.get(up)
                if up == top:
                    result[top].add(unit)
        self._areas[tuple(successors)] = result
        return result

    def scope(
        self, base: set[int], *, follow_members: bool
    ) -> tuple[frozenset[int], tuple[Split, ...]]:
        """Units whose records land in `base`: those counted whole, and the split ones.

        As it was (`follow_members=False`): a unit of `base` counts whole; a closed unit
        outside it counts when its records, passed on along successor links, land in `base`.
        As current (`follow_members=True`): every unit's records go to today's unit, and
        count when that unit is in `base` (today's subtree).
        """
        memo: dict[int, bool] = {}

        def lands(unit: int, seen: frozenset[int] = frozenset()) -> bool:
            if unit in memo:
                return memo[unit]
            nxt = self.of(unit)
            if not follow_members and unit in base:
                result = True
            elif not nxt:
                result = unit in base
            elif unit in seen:
                result = False
            else:
                result = lands(nxt[0], seen | {unit})
            memo[unit] = result
            return result

        whole: set[int] = set()
        grouped: dict[tuple[bool, frozenset[int]], set[int]] = defaultdict(set)
        for unit in self.graph.parent:
            nxt = self.of(unit)
            if (not follow_members and unit in base) or len(nxt) < 2:
                if lands(unit):
                    whole.add(unit)
                continue
            outcomes = [lands(s) for s in nxt]
            if all(outcomes):
                whole.add(unit)
            elif any(outcomes):
                default = outcomes[0]
                areas = self.areas(nxt)
                flip = frozenset(
                    u
                    for s, outcome in zip(nxt[1:], outcomes[1:], strict=True)
                    if outcome != default
                    for u in areas[s]
                )
                grouped[(default, flip)].add(unit)
        splits = tuple(
            Split(frozenset(handlers), default, flip)
            for (default, flip), handlers in sorted(
                grouped.items(), key=lambda item: (not item[0][0], sorted(item[1]))
            )
        )
        return frozenset(whole), splits

    def claims(self, handlers: Iterable[int]) -> dict[int, dict[int, int]]:
        """Split unit → {unit holding a file → the successor that file belongs to} (rule 3)."""
        result: dict[int, dict[int, int]] = {}
        for unit in handlers:
            nxt = self.of(unit)
            if len(nxt) < 2:
                continue
            owner: dict[int, int] = {}
            for successor, area in self.areas(nxt).items():
                if successor != nxt[0]:
                    owner.update(dict.fromkeys(area, successor))
            result[unit] = owner
        return result


def dossier_q(
    whole: frozenset[int], splits: tuple[Split, ...], handler: str = "handling_unit"
) -> Q:
    """Dossiers counted: handled by a unit counted whole, or by a split one as its split says."""
    condition = Q(**{f"{handler}__in": whole})
    for split in splits:
        condition |= split.q(handler)
    return condition


def principal_ids(whole: frozenset[int], splits: tuple[Split, ...]) -> frozenset[int]:
    """The units counted when records cannot say where they belong (principal successor)."""
    return whole | frozenset(u for s in splits if s.default_in for u in s.handlers)


def follow(heirs: Heirs, keep: Callable[[int], bool], unit: int) -> int:
    """The first unit on `unit`'s principal succession chain (itself included) that `keep`s."""
    seen = {unit}
    while not keep(unit) and (nxt := heirs.of(unit)):
        if nxt[0] in seen:
            break
        seen.add(nxt[0])
        unit = nxt[0]
    return unit
