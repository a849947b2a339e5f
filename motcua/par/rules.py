"""Pure scoring rules of the PAR Index (par-index.md §4, §5): no database, only Decimals.

One function per rule type of a leaf, the capped bonus and penalty, the index, the groups and
the ranks. Ratios are percentages (0–100), as the criteria are worded ("> 90% of the plan").
Every result is rounded half-up to 2 decimals by `q2`, the one rounding rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

ZERO = Decimal("0")
HUNDRED = Decimal("100")
_CENT = Decimal("0.01")

K = TypeVar("K")


class RuleError(ValueError):
    """A rule's parameters or input cannot be scored."""


def q2(value: Decimal | int | str) -> Decimal:
    """Round half-up to 2 decimals: the one rounding rule of points and indices."""
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


def dec(value: Any, what: str = "value") -> Decimal:
    """A finite Decimal from a number or a numeric string (never from a float's binary tail)."""
    if isinstance(value, bool):
        raise RuleError(f"{what}: expected a number, found {value!r}")
    try:
        result = Decimal(str(value).strip()) if isinstance(value, int | float | str) else None
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise RuleError(f"{what}: expected a number, found {value!r}")
    return result


# --- one function per rule type -------------------------------------------------------------

TIMELINESS_OUTCOMES = ("on_time", "late", "missing")


def timeliness(outcome: str, *, max_points: Decimal, late_fraction: Decimal) -> Decimal:
    """On time = full, late = a fraction of the maximum (often half), missing = 0."""
    if outcome == "on_time":
        return q2(max_points)
    if outcome == "late":
        return q2(max_points * late_fraction)
    if outcome == "missing":
        return ZERO
    raise RuleError(f"timeliness: outcome must be one of {', '.join(TIMELINESS_OUTCOMES)}")


def binary(met: bool, *, max_points: Decimal) -> Decimal:
    """Met = full points, otherwise 0."""
    return q2(max_points) if met else ZERO


def _in_band(value: Decimal, band: Mapping[str, Any]) -> bool:
    """Whether `value` lies inside a band's explicit bounds (gt/ge below, lt/le above)."""
    if "gt" in band and not value > dec(band["gt"]):
        return False
    if "ge" in band and not value >= dec(band["ge"]):
        return False
    if "lt" in band and not value < dec(band["lt"]):
        return False
    return not ("le" in band and not value <= dec(band["le"]))


def bands(ratio: Decimal, *, bands: Sequence[Mapping[str, Any]]) -> Decimal:
    """The points of the first band whose bounds contain the ratio; none = 0.

    A band is {"ge"|"gt": lower, "le"|"lt": upper, "points": p}, each bound optional and
    explicit about inclusion: "70–< 80%" is {"ge": 70, "lt": 80}.
    """
    for band in bands:
        if _in_band(ratio, band):
            return q2(dec(band["points"]))
    return ZERO


def proportional(ratio: Decimal, *, max_points: Decimal, threshold: Decimal = HUNDRED) -> Decimal:
    """ratio ÷ threshold × max, full from the threshold on: min(1, ratio ÷ T) × max."""
    if threshold <= 0:
        raise RuleError("proportional: the threshold must be above 0")
    share = min(Decimal(1), max(ZERO, ratio) / threshold)
    return q2(share * max_points)


def count_tiers(count: int, *, tiers: Sequence[Mapping[str, Any]]) -> Decimal:
    """The points of the highest tier the count reaches ({"at_least": n, "points": p}); none = 0."""
    best: tuple[int, Decimal] | None = None
    for tier in tiers:
        at_least = int(dec(tier["at_least"]))
        if count >= at_least and (best is None or at_least > best[0]):
            best = (at_least, dec(tier["points"]))
    return q2(best[1]) if best else ZERO


def ratio_to_best(value: Decimal, *, best: Decimal, max_points: Decimal) -> Decimal:
    """value ÷ the best value among peers × max; when the best is 0 nobody earns a point."""
    if value < 0 or best < 0:
        raise RuleError("ratio to the best unit: values cannot be negative")
    if value > best:
        raise RuleError("ratio to the best unit: a value cannot exceed the best one")
    if best == 0:
        return ZERO
    return q2(value / best * max_points)


def not_arisen(arisen: bool, points: Decimal, *, max_points: Decimal) -> Decimal:
    """Full points when the case did not arise in the year; otherwise the points earned."""
    if not arisen:
        return q2(max_points)
    if points < 0 or points > max_points:
        raise RuleError("not arisen: the points earned must lie between 0 and the maximum")
    return q2(points)


def not_applicable(*, max_points: Decimal) -> tuple[Decimal, Decimal]:
    """(points, applicable maximum) of a leaf that does not apply: both 0, it leaves the max."""
    return ZERO, ZERO


def bonus(points: Iterable[Decimal], *, cap: Decimal) -> Decimal:
    """The bonus points of a unit: their sum, never above the cap."""
    return q2(min(sum(points, ZERO), cap))


def penalty(points: Iterable[Decimal], *, cap: Decimal) -> Decimal:
    """The penalty points of a unit (a positive number deducted): their sum, capped."""
    return q2(min(sum(points, ZERO), cap))


# --- parameters of a rule, as stored on a criterion -----------------------------------------

_PARAM_KEYS: dict[str, set[str]] = {
    "": set(),
    "timeliness": {"late_fraction"},
    "binary": set(),
    "bands": {"bands"},
    "proportional": {"threshold"},
    "count_tiers": {"tiers"},
    "ratio_to_best": set(),
    "not_arisen": set(),
    "not_applicable": set(),
}


