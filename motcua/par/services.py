"""Every write of the PAR Index: sets and their trees, status moves, scores, survey, adjustments.

Each function locks the set row, checks what the set's status allows, writes, and records one
change-log row in the same transaction. A refused move raises `ParError` (Vietnamese message).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.models import ChangeAction
from motcua.audit.services import record_change, snapshot
from motcua.par.choices import TRANSITIONS, AdjustmentKind, SetStatus
from motcua.par.models import MAX_DEPTH, Adjustment, CriteriaSet, Criterion, LeafScore, SurveyScore
from motcua.par.rules import check_params, tree_problems


class ParError(Exception):
    """A change the set's state or data does not allow; the message is for the user."""


@dataclass(frozen=True)
class NodeSpec:
    """One node of a criteria tree as read from a file or a form."""

    code: str
    parent_code: str
    name: str
    max_points: Decimal
    rule: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    evidence_requirement: str = ""
    data_source: str = ""


def _set_for_update(code: str) -> CriteriaSet | None:
    return CriteriaSet.objects.select_for_update().filter(code=code).first()


def tree_errors(nodes: list[NodeSpec]) -> list[tuple[str, str]]:
    """(code, reason) for every node that breaks the tree: parents, depth, maxima, rules."""
    by_code = {n.code: n for n in nodes}
    errors: list[tuple[str, str]] = []
    for node in nodes:
        if node.parent_code and node.parent_code not in by_code:
            errors.append((node.code, f"parent {node.parent_code!r} is not in the set"))
            continue
        depth, seen, cursor = 1, {node.code}, node
        while cursor.parent_code and cursor.parent_code in by_code:
            cursor = by_code[cursor.parent_code]
            if cursor.code in seen:
                errors.append((node.code, "the parents form a loop"))
                break
            seen.add(cursor.code)
            depth += 1
        if depth > MAX_DEPTH:
            errors.append((node.code, f"deeper than {MAX_DEPTH} levels"))
    parents = {n.parent_code for n in nodes if n.parent_code}
    for node in nodes:
        if node.code in parents and (node.rule or node.params):
            errors.append(
                (node.code, "only a leaf takes a rule; a parent is the sum of its children")
            )
        elif node.code not in parents:
            errors.extend(
                (node.code, p)
                for p in check_params(node.rule, node.params, max_points=node.max_points)
            )
    errors.extend(tree_problems({n.code: (n.parent_code, n.max_points) for n in nodes}))
    if not any(not n.parent_code for n in nodes):
        errors.append(("", "the set has no field (a row without a parent)"))
    return errors


@transaction.atomic
def save_criteria_set(
    *,
    code: str,
    year: int,
    unit_type: str,
    survey_max: Decimal,
    nodes: list[NodeSpec],
    actor: Any,
    decision_number: str | None = None,
    decision_date: dt.date | None = None,
    source: str = "cli",
) -> tuple[CriteriaSet, bool]:
    """Create or replace a draft set and its tree; (the set, whether anything changed).

    Nodes keep their order of `nodes`. A frozen set (self-assessment opened) is refused. The
    issuing decision's number and date are kept when not given (None).
    """
    problems = tree_errors(nodes)
    if problems:
        raise ParError("; ".join(f"{c}: {r}" if c else r for c, r in problems))
    criteria_set = _set_for_update(code)
    values: dict[str, Any] = {"year": year, "unit_type": unit_type, "survey_max": survey_max}
    if decision_number is not None:
        values["decision_number"] = decision_number
    if decision_date is not None:
        values["decision_date"] = decision_date
    if criteria_set is None:
        criteria_set = CriteriaSet.objects.create(code=code, **values)
        before = None
        changed = True
    else:
        if criteria_set.is_frozen:
            raise ParError(
                _("Bộ tiêu chí %(code)s đã khoá từ khi mở tự đánh giá; hãy tạo phiên bản mới.")
                % {"code": code}
            )
        before = snapshot(criteria_set)
        changed = False
        for name, value in values.items():
            if getattr(criteria_set, name) != value:
                setattr(criteria_set, name, value)
                changed = True
        if changed:
            criteria_set.save()
    existing = {c.code: c for c in criteria_set.criteria.all()}
    wanted = {n.code for n in nodes}
    saved: dict[str, Criterion] = {}
    # Parents come before children, so a parent row exists when its children are saved.
    by_depth = sorted(enumerate(nodes, start=1), key=lambda item: _depth(item[1], nodes))
    for order, node in by_depth:
        parent = saved[node.parent_code] if node.parent_code else None
        node_values = {
            "parent": parent,
            "name": node.name,
            "level": _depth(node, nodes),
            "order": order,
            "max_points": node.max_points,
            "rule": node.rule,
            "params": dict(node.params),
            "evidence_requirement": node.evidence_requirement,
            "data_source": node.data_source,
        }
        row = existing.get(node.code)
        if row is None:
            row = Criterion.objects.create(criteria_set=criteria_set, code=node.code, **node_values)
            changed = True
        else:
            diff = {k: v for k, v in node_values.items() if getattr(row, k) != v}
            if diff:
                for k, v in diff.items():
                    setattr(row, k, v)
                row.save()
                changed = True
        saved[node.code] = row
    # Removed nodes go last: a kept node may have hung under one of them.
    stale = [c.pk for code_, c in existing.items() if code_ not in wanted]
    if stale:
        Criterion.objects.filter(pk__in=stale).delete()
        changed = True
    if changed:
        record_change(
            obj=criteria_set,
            action=ChangeAction.CREATE if before is None else ChangeAction.UPDATE,
            actor=actor,
            before=before,
            after={**snapshot(criteria_set), "criteria": len(nodes)},
            source=source,
            reason=_("Nhập bộ tiêu chí"),
        )
    return criteria_set, changed


