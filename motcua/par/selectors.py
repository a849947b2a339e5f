"""Reading the PAR Index: a set's results per unit, overall and per field, ranked."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from motcua.par.choices import AdjustmentKind
from motcua.par.models import CriteriaSet, Criterion, LeafScore
from motcua.par.rules import (
    ZERO,
    bonus,
    competition_ranks,
    group_of,
    index_percent,
    penalty,
    q2,
)


@dataclass
class FieldResult:
    """One field (lĩnh vực) of one unit: points, applicable maximum, index and rank."""

    code: str
    name: str
    points: Decimal
    max: Decimal
    index: Decimal | None = None
    rank: int | None = None


@dataclass
class UnitResult:
    """One unit's result in a set — kết quả Chỉ số CCHC của một đơn vị."""

    unit: str
    evidence: Decimal
    survey: Decimal
    bonus: Decimal
    penalty: Decimal
    applicable_max: Decimal
    fields: list[FieldResult] = field(default_factory=list)
    rank: int | None = None

    @property
    def total(self) -> Decimal:
        """evidence + survey + bonus − penalty."""
        return q2(self.evidence + self.survey + self.bonus - self.penalty)

    @property
    def index(self) -> Decimal | None:
        """total ÷ applicable maximum × 100."""
        return index_percent(self.total, self.applicable_max)

    @property
    def group(self) -> str | None:
        """A, B or C by the index; below 70% none."""
        return group_of(self.index)


def get_set(code: str) -> CriteriaSet | None:
    """The criteria set of this code, if any."""
    return CriteriaSet.objects.filter(code=code).first()


def _field_of(criteria: list[Criterion]) -> dict[int, Criterion]:
    """Map every node's pk to its field (level-1 ancestor)."""
    by_pk = {c.pk: c for c in criteria}
    result = {}
    for c in criteria:
        top = c
        while top.parent_id is not None:
            top = by_pk[top.parent_id]
        result[c.pk] = top
    return result


@dataclass(frozen=True)
class Leaf:
    """A leaf of the tree as the counting reads it."""

    pk: int
    code: str
    name: str
    max_points: Decimal
    field_pk: int


@dataclass
class SetInputs:
    """Everything the counting of one set reads, loaded once (no database after this)."""

    code: str
    survey_max: Decimal
    bonus_cap: Decimal
    penalty_cap: Decimal
    fields: list[tuple[int, str, str]]  # (pk, code, name) in order
    leaves: list[Leaf]
    # unit code → leaf pk → (points, not applicable)
    scores: dict[str, dict[int, tuple[Decimal, bool]]]
    surveys: dict[str, Decimal]
    adjustments: dict[tuple[str, str], list[Decimal]]


def load_inputs(criteria_set: CriteriaSet) -> SetInputs:
    """Read a set's tree, scores, survey points and adjustments for the counting."""
    criteria = list(criteria_set.criteria.all())
    parents = {c.parent_id for c in criteria if c.parent_id is not None}
    field_of = _field_of(criteria)
    scores: dict[str, dict[int, tuple[Decimal, bool]]] = {}
    for row in LeafScore.objects.filter(criterion__criteria_set=criteria_set):
        scores.setdefault(row.unit_code, {})[row.criterion_id] = (row.points, row.not_applicable)
    adjustments: dict[tuple[str, str], list[Decimal]] = {}
    for adj in criteria_set.adjustments.all():
        adjustments.setdefault((adj.unit_code, adj.kind), []).append(adj.points)
    return SetInputs(
        code=criteria_set.code,
        survey_max=criteria_set.survey_max,
        bonus_cap=criteria_set.bonus_cap,
        penalty_cap=criteria_set.penalty_cap,
        fields=[(c.pk, c.code, c.name) for c in criteria if c.parent_id is None],
        leaves=[
            Leaf(c.pk, c.code, c.name, c.max_points, field_of[c.pk].pk)
            for c in criteria
            if c.pk not in parents
        ],
        scores=scores,
        surveys={s.unit_code: s.points for s in criteria_set.surveys.all()},
        adjustments=adjustments,
    )


def compute_results(inputs: SetInputs) -> list[UnitResult]:
    """Every scored unit's result, best first (rank, then unit code); pure.

    A unit is scored when it has a leaf score or survey points. An applicable leaf without a
    score counts 0; a not-applicable leaf leaves its field's and the total's maximum.
    """
    results: list[UnitResult] = []
    for unit in sorted(set(inputs.scores) | set(inputs.surveys)):
        own = inputs.scores.get(unit, {})
        per_field = {pk: FieldResult(code, name, ZERO, ZERO) for pk, code, name in inputs.fields}
        for leaf in inputs.leaves:
            score = own.get(leaf.pk)
            target = per_field[leaf.field_pk]
            if score is not None and score[1]:
                continue
            target.max += leaf.max_points
            if score is not None:
                target.points += score[0]
        for fr in per_field.values():
            fr.index = index_percent(fr.points, fr.max)
        evidence = sum((fr.points for fr in per_field.values()), ZERO)
        results.append(
            UnitResult(
                unit=unit,
                evidence=q2(evidence),
                survey=q2(inputs.surveys.get(unit, ZERO)),
                bonus=bonus(
                    inputs.adjustments.get((unit, AdjustmentKind.BONUS), []), cap=inputs.bonus_cap
                ),
                penalty=penalty(
                    inputs.adjustments.get((unit, AdjustmentKind.PENALTY), []),
                    cap=inputs.penalty_cap,
                ),
                applicable_max=q2(
                    sum((fr.max for fr in per_field.values()), ZERO) + inputs.survey_max
                ),
                fields=[per_field[pk] for pk, _code, _name in inputs.fields],
            )
        )
    ranks = competition_ranks({r.unit: r.index for r in results})
    for r in results:
        r.rank = ranks[r.unit]
    for position in range(len(inputs.fields)):
        field_ranks = competition_ranks({r.unit: r.fields[position].index for r in results})
        for r in results:
            r.fields[position].rank = field_ranks[r.unit]
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit))
    return results


def set_results(criteria_set: CriteriaSet) -> list[UnitResult]:
    """Every scored unit's result, best first (rank, then unit code)."""
    return compute_results(load_inputs(criteria_set))


def _number(value: Decimal | None) -> int | float | None:
    """A JSON number rounded to 2 decimals: 100 stays 100, 82.91 stays 82.91."""
    if value is None:
        return None
    rounded = q2(value)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def results_as_json(criteria_set: CriteriaSet) -> dict[str, Any]:
    """The `motcua par results --format json` object (issue 14, item 4)."""
    return {
        "set": criteria_set.code,
        "units": [
            {
                "unit": r.unit,
                "evidence": _number(r.evidence),
                "survey": _number(r.survey),
                "bonus": _number(r.bonus),
                "penalty": _number(r.penalty),
                "total": _number(r.total),
                "applicable_max": _number(r.applicable_max),
                "index": _number(r.index),
                "rank": r.rank,
                "group": r.group,
                "fields": [
                    {
                        "code": f.code,
                        "points": _number(f.points),
                        "max": _number(f.max),
                        "index": _number(f.index),
                        "rank": f.rank,
                    }
                    for f in r.fields
                ],
            }
            for r in set_results(criteria_set)
        ],
    }