def check_params(rule: str, params: Mapping[str, Any], *, max_points: Decimal) -> list[str]:
    """What is wrong with a rule's parameters for a leaf of `max_points` (empty = fine)."""
    if rule not in _PARAM_KEYS:
        return [f"unknown rule {rule!r} (expected one of {', '.join(sorted(_PARAM_KEYS)[1:])})"]
    unknown = sorted(set(params) - _PARAM_KEYS[rule])
    if unknown:
        return [f"rule {rule or 'manual'}: unknown parameter(s) {', '.join(unknown)}"]
    problems: list[str] = []
    try:
        if rule == "timeliness":
            fraction = dec(params.get("late_fraction", "0.5"), "late_fraction")
            if not ZERO <= fraction <= 1:
                problems.append("late_fraction must lie between 0 and 1")
        elif rule == "proportional" and "threshold" in params:
            threshold = dec(params["threshold"], "threshold")
            if not ZERO < threshold <= HUNDRED:
                problems.append("threshold must be above 0 and at most 100 (%)")
        elif rule in {"bands", "count_tiers"}:
            key = "bands" if rule == "bands" else "tiers"
            items = params.get(key)
            if not isinstance(items, list) or not items:
                return [f"rule {rule} needs a non-empty list {key!r}"]
            allowed = (
                {"gt", "ge", "lt", "le", "points"} if rule == "bands" else {"at_least", "points"}
            )
            for n, item in enumerate(items, start=1):
                if not isinstance(item, dict) or "points" not in item:
                    problems.append(f"{key}[{n}] needs points")
                    continue
                extra = sorted(set(item) - allowed)
                if extra:
                    problems.append(f"{key}[{n}]: unknown key(s) {', '.join(extra)}")
                if rule == "bands" and (
                    ("gt" in item and "ge" in item) or ("lt" in item and "le" in item)
                ):
                    problems.append(f"{key}[{n}]: one lower and one upper bound at most")
                if rule == "count_tiers" and "at_least" not in item:
                    problems.append(f"{key}[{n}] needs at_least")
                for bound in sorted(set(item) & {"gt", "ge", "lt", "le", "at_least"}):
                    dec(item[bound], f"{key}[{n}].{bound}")
                points = dec(item["points"], f"{key}[{n}].points")
                if not ZERO <= points <= max_points:
                    problems.append(f"{key}[{n}]: points {points} outside 0..{max_points}")
    except RuleError as exc:
        problems.append(str(exc))
    return problems


def score_leaf(rule: str, params: Mapping[str, Any], *, max_points: Decimal, value: Any) -> Decimal:
    """The points of a leaf by its rule and parameters for one input value.

    The value is what the rule reads: an outcome (timeliness), a truth (binary), a ratio in %
    (bands, proportional), a count (count tiers), (value, best) (ratio to the best unit),
    (arisen, points) (not arisen).
    """
    if rule == "timeliness":
        return timeliness(
            value, max_points=max_points, late_fraction=dec(params.get("late_fraction", "0.5"))
        )
    if rule == "binary":
        return binary(bool(value), max_points=max_points)
    if rule == "bands":
        return bands(dec(value), bands=params["bands"])
    if rule == "proportional":
        return proportional(
            dec(value), max_points=max_points, threshold=dec(params.get("threshold", HUNDRED))
        )
    if rule == "count_tiers":
        return count_tiers(int(value), tiers=params["tiers"])
    if rule == "ratio_to_best":
        unit_value, best = value
        return ratio_to_best(dec(unit_value), best=dec(best), max_points=max_points)
    if rule == "not_arisen":
        arisen, points = value
        return not_arisen(bool(arisen), dec(points), max_points=max_points)
    if rule == "not_applicable":
        return not_applicable(max_points=max_points)[0]
    raise RuleError(f"rule {rule or 'manual'}: the appraisers enter the points")


# --- the tree -------------------------------------------------------------------------------


def tree_problems(nodes: Mapping[str, tuple[str, Decimal]]) -> list[tuple[str, str]]:
    """(code, reason) for every parent whose maximum differs from the sum of its children's.

    `nodes` maps a code to (parent code or "", maximum).
    """
    sums: dict[str, Decimal] = {}
    for _code, (parent, maximum) in nodes.items():
        if parent:
            sums[parent] = sums.get(parent, ZERO) + maximum
    problems = []
    for code, total in sums.items():
        if code in nodes and nodes[code][1] != total:
            problems.append(
                (code, f"maximum {nodes[code][1]} differs from the sum of its children {total}")
            )
    return problems


# --- the counting -----------------------------------------------------------------------------


def index_percent(points: Decimal, applicable_max: Decimal) -> Decimal | None:
    """points ÷ applicable maximum × 100, rounded; None when nothing applies."""
    if applicable_max <= 0:
        return None
    return q2(points / applicable_max * HUNDRED)


def group_of(index: Decimal | None) -> str | None:
    """A ≥ 90%, B 80 to < 90%, C 70 to < 80% (national bands); below 70% no group."""
    if index is None:
        return None
    index = q2(index)
    if index >= 90:
        return "A"
    if index >= 80:
        return "B"
    if index >= 70:
        return "C"
    return None


def competition_ranks(values: Mapping[K, Decimal | None]) -> dict[K, int | None]:
    """Descending ranks; values equal after rounding to 2 decimals share one, the next skips."""
    rounded = {key: q2(v) for key, v in values.items() if v is not None}
    ordered = sorted(rounded.values(), reverse=True)
    first_at: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_at.setdefault(value, position)
    return {key: (first_at[rounded[key]] if key in rounded else None) for key in values}
