"""Lost points and what-if of one unit in a set (issue 14 item 6; par-index.md §9). Pure.

Both read a `SetInputs` already loaded by `selectors.load_inputs` and never write: the lost
points of a leaf are its maximum minus its points (not-applicable leaves lost nothing: they
left the maximum); a what-if counts the whole set again with some of the unit's leaves at
their maximum and reads the unit's new total, index and rank among the set's units.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from motcua.par.choices import EFFORT_ORDER, Effort
from motcua.par.rules import ZERO, q2
from motcua.par.selectors import SetInputs, UnitResult, compute_results


@dataclass(frozen=True)
class LostLeaf:
    """A leaf on which the unit lost points — tiêu chí bị mất điểm."""

    pk: int
    code: str
    name: str
    max_points: Decimal
    points: Decimal
    effort: str

    @property
    def lost(self) -> Decimal:
        """Maximum − points."""
        return q2(self.max_points - self.points)


@dataclass(frozen=True)
class WhatIf:
    """A unit's result before and after some leaves are made full — nếu đạt tối đa."""

    unit: str
    codes: tuple[str, ...]
    before: UnitResult
    after: UnitResult
    out_of: int

    @property
    def gained(self) -> Decimal:
        """The points won back."""
        return q2(self.after.total - self.before.total)


class UnknownUnit(LookupError):
    """The unit has no score in the set."""


def _unit_result(results: list[UnitResult], unit: str) -> UnitResult:
    for r in results:
        if r.unit == unit:
            return r
    raise UnknownUnit(unit)


def lost_leaves(
    inputs: SetInputs, unit: str, efforts: Mapping[int, str] | None = None
) -> list[LostLeaf]:
    """The unit's leaves with lost points, cheapest first: effort (low, medium, high), then the
    most points, then the order of the tree. A leaf without an effort is `medium`."""
    if unit not in inputs.scores and unit not in inputs.surveys:
        raise UnknownUnit(unit)
    efforts = efforts or {}
    own = inputs.scores.get(unit, {})
    found: list[tuple[int, LostLeaf]] = []
    for position, leaf in enumerate(inputs.leaves):
        points, not_applicable = own.get(leaf.pk, (ZERO, False))
        if not_applicable or points >= leaf.max_points:
            continue
        effort = efforts.get(leaf.pk, Effort.MEDIUM)
        found.append(
            (position, LostLeaf(leaf.pk, leaf.code, leaf.name, leaf.max_points, points, effort))
        )
    found.sort(key=lambda item: (EFFORT_ORDER.get(item[1].effort, 1), -item[1].lost, item[0]))
    return [leaf for _position, leaf in found]


def what_if(inputs: SetInputs, unit: str, codes: Iterable[str]) -> WhatIf:
    """The unit's total, index and rank if the leaves `codes` scored their maximum.

    Codes that are not leaves of the set, or not-applicable leaves of the unit, change nothing.
    """
    before = _unit_result(compute_results(inputs), unit)
    wanted = {c.strip() for c in codes if c.strip()}
    changed = copy.deepcopy(inputs)
    own = changed.scores.setdefault(unit, {})
    applied: list[str] = []
    for leaf in inputs.leaves:
        if leaf.code not in wanted:
            continue
        current = own.get(leaf.pk)
        if current is not None and current[1]:
            continue
        own[leaf.pk] = (leaf.max_points, False)
        applied.append(leaf.code)
    results = compute_results(changed)
    return WhatIf(
        unit=unit,
        codes=tuple(applied),
        before=before,
        after=_unit_result(results, unit),
        out_of=len(results),
    )
