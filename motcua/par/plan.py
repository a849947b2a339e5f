"""Writes of a unit's improvement plan: the effort class of a lost leaf, and a lost leaf turned
into a task of the tasks module (issue 14 item 6; par-index.md §9; assignments.md §3).

Each function locks what it changes and records one change-log row in the same transaction;
the task itself is created by `motcua.assignments.services` (its `task.assigned` event). A
refused change raises `ParError` with a Vietnamese message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.assignments import services as tasks
from motcua.assignments.choices import DocumentType
from motcua.assignments.models import SourceDocument, Task
from motcua.audit.models import ChangeAction
from motcua.audit.services import record_change, snapshot
from motcua.lib.vntext import nfc
from motcua.par.choices import Effort
from motcua.par.models import CriteriaSet, Criterion, LeafEffort, LeafScore, LostPointTask
from motcua.par.services import ParError
from motcua.units.models import Unit


def _leaf(criteria_set: CriteriaSet, code: str) -> Criterion:
    leaf = criteria_set.criteria.filter(code=code, children__isnull=True).first()
    if leaf is None:
        raise ParError(_("Không có tiêu chí lá %(code)s trong bộ tiêu chí.") % {"code": code})
    return leaf


@transaction.atomic
def set_leaf_effort(
    *,
    criteria_set: CriteriaSet,
    unit_code: str,
    criterion_code: str,
    effort: str,
    actor: Any,
    source: str = "web",
) -> LeafEffort:
    """Set the effort class (low, medium, high) of winning a leaf back for one unit."""
    if effort not in Effort.values:
        raise ParError(_("Mức công sức phải là thấp, trung bình hoặc cao."))
    leaf = _leaf(criteria_set, criterion_code)
    row = (
        LeafEffort.objects.select_for_update()
        .filter(criteria_set=criteria_set, unit_code=unit_code, criterion=leaf)
        .first()
    )
    before = snapshot(row) if row is not None else None
    if row is None:
        row = LeafEffort.objects.create(
            criteria_set=criteria_set, unit_code=unit_code, criterion=leaf, effort=effort
        )
    elif row.effort == effort:
        return row
    else:
        row.effort, row.updated_at = effort, timezone.now()
        row.save(update_fields=["effort", "updated_at"])
    record_change(
        obj=row,
        action=ChangeAction.CREATE if before is None else ChangeAction.UPDATE,
        actor=actor,
        before=before,
        after=snapshot(row),
        source=source,
        reason=_("Mức công sức khắc phục tiêu chí %(code)s") % {"code": leaf.code},
    )
    return row


def _plan_document(*, unit: Unit, number: str, issued_on: dt.date, actor: Any) -> SourceDocument:
    """The unit's improvement plan (a KẾ HOẠCH like seed 002's 98/KH-BDT): found or recorded."""
    number = nfc(number)
    if not number:
        raise ParError(_("Hãy ghi số, ký hiệu kế hoạch khắc phục."))
    found = SourceDocument.objects.filter(number=number, issued_on=issued_on).first()
    if found is None:
        try:
            return tasks.create_document(
                number=number,
                issued_on=issued_on,
                issuer_unit=unit,
                doc_type=DocumentType.PLAN,
                summary=_("Kế hoạch khắc phục điểm Chỉ số cải cách hành chính"),
                actor=actor,
            )
        except tasks.TaskError as exc:
            raise ParError(exc.message) from None
    if found.issuer_unit_id != unit.pk:
        raise ParError(
            _("Văn bản %(n)s ngày %(d)s đã có nhưng không phải của %(u)s.")
            % {"n": number, "d": f"{issued_on:%d/%m/%Y}", "u": unit.name}
        )
    return found


def task_code(criteria_set: CriteriaSet, unit_code: str, criterion_code: str) -> str:
    """The task's code: CCHC-<set>-<unit>-<leaf>."""
    return f"CCHC-{criteria_set.code}-{unit_code}-{criterion_code}"[:64]


@transaction.atomic
def create_lost_point_task(
    *,
    criteria_set: CriteriaSet,
    unit: Unit,
    unit_code: str,
    criterion_code: str,
    due_on: dt.date,
    plan_number: str,
    plan_date: dt.date,
    actor: Any,
    source: str = "web",
) -> LostPointTask:
    """Turn a leaf on which the unit lost points into a task led by the unit, due `due_on`.

    The task (title "Khắc phục tiêu chí <code> <name>", the leaf's code in its reform-criterion
    field) hangs under the unit's improvement plan `plan_number` of `plan_date`, recorded when
    new. One task per (set, unit, leaf): a second is refused.
    """
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    leaf = _leaf(locked, criterion_code)
    if LostPointTask.objects.filter(
        criteria_set=locked, unit_code=unit_code, criterion=leaf
    ).exists():
        raise ParError(
            _("Tiêu chí %(code)s của đơn vị này đã có nhiệm vụ khắc phục.") % {"code": leaf.code}
        )
    score = LeafScore.objects.filter(criterion=leaf, unit_code=unit_code).first()
    if score is not None and score.not_applicable:
        raise ParError(_("Tiêu chí %(code)s không áp dụng với đơn vị này.") % {"code": leaf.code})
    points = score.points if score is not None else None
    if points is not None and points >= leaf.max_points:
        raise ParError(_("Tiêu chí %(code)s không bị mất điểm.") % {"code": leaf.code})
    if due_on < timezone.localdate():
        raise ParError(_("Hạn hoàn thành không được trước hôm nay."))
    if plan_date > timezone.localdate():
        raise ParError(_("Ngày ban hành kế hoạch không được sau hôm nay."))
    if due_on < plan_date:
        raise ParError(_("Hạn hoàn thành phải từ ngày ban hành kế hoạch trở đi."))
    document = _plan_document(unit=unit, number=plan_number, issued_on=plan_date, actor=actor)
    lost = leaf.max_points - (points or 0)
    try:
        task: Task = tasks.assign_task(
            document=document,
            code=task_code(locked, unit_code, leaf.code),
            title=_("Khắc phục tiêu chí %(code)s: %(name)s")
            % {"code": leaf.code, "name": leaf.name},
            lead_unit=unit,
            actor=actor,
            deadline_text=_("chậm nhất ngày %(d)s") % {"d": f"{due_on:%d/%m/%Y}"},
            due_on=due_on,
            assigned_on=timezone.localdate(),
            text=_(
                "Chỉ số cải cách hành chính %(set)s: tiêu chí %(code)s mất %(lost)s trên "
                "%(max)s điểm."
            )
            % {
                "set": locked.code,
                "code": leaf.code,
                "lost": f"{lost:f}".rstrip("0").rstrip(".").replace(".", ","),
                "max": f"{leaf.max_points:f}".rstrip("0").rstrip(".").replace(".", ","),
            },
            expected_output=_("Đạt tối đa tiêu chí %(code)s") % {"code": leaf.code},
            criterion_code=leaf.code,
        )
    except tasks.TaskError as exc:
        raise ParError(exc.message) from None
    link = LostPointTask.objects.create(
        criteria_set=locked, unit_code=unit_code, criterion=leaf, task=task
    )
    record_change(
        obj=link,
        action=ChangeAction.CREATE,
        actor=actor,
        after=snapshot(link),
        source=source,
        reason=_("Giao nhiệm vụ khắc phục tiêu chí %(code)s") % {"code": leaf.code},
    )
    return link
