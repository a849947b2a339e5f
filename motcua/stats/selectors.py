"""Dossier statistics for a period and a part of the unit tree, with breakdowns."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_noop

from motcua.dossiers.models import Dossier
from motcua.lib.periods import Period
from motcua.lib.rowcount import count_rows
from motcua.people.scope import UnitGraph, current_graph
from motcua.procedures.choices import ProcedureLevel
from motcua.procedures.models import Field, Procedure
from motcua.stats.classification import (
    LEAVES,
    annotate_days,
    dossiers_behind,
    leaf_conditions,
)
from motcua.stats.figures import Figures
from motcua.stats.rollup import scope_counts
from motcua.stats.succession import Heirs, Split, dossier_q, follow, principal_ids
from motcua.units.models import Unit, overlaps_q

BREAKDOWNS = ("unit", "level", "field", "procedure")
# Whose dossiers a unit's figures count: those it handles (Biểu 06, the default) or those it
# received at its desk (Biểu II.06a: the public service centre receives for departments).
HANDLING_VIEW = "handling"
DESK_VIEW = "desk"
VIEWS = (HANDLING_VIEW, DESK_VIEW)


class StatsError(ValueError):
    """A statistics request that cannot be answered (unknown unit, bad breakdown ...)."""


# Row names that are words, not data: the contract keeps them in Vietnamese; the web page
# translates them by value (`motcua.stats.views.row_name`).
NO_FIELD = gettext_noop("Chưa phân lĩnh vực")
DIRECT_ROW = gettext_noop("%(name)s (trực tiếp)")


@dataclass
class Row:
    """One line of a breakdown."""

    key: str
    name: str
    figures: Figures

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, **self.figures.blocks()}


@dataclass
class Statistics:
    """The figures of one unit (with its subtree) for one period, and an optional breakdown."""

    period: Period
    unit: Unit
    unit_ids: frozenset[int]
    total: Figures
    by: str | None = None
    rows: list[Row] = field(default_factory=list)
    as_current: bool = False
    roots: frozenset[int] = frozenset()
    view: str = HANDLING_VIEW
    scope: Scope | None = None  # exact for split units (`counted_dossiers(scope)`)

    def as_json(self) -> dict[str, Any]:
        """The statistics contract (`motcua stats dossiers --format json`)."""
        data: dict[str, Any] = {"period": self.period.as_json(), "unit": self.unit.code}
        if self.view != HANDLING_VIEW:
            data["view"] = self.view  # absent for the default: the contract stays as it was
        data.update(self.total.blocks())
        if self.by:
            data["rows"] = [row.as_json() for row in self.rows]
        return data


def handled_dossiers() -> QuerySet[Dossier]:
    """Dossiers with the unit that handles them: the competent unit, else the receiving one."""
    return Dossier.objects.annotate(
        handling_unit=Coalesce(F("competent_unit_id"), F("receiving_unit_id"))
    )


def received_dossiers() -> QuerySet[Dossier]:
    """Dossiers with the desk that received them as `handling_unit` (the desk view, II.06a).

    The same annotation name as `handled_dossiers`, so every grouping, row and click-through
    works unchanged on either view.
    """
    return Dossier.objects.annotate(handling_unit=F("receiving_unit_id"))


def counted_dossiers(ids: frozenset[int] | Scope, view: str = HANDLING_VIEW) -> QuerySet[Dossier]:
    """The dossiers counted for units `ids` (or a whole scope, split units included exactly):
    handled by them, or received at their desk."""
    if view not in VIEWS:
        raise StatsError(f"view {view!r}: use one of {', '.join(VIEWS)}")
    base = received_dossiers() if view == DESK_VIEW else handled_dossiers()
    if isinstance(ids, Scope):
        return base.filter(ids.dossier_q())
    return base.filter(handling_unit__in=ids)  # type: ignore[misc]


def unit_versions(code: str, period: Period) -> list[Unit]:
    """Versions of unit `code` in force at some time during the period, latest first."""
    versions = list(
        Unit.objects.filter(code=code)
        .filter(overlaps_q(period.first, period.last))
        .order_by(F("valid_from").desc(nulls_last=True))
    )
    if not versions:
        raise StatsError(
            f"unit {code!r} does not exist between {period.first:%Y-%m-%d} "
            f"and {period.last:%Y-%m-%d}"
        )
    return versions


def _subtree_in_period(graph: UnitGraph, roots: list[int], alive: set[int]) -> set[int]:
    ids: set[int] = set()
    for root in roots:
        ids |= {u for u in graph.subtree(root) if u in alive}
    return ids


class UnitScoped(Protocol):
    """Figures of one unit scope: what `unit_rows` needs (dossier or feedback statistics)."""

    unit: Unit
    unit_ids: frozenset[int]
    as_current: bool
    roots: frozenset[int]


@dataclass(frozen=True)
class Scope:
    """Which units' dossiers count: the labelled unit, its versions (roots), and all ids.

    `ids` are the units counted when a record cannot say where it belongs (a split unit's
    records go to its principal successor); `splits` refine that for dossiers, which say it
    by the unit holding their file (`motcua.stats.succession`). `dossier_q()` is exact.
    """

    unit: Unit
    roots: frozenset[int]
    ids: frozenset[int]
    splits: tuple[Split, ...] = ()

    def dossier_q(self, handler: str = "handling_unit") -> Q:
        """The dossiers counted for this scope (over the `handling_unit` annotation)."""
        whole = self.ids - frozenset(u for s in self.splits for u in s.handlers)
        return dossier_q(whole, self.splits, handler)


def scope_of(code: str, period: Period, *, as_current: bool = False) -> Scope:
    """The units whose dossiers count for `code` in `period`.

    As it was (default): every version of `code` in force during the period, their subtrees
    as they stood, and every closed unit whose records pass, along successor links, into
    them — whether or not it was still in force on some day of the period (a Decree 09
    quarter spanning 01/07/2025 counts the old communes' dossiers under the new ones). A
    closed unit without successors of its own (an old district) follows its nearest
    ancestor's; a split unit's dossiers count once, under the successor they belong to
    (`motcua.stats.succession`). As current: today's unit `code` and every unit (of any
    time) whose records, by the same rules, live on in its current subtree.
    """
    graph = current_graph()
    heirs = Heirs.load(graph)
    if as_current:
        unit = Unit.objects.version_of(code)
        if unit is None:
            raise StatsError(f"unit {code!r} does not exist")
        whole, splits = heirs.scope(graph.subtree(unit.pk), follow_members=True)
        return Scope(unit, frozenset({unit.pk}), principal_ids(whole, splits), splits)
    versions = unit_versions(code, period)
    alive = set(Unit.objects.overlapping(period.first, period.last).values_list("pk", flat=True))
    base = _subtree_in_period(graph, [v.pk for v in versions], alive)
    whole, splits = heirs.scope(base, follow_members=False)
    return Scope(
        versions[0], frozenset(v.pk for v in versions), principal_ids(whole, splits), splits
    )


def scope_ids(
    code: str, period: Period, *, as_current: bool = False
) -> tuple[Unit, frozenset[int]]:
    """The unit version to label the figures with, and the ids whose dossiers count.

    The ids read a split unit's records as its principal successor's; `scope_of(...)
    .dossier_q()` is exact for dossiers.
    """
    found = scope_of(code, period, as_current=as_current)
    return found.unit, found.ids


def current_map(graph: UnitGraph) -> dict[int, int]:
    """Every unit id → the id of the unit it lives on as today (principal successor chain).

    A closed unit without successors of its own follows its nearest ancestor's.
    """
    heirs = Heirs.load(graph)
    return {u: heirs.current(u) for u in graph.parent}


def dossier_statistics(
    *,
    code: str,
    period: Period,
    by: str | None = None,
    as_current: bool = False,
    view: str = HANDLING_VIEW,
) -> Statistics:
    """Figures for unit `code` (with its subtree) in `period`, optionally broken down.

    `view="desk"` counts the dossiers received at the units' desks instead of those they
    handle (Biểu II.06a); the unit scope, the rules and the breakdowns are the same.
    """
    if by is not None and by not in BREAKDOWNS:
        raise StatsError(f"--by {by!r}: use one of {', '.join(BREAKDOWNS)}")
    if view not in VIEWS:
        raise StatsError(f"--view {view!r}: use one of {', '.join(VIEWS)}")
    found = scope_of(code, period, as_current=as_current)
    unit, ids = found.unit, found.ids
    queryset = counted_dossiers(found, view)
    stats = Statistics(
        period,
        unit,
        ids,
        Figures(),
        by,
        as_current=as_current,
        roots=found.roots,
        view=view,
        scope=found,
    )
    if by is None:
        stats.total = Figures.from_row(scope_counts(found, view, period)[0]).check()
    if by == "unit":
        stats.rows = _by_unit(queryset, stats)
    elif by == "level":
        stats.rows = _by_key(
            scope_counts(found, view, period, "procedure__level"),
            "procedure__level",
            lambda k: str(ProcedureLevel(k).label) if k in ProcedureLevel.values else str(k),
        )
    elif by == "field":
        names = dict(Field.objects.values_list("pk", "name"))
        stats.rows = _by_key(
            scope_counts(found, view, period, "field_id"),
            "field_id",
            lambda k: names.get(k, NO_FIELD),
            key_of=lambda k: (
                Field.objects.filter(pk=k).values_list("code", flat=True).first() or ""
            ),
        )
    elif by == "procedure":
        rows = scope_counts(found, view, period, "procedure_id")
        procs = {
            p.pk: p
            for p in Procedure.objects.filter(pk__in=[r["procedure_id"] for r in rows]).only(
                "code", "name"
            )
        }
        stats.rows = _by_key(
            rows,
            "procedure_id",
            lambda k: procs[k].name,
            key_of=lambda k: procs[k].code,
        )
    if by:
        # The grouped query read every counted row once: the total is the sum of its rows.
        stats.total = sum((r.figures for r in stats.rows), Figures()).check()
    return stats


def _by_key(rows: list[dict], column: str, name_of: Any, key_of: Any = None) -> list[Row]:
    result = []
    for row in rows:
        figures = Figures.from_row(row).check()
        if figures.received == 0:
            continue
        k = row[column]
        result.append(Row(str(key_of(k) if key_of else k), str(name_of(k)), figures))
    return result


def _row_owners(stats: UnitScoped, graph: UnitGraph) -> dict[int, str]:
    """Unit id → the code of the row its subtree forms (the unit's children, or the unit)."""
    unit = stats.unit
    roots = stats.roots or frozenset({unit.pk})
    children = [c for r in roots for c in graph.children.get(r, []) if c in stats.unit_ids]
    codes = dict(Unit.objects.filter(pk__in=[*children]).values_list("pk", "code"))
    owner: dict[int, str] = {r: unit.code for r in roots}
    for child in children:
        for u in graph.subtree(child):
            owner[u] = codes[child]
    return owner


def _rows_of(stats: UnitScoped) -> tuple[dict[int, str], dict[int, dict[int, str]]]:
    """Both readings of `--by unit` rows: per handling unit, and per split unit's file holder.

    One read of the unit graph (2 queries) and one of the row units' codes.
    """
    graph = current_graph()
    heirs = Heirs.load(graph)
    owner = _row_owners(stats, graph)

    def row_of(unit: int) -> str:
        if stats.as_current:
            return owner.get(heirs.current(unit), stats.unit.code)
        return owner.get(follow(heirs, owner.__contains__, unit), stats.unit.code)

    rows = {h: row_of(h) for h in stats.unit_ids}
    scope = getattr(stats, "scope", None)
    handlers = set(stats.unit_ids)
    if scope is not None:
        handlers |= {u for s in scope.splits for u in s.handlers}
    else:
        return rows, {}  # feedback: a split unit's items stay with the principal successor
    moved: dict[int, dict[int, str]] = {}
    for handler, claims in heirs.claims(handlers).items():
        default = rows.get(handler)
        held = {unit: row_of(succ) for unit, succ in claims.items()}
        held = {unit: row for unit, row in held.items() if row != default}
        if held:
            moved[handler] = held
    return rows, moved


def unit_rows(stats: UnitScoped) -> dict[int, str]:
    """Handling unit id → the code of the `--by unit` row it is counted in.

    Rows are the children of every version of the unit in the period (each with its subtree;
    versions of one code share a row) and the unit itself for what it handles directly.
    Closed units taken over by a counted unit follow their successor links (a closed unit
    without any, its nearest ancestor's); with `as_current` all history does. A split unit's
    row is its principal successor's: `split_rows` lists the dossiers that say otherwise.
    """
    return _rows_of(stats)[0]


def split_rows(stats: UnitScoped) -> dict[int, dict[int, str]]:
    """Split handling unit → {unit holding the file → row code}, where it is not the default.

    Only for dossier statistics (a dossier says where it belongs by who holds its file);
    feedback keeps the principal successor's row.
    """
    return _rows_of(stats)[1]


def _grouped(queryset: QuerySet[Dossier], period: Period, *columns: str) -> list[dict]:
    """Leaf counts per combination of `columns` (the same expressions as `counts`)."""
    conditions = leaf_conditions(period)
    rows = annotate_days(queryset).filter(conditions["_counted"])
    aggregates = {leaf: count_rows(conditions[leaf]) for leaf in LEAVES}
    return list(rows.values(*columns).annotate(**aggregates).order_by(*columns))


def _by_unit(queryset: QuerySet[Dossier], stats: Statistics) -> list[Row]:
    """One row per child unit (with its subtree), plus the unit's own dossiers.

    One grouped query; when split units' dossiers are held where they go to other rows, one
    more over those units' dossiers only, grouped by the unit holding the file.
    """
    row_of, moved = _rows_of(stats)
    totals: dict[str, Figures] = defaultdict(Figures)
    assert stats.scope is not None
    for row in scope_counts(stats.scope, stats.view, stats.period, "handling_unit", exclude=moved):
        key = row_of.get(row["handling_unit"], stats.unit.code)
        totals[key] = totals[key] + Figures.from_row(row)
    if moved:
        split = queryset.filter(handling_unit__in=list(moved))  # type: ignore[misc]
        for row in _grouped(split, stats.period, "handling_unit", "current_unit"):
            handler = row["handling_unit"]
            key = moved[handler].get(row["current_unit"]) or row_of.get(handler, stats.unit.code)
            totals[key] = totals[key] + Figures.from_row(row)
    latest: dict[str, Unit] = {}
    for u in Unit.objects.filter(code__in=list(totals)).order_by(
        F("valid_from").asc(nulls_first=True)
    ):
        latest[u.code] = u  # the newest version names the row
    has_children = any(key != stats.unit.code for key in totals)
    rows = []
    for key, figures in totals.items():
        if figures.received == 0:
            continue
        name = latest[key].name if key in latest else key
        if key == stats.unit.code:
            name = DIRECT_ROW % {"name": stats.unit.name} if has_children else stats.unit.name
        rows.append(Row(key, name, figures.check()))
    rows.sort(key=lambda r: (r.key != stats.unit.code, r.name))
    return rows


def handlers_of_row(stats: UnitScoped, key: str) -> set[int] | None:
    """Handling unit ids counted in the `--by unit` row `key` (None: no such row).

    For split units read as their principal successor's (feedback); `row_dossiers_q` is
    exact for dossiers.
    """
    row_of = unit_rows(stats)
    handlers = {h for h, row in row_of.items() if row == key}
    return handlers or None


def row_dossiers_q(stats: UnitScoped, key: str) -> Q | None:
    """The dossiers counted in the `--by unit` row `key`, split units included (None: no row)."""
    row_of, moved = _rows_of(stats)
    plain = {h for h, row in row_of.items() if row == key and h not in moved}
    condition = Q(handling_unit__in=plain)
    found = bool(plain)
    for handler, held in moved.items():
        here = {unit for unit, row in held.items() if row == key}
        elsewhere = {unit for unit, row in held.items() if row != key}
        if row_of.get(handler) == key:
            condition |= Q(handling_unit=handler) & ~Q(current_unit_id__in=elsewhere)
            found = True
        elif here:
            condition |= Q(handling_unit=handler, current_unit_id__in=here)
            found = True
    return condition if found else None


def dossiers_for_figure(stats: Statistics, figure: str) -> QuerySet[Dossier]:
    """The dossiers behind one figure of `stats` (the list length equals the figure)."""
    scope: frozenset[int] | Scope = stats.scope or stats.unit_ids
    return dossiers_behind(counted_dossiers(scope, stats.view), stats.period, figure)
