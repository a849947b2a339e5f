"""The one scoping path: which units' records a user may see.

A membership reaches its unit; a leader's or inspector's reaches the unit's subtree; a
provincial office's or administrator's reaches the whole province. Members of a successor
unit also reach the unit's predecessors (they inherit the files). Every list and detail
view filters through `visible_unit_ids`, so scope is computed in one place, with a fixed
number of queries whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from motcua.audit.stamps import UNITS, StampedCache, tokens
from motcua.people.policy import PROVINCE_ROLES, SUBTREE_ROLES


@dataclass
class UnitGraph:
    """Parent, child and predecessor links of every unit version, held in memory."""

    parent: dict[int, int | None] = field(default_factory=dict)
    level: dict[int, str] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    predecessors: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    # Successors of each unit, the principal one first; units with a last day (valid_to).
    successors: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    closed: set[int] = field(default_factory=set)
    # `reach` per (unit, role): a loaded graph is never changed, and is shared by the
    # requests of a process (a dossier page asks ~25 times, issue 16).
    _reach: dict[tuple[int, str], frozenset[int]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def load(cls) -> UnitGraph:
        """Read the whole graph in two queries."""
        from motcua.units.models import Unit, UnitSuccession

        graph = cls()
        for pk, parent_id, level, valid_to in Unit.objects.values_list(
            "pk", "parent_id", "level", "valid_to"
        ):
            graph.parent[pk] = parent_id
            graph.level[pk] = level
            if parent_id is not None:
                graph.children[parent_id].append(pk)
            if valid_to is not None:
                graph.closed.add(pk)
        links = UnitSuccession.objects.order_by("-is_principal", "pk")
        for pred, succ in links.values_list("predecessor_id", "successor_id"):
            graph.predecessors[succ].append(pred)
            graph.successors[pred].append(succ)
        return graph

    def subtree(self, root: int) -> set[int]:
        """The unit and all its descendants (every version ever attached below it)."""
        seen = {root}
        stack = [root]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    def root(self, unit: int) -> int:
        """The top of the unit's tree (its province)."""
        seen = {unit}
        while (up := self.parent.get(unit)) is not None and up not in seen:
            seen.add(up)
            unit = up
        return unit

    def host(self, unit: int) -> list[int]:
        """A sub-unit's parents up to the first real unit (a commune, department, ...)."""
        chain: list[int] = []
        seen = {unit}
        while self.level.get(unit) == "subunit":
            up = self.parent.get(unit)
            if up is None or up in seen:
                break
            seen.add(up)
            chain.append(up)
            unit = up
        return chain

    def reach(self, unit: int, role: str) -> frozenset[int]:
        """Units a role held in `unit` reaches, predecessors included."""
        found = self._reach.get((unit, role))
        if found is None:
            found = self._reach[(unit, role)] = frozenset(self._compute_reach(unit, role))
        return found

    def _compute_reach(self, unit: int, role: str) -> set[int]:
        wide = role in PROVINCE_ROLES | SUBTREE_ROLES
        if role in PROVINCE_ROLES:
            start = self.subtree(self.root(unit))
        elif role in SUBTREE_ROLES:
            start = self.subtree(unit)
        else:
            start = {unit}
        result = set(start)
        # A desk or division inherits the files of its host unit's predecessors: the one-stop
        # officer of a new commune's service centre serves the communes it replaced.
        stack = list(start) if wide else [unit, *self.host(unit)]
        while stack:
            for pred in self.predecessors.get(stack.pop(), ()):
                if pred in result:
                    continue
                extra = self.subtree(pred) if wide else {pred}
                new = extra - result
                result |= new
                stack.extend(new)
        return result


def _active_memberships(user: object, on: dt.date | None = None) -> list:
    from motcua.people.models import Membership

    day = on or timezone.localdate()
    cache = getattr(user, "_motcua_memberships", None)
    if cache is not None and cache[0] == day:
        return cache[1]
    user_pk: int = getattr(user, "pk", None) or 0
    rows = list(Membership.objects.filter(user_id=user_pk).active_on(day))
    user._motcua_memberships = (day, rows)  # type: ignore[attr-defined]
    return rows


_GRAPHS = StampedCache()


def current_graph() -> UnitGraph:
    """The unit graph, read once per process while the units' change token stays the same.

    One small query per call (the token) instead of reading every unit and succession; the
    graph is shared read-only between requests (`motcua.audit.stamps`).
    """
    return _GRAPHS.get("graph", tokens(UNITS), UnitGraph.load)


def _graph_for(user: object) -> UnitGraph:
    graph = getattr(user, "_motcua_graph", None)
    if graph is None:
        graph = current_graph()
        user._motcua_graph = graph  # type: ignore[attr-defined]
    return graph


def visible_unit_ids(user: object, on: dt.date | None = None) -> frozenset[int] | None:
    """Ids of the units whose records `user` may see; None means every unit (superuser)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    if getattr(user, "is_superuser", False):
        return None
    memberships = _active_memberships(user, on)
    if not memberships:
        return frozenset()
    graph = _graph_for(user)
    ids: set[int] = set()
    for m in memberships:
        ids |= graph.reach(m.unit_id, m.role)
    return frozenset(ids)


def memberships_reaching(user: object, unit_id: int | None) -> list:
    """The user's active memberships whose reach includes `unit_id` (all when None)."""
    memberships = _active_memberships(user)
    if unit_id is None:
        return memberships
    graph = _graph_for(user)
    return [m for m in memberships if unit_id in graph.reach(m.unit_id, m.role)]


def forget_scope(user: object) -> None:
    """Drop cached scope (after memberships or the tree changed)."""
    for attr in ("_motcua_memberships", "_motcua_graph"):
        if hasattr(user, attr):
            delattr(user, attr)