def _depth(node: NodeSpec, nodes: list[NodeSpec]) -> int:
    by_code = {n.code: n for n in nodes}
    depth = 1
    while node.parent_code:
        node = by_code[node.parent_code]
        depth += 1
    return depth


@transaction.atomic
def change_set_status(
    *, criteria_set: CriteriaSet, to: str, actor: Any, source: str = "web"
) -> CriteriaSet:
    """Move a set along the process (TRANSITIONS); opening self-assessment freezes the tree."""
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if to not in TRANSITIONS[locked.status]:
        raise ParError(
            _("Không thể chuyển bộ tiêu chí từ “%(a)s” sang “%(b)s”.")
            % {"a": SetStatus(locked.status).label, "b": SetStatus(to).label}
        )
    before = snapshot(locked)
    locked.status = to
    if to == SetStatus.SELF_ASSESSMENT:
        locked.frozen_at = timezone.now()
    locked.save(update_fields=["status", "frozen_at"])
    record_change(
        obj=locked,
        action=ChangeAction.UPDATE,
        actor=actor,
        before=before,
        after=snapshot(locked),
        source=source,
    )
    return locked


def _open_for_scores(criteria_set: CriteriaSet) -> CriteriaSet:
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if locked.status == SetStatus.PUBLISHED:
        raise ParError(
            _("Kết quả bộ tiêu chí %(code)s đã công bố; không thể thay đổi điểm.")
            % {"code": locked.code}
        )
    return locked


@transaction.atomic
def replace_unit_scores(
    *,
    criteria_set: CriteriaSet,
    scores: Mapping[str, Mapping[str, tuple[Decimal, bool]]],
    actor: Any,
    source: str = "import",
) -> int:
    """Set the final-round leaf scores of each unit named; its other leaves are cleared (0).

    `scores` maps unit code → leaf code → (points, not applicable). Returns the rows changed.
    """
    locked = _open_for_scores(criteria_set)
    leaves = {c.code: c for c in locked.criteria.filter(children__isnull=True)}
    unknown = sorted({code for rows in scores.values() for code in rows} - set(leaves))
    if unknown:
        raise ParError(
            _("Không phải tiêu chí lá của bộ: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    changed = 0
    now = timezone.now()
    for unit_code, rows in scores.items():
        current = {
            s.criterion.code: s
            for s in LeafScore.objects.filter(
                criterion__criteria_set=locked, unit_code=unit_code
            ).select_related("criterion")
        }
        for code, score in current.items():
            if code not in rows:
                score.delete()
                changed += 1
        for code, (points, na) in rows.items():
            known = current.get(code)
            if known is None:
                LeafScore.objects.create(
                    criterion=leaves[code],
                    unit_code=unit_code,
                    points=points,
                    not_applicable=na,
                    updated_at=now,
                )
                changed += 1
            elif known.points != points or known.not_applicable != na:
                known.points, known.not_applicable, known.updated_at = points, na, now
                known.save(update_fields=["points", "not_applicable", "updated_at"])
                changed += 1
    if changed:
        record_change(
            obj=locked,
            action=ChangeAction.UPDATE,
            actor=actor,
            source=source,
            after={"scores_of_units": sorted(scores), "rows_changed": changed},
            reason=_("Nhập điểm thẩm định"),
        )
    return changed


@transaction.atomic
def set_survey_points(
    *, criteria_set: CriteriaSet, points: Mapping[str, Decimal], actor: Any, source: str = "import"
) -> int:
    """Set the survey points of each unit named (0 … the set's survey maximum); rows changed."""
    locked = _open_for_scores(criteria_set)
    over = sorted(u for u, p in points.items() if not 0 <= p <= locked.survey_max)
    if over:
        raise ParError(
            _("Điểm điều tra phải từ 0 đến %(max)s: %(units)s")
            % {"max": locked.survey_max, "units": ", ".join(over)}
        )
    current = {s.unit_code: s for s in locked.surveys.all()}
    changed = 0
    now = timezone.now()
    for unit_code, value in points.items():
        row = current.get(unit_code)
        if row is None:
            SurveyScore.objects.create(
                criteria_set=locked, unit_code=unit_code, points=value, updated_at=now
            )
            changed += 1
        elif row.points != value:
            row.points, row.updated_at = value, now
            row.save(update_fields=["points", "updated_at"])
            changed += 1
    if changed:
        record_change(
            obj=locked,
            action=ChangeAction.UPDATE,
            actor=actor,
            source=source,
            after={"survey_of_units": sorted(points), "rows_changed": changed},
            reason=_("Nhập điểm điều tra xã hội học"),
        )
    return changed


@transaction.atomic
def add_adjustment(
    *,
    criteria_set: CriteriaSet,
    unit_code: str,
    kind: str,
    points: Decimal,
    reason: str,
    actor: Any,
    source: str = "web",
) -> Adjustment:
    """Record a bonus or a penalty with its reason; the set's cap applies when counting."""
    locked = _open_for_scores(criteria_set)
    if kind not in AdjustmentKind.values:
        raise ParError(_("Loại điểm không hợp lệ."))
    if points <= 0:
        raise ParError(_("Điểm thưởng hoặc điểm trừ phải lớn hơn 0."))
    if not reason.strip():
        raise ParError(_("Cần ghi lý do cộng hoặc trừ điểm."))
    row = Adjustment.objects.create(
        criteria_set=locked, unit_code=unit_code, kind=kind, points=points, reason=reason.strip()
    )
    record_change(
        obj=locked,
        action=ChangeAction.UPDATE,
        actor=actor,
        source=source,
        after=snapshot(row),
        reason=reason.strip(),
    )
    return row
