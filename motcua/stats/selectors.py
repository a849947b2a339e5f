"""Dossier statistics for a period and a part of the unit tree, with breakdowns."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce

from motcua.dossiers.models import Dossier
from motcua.lib.periods import Period
from motcua.people.scope import UnitGraph
from motcua.procedures.choices import ProcedureLevel
from motcua.procedures.models import Field, Procedure
from motcua.stats.classification import counts, dossiers_behind
from motcua.stats.figures import Figures
from motcua.units.models import Unit, UnitSuccession, overlaps_q

BREAKDOWNS = ("unit", "level", "field", "procedure")


class StatsError(ValueError):
    """A statistics request that cannot be answered (unknown unit, bad breakdown ...)."""


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

    def as_json(self) -> dict[str, Any]:
        """The statistics contract (`motcua stats dossiers --format json`)."""
        data: dict[str, Any] = {
            "period": self.period.as_json(),
            "unit": self.unit.code,
            **self.total.blocks(),
        }
        if self.by:
            data["rows"] = [row.as_json() for row in self.rows]
        return data


def handled_dossiers() -> QuerySet[Dossier]:
    """Dossiers with the unit that handles them: the competent unit, else the receiving one."""
    return Dossier.objects.annotate(
        handling_unit=Coalesce(F("competent_unit_id"), F("receiving_unit_id"))
    )


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


def _current_of(graph: UnitGraph, successors: dict[int, list[int]], unit: int) -> int:
    """Follow principal successor links to today's unit."""
    seen = {unit}
    while successors.get(unit):
        nxt = successors[unit][0]
        if nxt in seen:
            break
        seen.add(nxt)
        unit = nxt
    return unit


def scope_ids(
    code: str, period: Period, *, as_current: bool = False
) -> tuple[Unit, frozenset[int]]:
    """The unit version to label the figures with, and the ids whose dossiers count.

    As it was (default): every version of `code` in force during the period and their
    subtrees as they stood. As current: today's unit `code` and every unit (of any time) whose
    principal successor chain leads into its current subtree.
    """
    graph = UnitGraph.load()
    if not as_current:
        versions = unit_versions(code, period)
        alive = set(
            Unit.objects.overlapping(period.first, period.last).values_list("pk", flat=True)
        )
        return versions[0], frozenset(_subtree_in_period(graph, [v.pk for v in versions], alive))
    unit = Unit.objects.version_of(code)
    if unit is None:
        raise StatsError(f"unit {code!r} does not exist")
    today = graph.subtree(unit.pk)
    current = current_map(graph)
    return unit, frozenset(u for u in graph.parent if current[u] in today)


def current_map(graph: UnitGraph) -> dict[int, int]:
    """Every unit id → the id of the unit it lives on as today (principal successor chain)."""
    successors: dict[int, list[int]] = defaultdict(list)
    links = UnitSuccession.objects.order_by("-is_principal", "pk")
    for pred, succ in links.values_list("predecessor_id", "successor_id"):
        successors[pred].append(succ)
    return {u: _current_of(graph, successors, u) for u in graph.parent}


def _scoped(ids: frozenset[int]) -> QuerySet[Dossier]:
    return handled_dossiers().filter(handling_unit__in=ids)  # type: ignore[misc]


def dossier_statistics(
    *, code: str, period: Period, by: str | None = None, as_current: bool = False
) -> Statistics:
    """Figures for unit `code` (with its subtree) in `period`, optionally broken down."""
    if by is not None and by not in BREAKDOWNS:
        raise StatsError(f"--by {by!r}: use one of {', '.join(BREAKDOWNS)}")
    unit, ids = scope_ids(code, period, as_current=as_current)
    queryset = _scoped(ids)
    total = Figures.from_row(counts(queryset, period)[0]).check()
    stats = Statistics(period, unit, ids, total, by, as_current=as_current)
    if by == "unit":
        stats.rows = _by_unit(queryset, period, unit, ids, as_current)
    elif by == "level":
        stats.rows = _by_key(
            counts(queryset, period, "procedure__level"),
            "procedure__level",
            lambda k: str(ProcedureLevel(k).label) if k in ProcedureLevel.values else str(k),
        )
    elif by == "field":
        names = dict(Field.objects.values_list("pk", "name"))
        stats.rows = _by_key(
            counts(queryset, period, "field_id"),
            "field_id",
            lambda k: names.get(k, "Chưa phân lĩnh vực"),
            key_of=lambda k: (
                Field.objects.filter(pk=k).values_list("code", flat=True).first() or ""
            ),
        )
    elif by == "procedure":
        rows = counts(queryset, period, "procedure_id")
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
        summed = sum((r.figures for r in stats.rows), Figures())
        if summed != total:  # a breakdown must add up to its total, row by row
            raise AssertionError(f"breakdown by {by} does not add up: {summed} ≠ {total}")
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


def unit_rows(unit: Unit, ids: frozenset[int], as_current: bool) -> dict[int, int]:
    """Handling unit id → the id of the `--by unit` row it is counted in.

    Rows are the unit's children (each with its subtree) and the unit itself for what it
    handles directly; with `as_current`, history first moves along successor links.
    """
    graph = UnitGraph.load()
    children = [c for c in graph.children.get(unit.pk, []) if c in ids]
    owner: dict[int, int] = {unit.pk: unit.pk}
    for child in children:
        for u in graph.subtree(child):
            owner[u] = child
    current = current_map(graph) if as_current else {}
    return {h: owner.get(current.get(h, h), unit.pk) for h in ids}


def _by_unit(
    queryset: QuerySet[Dossier], period: Period, unit: Unit, ids: frozenset[int], as_current: bool
) -> list[Row]:
    """One row per child unit (with its subtree), plus the unit's own dossiers."""
    row_of = unit_rows(unit, ids, as_current)
    totals: dict[int, Figures] = defaultdict(Figures)
    for row in counts(queryset, period, "handling_unit"):
        target = row_of.get(row["handling_unit"], unit.pk)
        totals[target] = totals[target] + Figures.from_row(row)
    names = {u.pk: u for u in Unit.objects.filter(pk__in=list(totals))}
    has_children = any(target != unit.pk for target in row_of.values())
    rows = []
    for pk, figures in totals.items():
        if figures.received == 0:
            continue
        row_unit = names[pk]
        label = row_unit.name
        if pk == unit.pk and has_children:
            label = f"{row_unit.name} (trực tiếp)"
        rows.append(Row(row_unit.code, label, figures.check()))
    rows.sort(key=lambda r: (r.key != unit.code, r.name))
    return rows


def handlers_of_row(stats: Statistics, key: str) -> set[int] | None:
    """Handling unit ids counted in the `--by unit` row `key` (None: no such row)."""
    row_of = unit_rows(stats.unit, stats.unit_ids, stats.as_current)
    codes = dict(Unit.objects.filter(pk__in=set(row_of.values())).values_list("pk", "code"))
    targets = [pk for pk, code in codes.items() if code == key]
    if not targets:
        return None
    target = stats.unit.pk if stats.unit.pk in targets else targets[0]
    return {h for h, row in row_of.items() if row == target}


def dossiers_for_figure(stats: Statistics, figure: str) -> QuerySet[Dossier]:
    """The dossiers behind one figure of `stats` (the list length equals the figure)."""
    return dossiers_behind(_scoped(stats.unit_ids), stats.period, figure)
