"""CSV imports of the PAR Index: a criteria set, final leaf scores, survey points.

All or nothing: every row is checked first, each problem reported as `line N: reason`
(`ImportProblem`), and only a clean file is written, through the services. Importing the same
file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from motcua.lib.csvin import ImportProblem
from motcua.par.choices import RuleType
from motcua.par.models import CriteriaSet
from motcua.par.rules import RuleError, dec
from motcua.par.services import (
    NodeSpec,
    replace_unit_scores,
    save_criteria_set,
    set_survey_points,
    tree_errors,
)
from motcua.par.tables import read_rows

SET_HEADER = ["code", "parent_code", "name", "max_points", "rule", "params"]
SET_OPTIONAL = ["evidence_requirement", "data_source"]
SCORES_HEADER = ["unit_code", "criterion_code", "points", "not_applicable"]
SURVEY_HEADER = ["unit_code", "points"]


def _points(raw: str, what: str) -> Decimal:
    """A non-negative number of points with at most 2 decimals."""
    value = dec(raw, what)
    if value < 0:
        raise RuleError(f"{what}: {raw.strip()} is negative")
    if value != value.quantize(Decimal("0.01")):
        raise RuleError(f"{what}: {raw.strip()} has more than 2 decimals")
    return value


def read_set_file(path: str | Path) -> list[NodeSpec]:
    """The nodes of a criteria-set CSV, in file order, after every check of rows and tree."""
    nodes: list[NodeSpec] = []
    lines: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    for line, row in read_rows(path, required=SET_HEADER, optional=SET_OPTIONAL):
        code = row["code"].strip()
        problems: list[str] = []
        if not code:
            problems.append("code is empty")
        elif code in lines:
            problems.append(f"code {code!r} repeats line {lines[code]}")
        name = row["name"].strip()
        if not name:
            problems.append("name is empty")
        max_points = Decimal(0)
        try:
            max_points = _points(row["max_points"], "max_points")
        except RuleError as exc:
            problems.append(str(exc))
        rule = row["rule"].strip()
        if rule not in RuleType.values:
            problems.append(
                f"rule {rule!r} is unknown (expected empty or one of "
                f"{', '.join(v for v in RuleType.values if v)})"
            )
        params: Any = {}
        if row["params"].strip():
            try:
                params = json.loads(row["params"])
            except json.JSONDecodeError as exc:
                problems.append(f"params is not JSON: {exc.msg}")
            if not isinstance(params, dict):
                problems.append("params must be a JSON object")
                params = {}
        if problems:
            errors.extend((line, p) for p in problems)
            continue
        lines[code] = line
        nodes.append(
            NodeSpec(
                code=code,
                parent_code=row["parent_code"].strip(),
                name=name,
                max_points=max_points,
                rule=rule,
                params=params,
                evidence_requirement=row.get("evidence_requirement", "").strip(),
                data_source=row.get("data_source", "").strip(),
            )
        )
    if errors:
        raise ImportProblem(errors)
    if not nodes:
        raise ImportProblem([(1, "the file has no criteria")])
    tree = tree_errors(nodes)
    if tree:
        raise ImportProblem(sorted((lines.get(code, 1), reason) for code, reason in tree))
    return nodes


def import_set(
    path: str | Path,
    *,
    code: str,
    year: int,
    unit_type: str,
    survey_max: Decimal,
    decision_number: str | None = None,
    decision_date: dt.date | None = None,
    actor: Any = None,
) -> str:
    """Create or replace the draft set `code` from a CSV file; the summary line."""
    nodes = read_set_file(path)
    criteria_set, changed = save_criteria_set(
        code=code,
        year=year,
        unit_type=unit_type,
        survey_max=survey_max,
        nodes=nodes,
        actor=actor,
        decision_number=decision_number,
        decision_date=decision_date,
    )
    fields = [n for n in nodes if not n.parent_code]
    evidence_max = sum((n.max_points for n in fields), Decimal(0))
    state = "saved" if changed else "unchanged"
    return (
        f"{criteria_set.code}: {len(nodes)} criteria in {len(fields)} fields, "
        f"evidence {evidence_max} + survey {survey_max} = {evidence_max + survey_max} ({state})"
    )


def import_scores(path: str | Path, *, criteria_set: CriteriaSet, actor: Any = None) -> str:
    """Replace the final leaf scores of the units in the file; the summary line."""
    leaves = {c.code: c for c in criteria_set.criteria.filter(children__isnull=True)}
    others = set(criteria_set.criteria.values_list("code", flat=True)) - set(leaves)
    scores: dict[str, dict[str, tuple[Decimal, bool]]] = {}
    seen: dict[tuple[str, str], int] = {}
    errors: list[tuple[int, str]] = []
    for line, row in read_rows(path, required=SCORES_HEADER, optional=[]):
        unit = row["unit_code"].strip()
        code = row["criterion_code"].strip()
        problems: list[str] = []
        if not unit:
            problems.append("unit_code is empty")
        leaf = leaves.get(code)
        if leaf is None:
            if code in others:
                problems.append(f"criterion {code!r} is not a leaf: its points are its children's")
            else:
                problems.append(f"criterion {code!r} is not in set {criteria_set.code}")
        na_raw = row["not_applicable"].strip()
        if na_raw not in {"", "1"}:
            problems.append(f"not_applicable must be 1 or empty, found {na_raw!r}")
        na = na_raw == "1"
        points = Decimal(0)
        raw = row["points"].strip()
        if na and raw:
            problems.append("a not-applicable leaf takes no points")
        elif not na:
            try:
                points = _points(raw, "points")
            except RuleError as exc:
                problems.append(str(exc))
            else:
                if leaf is not None and points > leaf.max_points:
                    problems.append(
                        f"points {points} exceed the maximum {leaf.max_points} of {code}"
                    )
        key = (unit, code)
        if unit and code and key in seen:
            problems.append(f"unit {unit} and criterion {code} repeat line {seen[key]}")
        if unit and code:
            seen.setdefault(key, line)
        if problems:
            errors.extend((line, p) for p in problems)
            continue
        scores.setdefault(unit, {})[code] = (points, na)
    if errors:
        raise ImportProblem(errors)
    changed = replace_unit_scores(criteria_set=criteria_set, scores=scores, actor=actor)
    return f"{criteria_set.code}: scores of {len(scores)} units, {changed} rows changed"


def import_survey(path: str | Path, *, criteria_set: CriteriaSet, actor: Any = None) -> str:
    """Set the survey points of the units in the file; the summary line."""
    points: dict[str, Decimal] = {}
    seen: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    for line, row in read_rows(path, required=SURVEY_HEADER, optional=[]):
        unit = row["unit_code"].strip()
        problems: list[str] = []
        if not unit:
            problems.append("unit_code is empty")
        elif unit in seen:
            problems.append(f"unit {unit} repeats line {seen[unit]}")
        value = Decimal(0)
        try:
            value = _points(row["points"], "points")
        except RuleError as exc:
            problems.append(str(exc))
        else:
            if value > criteria_set.survey_max:
                problems.append(
                    f"points {value} exceed the survey maximum {criteria_set.survey_max}"
                )
        if unit:
            seen.setdefault(unit, line)
        if problems:
            errors.extend((line, p) for p in problems)
            continue
        points[unit] = value
    if errors:
        raise ImportProblem(errors)
    changed = set_survey_points(criteria_set=criteria_set, points=points, actor=actor)
    return f"{criteria_set.code}: survey points of {len(points)} units, {changed} rows changed"
