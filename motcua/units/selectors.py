"""Reads of the unit tree: the tree as of a date, a subtree, successors and predecessors."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import router
from django.db.models import QuerySet

from motcua.audit.stamps import UNITS, StampedCache, tokens
from motcua.units.models import Unit, UnitSuccession


@dataclass
class TreeNode:
    """A unit version with its children as they stood on one date."""

    unit: Unit
    depth: int = 0
    children: list[TreeNode] = field(default_factory=list)

    def walk(self) -> list[TreeNode]:
        """This node and its descendants, depth first."""
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


def _nest(units: list[Unit]) -> list[TreeNode]:
    """Nest `units` (all valid on one date); roots are those whose parent is not among them."""
    ids = {u.pk for u in units}
    by_parent: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        by_parent[unit.parent_id if unit.parent_id in ids else None].append(unit)

    def build(unit: Unit, depth: int) -> TreeNode:
        return TreeNode(unit, depth, [build(c, depth + 1) for c in by_parent.get(unit.pk, [])])

    return [build(u, 0) for u in by_parent.get(None, [])]


def tree_as_of(day: dt.date, *, user: object) -> list[TreeNode]:
    """The part of the unit tree valid on `day` that `user` may see, nested."""
    return _nest(list(Unit.objects.visible_to(user).valid_on(day).order_by("level", "name")))


def subtree_as_of(unit: Unit, day: dt.date) -> TreeNode:
    """`unit` and its descendants that were valid on `day`, nested."""
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for u in Unit.objects.valid_on(day).order_by("level", "name"):
        children[u.parent_id].append(u)

    def build(u: Unit, depth: int) -> TreeNode:
        return TreeNode(u, depth, [build(c, depth + 1) for c in children.get(u.pk, [])])

    return build(unit, 0)


def successors_of(unit: Unit) -> QuerySet[UnitSuccession]:
    """Links from `unit` to the units that took it over."""
    return unit.successions.select_related("successor").order_by("-is_principal", "successor__name")


def predecessors_of(unit: Unit) -> QuerySet[UnitSuccession]:
    """Links to `unit` from the units it took over."""
    return unit.predecessions.select_related("predecessor").order_by("predecessor__name")


def current_units_of(unit: Unit) -> list[Unit]:
    """Follow principal successor links to the unit(s) in force today (re-aggregation)."""
    seen: set[int] = set()
    frontier = [unit]
    result: list[Unit] = []
    while frontier:
        u = frontier.pop()
        if u.pk in seen:
            continue
        seen.add(u.pk)
        nxt = [link.successor for link in u.successions.select_related("successor")]
        if not nxt:
            result.append(u)
        frontier.extend(nxt)
    return result


# -- units by id, kept per process (issue 16) --------------------------------------------------

_ROWS = StampedCache()


def _unit_rows() -> tuple[list[str], dict[int, tuple[Any, ...]]]:
    names = [f.attname for f in Unit._meta.concrete_fields]
    return names, {row[0]: row for row in Unit.objects.values_list(*names)}


def units_by_id(ids: Iterable[int | None]) -> dict[int, Unit]:
    """Fresh `Unit` instances for `ids`, from rows kept while the units' change token holds.

    A dossier names four units (receiving, competent, current, submission point): joining
    them cost the dossier page ~3 ms of SQL compilation and planning. The rows are shared by
    the process, the instances are not (each call builds its own, so nothing a request
    caches on one can reach another). An id missing from the rows is left out.
    """
    names, rows = _ROWS.get("rows", tokens(UNITS), _unit_rows)
    db = router.db_for_read(Unit)
    return {
        pk: Unit.from_db(db, names, rows[pk]) for pk in set(ids) if pk is not None and pk in rows
    }
