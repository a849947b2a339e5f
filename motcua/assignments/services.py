"""Every write on tasks: one keyword-only function per change, each a timeline event.

A service locks the task row, checks the transition table of `choices.py`, stamps the date of
the state and writes a `TaskEvent` in the same transaction; a refused move raises `TaskError`
(HTTP 409 for `TaskTransitionError`, 400 otherwise) with a Vietnamese message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.assignments.choices import TaskStatus, can_move
from motcua.assignments.deadlines import DeadlineError, read_deadline
from motcua.assignments.models import (
    DeadlineChange,
    ProgressReport,
    SourceDocument,
    Task,
    TaskEvent,
)
from motcua.lib import filecheck
from motcua.lib.lifecycle import ServiceError
from motcua.lib.vntext import nfc
from motcua.units.models import Unit

S = TaskStatus


class TaskError(ServiceError):
    """A task action that cannot be done; `field` names the bad input if there is one."""


class TaskTransitionError(TaskError):
    """The transition table forbids the move in the task's status (HTTP 409)."""

    status = 409


def _checked_file(file: Any) -> Any:
    """`file` when its name and whole content pass motcua/lib/filecheck.py (the checks of
    dossier uploads: allowlisted type, no scripts, macros or executables) and its size the
    upload limit; TaskError on the `file` field otherwise. None stays None."""
    if file is None:
        return None
    limit = int(settings.MOTCUA_MAX_UPLOAD_MB) * 1024 * 1024
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(0)
    if len(data) > limit:
        raise TaskError(
            _("tệp lớn hơn giới hạn %(mb)s MB") % {"mb": settings.MOTCUA_MAX_UPLOAD_MB},
            field="file",
        )
    if not data:
        raise TaskError(_("tệp rỗng"), field="file")
    try:
        filecheck.check_file(bytes(data), str(getattr(file, "name", "") or ""))
    except filecheck.FileRefused as refused:
        raise TaskError(refused.message, field="file") from None
    return file


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "system"
    return str(getattr(actor, "get_username", lambda: str(actor))())


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _event(
    task: Task,
    kind: str,
    *,
    actor: Any,
    at: dt.datetime | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> TaskEvent:
    return TaskEvent.objects.create(
        task=task,
        kind=kind,
        at=at or timezone.now(),
        actor=_user(actor),
        actor_name=_actor_name(actor),
        from_status=from_status,
        to_status=to_status or from_status,
        note=note,
        data=data or {},
    )


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("document", "lead_unit").get(pk=task.pk)


def _move(task: Task, target: str) -> str:
    current = task.status
    if not can_move(current, target):
        raise TaskTransitionError(
            _("Không thể chuyển nhiệm vụ từ trạng thái “%(a)s” sang “%(b)s”.")
            % {"a": S(current).label, "b": S(target).label}
        )
    return current


def _today() -> dt.date:
    return timezone.localdate()


# -- the record ---------------------------------------------------------------------------------


def create_document(
    *,
    number: str,
    issued_on: dt.date,
    issuer_unit: Unit | None = None,
    issuer_authority: str = "",
    doc_type: str = "cong_van",
    summary: str = "",
    file: Any = None,
    actor: Any,
) -> SourceDocument:
    """Record an assigning document; the issuer is a unit or `CP` / `TTg`, never both."""
    file = _checked_file(file)
    if (issuer_unit is None) == (not issuer_authority):
        raise TaskError(
            _("Văn bản phải có đúng một cơ quan giao: một đơn vị, hoặc Chính phủ, Thủ tướng."),
            field="issuer",
        )
    number = nfc(number)
    if not number:
        raise TaskError(_("Thiếu số, ký hiệu văn bản."), field="number")
    if SourceDocument.objects.filter(number=number, issued_on=issued_on).exists():
        raise TaskError(_("Văn bản %(n)s đã có.") % {"n": number}, field="number")
    doc = SourceDocument(
        number=number,
        issued_on=issued_on,
        issuer_unit=issuer_unit,
        issuer_authority=issuer_authority,
        doc_type=doc_type,
        summary=nfc(summary),
    )
    if file is not None:
        doc.file = file
    doc.save()
    return doc


def _deadline(text: str, issued: dt.date) -> tuple[str, dt.date | None]:
    from motcua.workcalendar.selectors import get_calendar

    try:
        found = read_deadline(
            text,
            issued=issued,
            calendar=get_calendar(),
            before_inclusive=getattr(settings, "MOTCUA_TASKS_BEFORE_INCLUSIVE", False),
        )
    except DeadlineError as exc:
        raise TaskError(exc.message, field="deadline_text") from None
    return str(found.kind), found.due


@transaction.atomic
def assign_task(
    *,
    document: SourceDocument,
    code: str,
    title: str,
    lead_unit: Unit,
    actor: Any,
    coordinating_units: Iterable[Unit] = (),
    deadline_text: str = "",
    due_on: dt.date | None = None,
    assigned_on: dt.date | None = None,
    position: str = "",
    text: str = "",
    expected_output: str = "",
    criterion_code: str = "",
    parent: Task | None = None,
    group_code: str = "",
    confirmer: str = "",
    at: dt.datetime | None = None,
) -> Task:
    """Create one obligation; the due date is computed from the wording unless given.

    A sub-task (with `parent`) inherits the source; a due date later than the parent's is
    allowed with a warning kept on the `task.assigned` event (assignments.md §7).
    """
    code = code.strip()
    if not code:
        raise TaskError(_("Thiếu mã nhiệm vụ."), field="code")
    if Task.objects.filter(code=code).exists():
        raise TaskError(_("Mã nhiệm vụ %(c)s đã có.") % {"c": code}, field="code")
    if not nfc(title):
        raise TaskError(_("Thiếu tên nhiệm vụ."), field="title")
    kind, computed = _deadline(deadline_text, document.issued_on)
    due = due_on or computed
    coordinating = [u for u in coordinating_units if u.pk != lead_unit.pk]
    task = Task.objects.create(
        code=code,
        document=document,
        title=nfc(title)[:500],
        text=nfc(text),
        position=nfc(position),
        lead_unit=lead_unit,
        group_code=group_code,
        expected_output=nfc(expected_output),
        criterion_code=criterion_code.strip(),
        parent=parent,
        confirmer=nfc(confirmer),
        deadline_kind=kind,
        deadline_text=nfc(deadline_text),
        original_due=due,
        due_on=due,
        assigned_on=assigned_on or document.issued_on,
    )
    if coordinating:
        task.coordinating_units.set(coordinating)
    data: dict[str, Any] = {
        "lead_unit": lead_unit.code,
        "coordinating": [u.code for u in coordinating],
        "deadline_kind": kind,
        "due": due.isoformat() if due else None,
    }
    if parent is not None and due and parent.due_on and due > parent.due_on:
        data["warning"] = "later_than_parent"
    _event(task, "task.assigned", actor=actor, at=at, from_status=task.status, data=data)
    return task


def broadcast_task(
    *,
    document: SourceDocument,
    group_code: str,
    title: str,
    lead_units: Iterable[Unit],
    actor: Any,
    **fields: Any,
) -> list[Task]:
    """One obligation per unit, grouped under `group_code` (codes `<group_code>-<unit code>`)."""
    units = list(lead_units)
    if not units:
        raise TaskError(_("Chưa chọn đơn vị nào."), field="lead_units")
    with transaction.atomic():
        return [
            assign_task(
                document=document,
                code=f"{group_code}-{unit.code}",
                title=title,
                lead_unit=unit,
                group_code=group_code,
                actor=actor,
                **fields,
            )
            for unit in units
        ]


# -- lifecycle ----------------------------------------------------------------------------------


@transaction.atomic
def report_progress(
    *,
    task: Task,
    text: str,
    actor: Any,
    unit: Unit | None = None,
    percent: int | None = None,
    evidence: str = "",
    file: Any = None,
    reported_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> ProgressReport:
    """A progress report of the lead (→ in progress), or a coordinating unit's contribution."""
    file = _checked_file(file)
    task = _locked(task)
    unit = unit or task.lead_unit
    if not nfc(text):
        raise TaskError(_("Hãy ghi nội dung báo cáo."), field="text")
    if percent is not None and not 0 <= percent <= 100:
        raise TaskError(_("Tỷ lệ hoàn thành phải từ 0 đến 100."), field="percent")
    is_lead = unit.pk == task.lead_unit_id
    if not is_lead and not task.coordinating_units.filter(pk=unit.pk).exists():
        raise TaskError(_("Đơn vị không chủ trì, không phối hợp nhiệm vụ này."), field="unit")
    before = task.status
    if is_lead:
        if task.status not in (S.NOT_STARTED, S.IN_PROGRESS):
            raise TaskTransitionError(
                _("Nhiệm vụ đang ở trạng thái “%(s)s”, không nhận báo cáo tiến độ.")
                % {"s": S(task.status).label}
            )
        _move(task, S.IN_PROGRESS)
        task.status = S.IN_PROGRESS
        task.save(update_fields=["status"])
    report = ProgressReport(
        task=task,
        unit=unit,
        reported_on=reported_on or _today(),
        author=_user(actor),
        text=nfc(text),
        percent=percent,
        evidence=nfc(evidence),
    )
    if file is not None:
        report.file = file
    report.save()
    _event(
        task,
        "task.progress_reported" if is_lead else "task.contribution_reported",
        actor=actor,
        at=at,
        from_status=before,
        to_status=task.status,
        note=report.text,
        data={"report": report.pk, "unit": unit.code, "percent": percent, "evidence": evidence},
    )
    return report


@transaction.atomic
def report_completion(
    *,
    task: Task,
    text: str,
    evidence: str,
    actor: Any,
    file: Any = None,
    reported_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> ProgressReport:
    """The lead reports the task done with evidence; the confirmer decides next."""
    file = _checked_file(file)
    task = _locked(task)
    if not nfc(evidence) and file is None:
        raise TaskError(
            _("Báo cáo hoàn thành cần minh chứng (số văn bản đã ban hành hoặc tệp)."),
            field="evidence",
        )
    if not nfc(text):
        raise TaskError(_("Hãy ghi nội dung báo cáo."), field="text")
    before = _move(task, S.REPORTED_DONE)
    day = reported_on or _today()
    if day < task.assigned_on:
        raise TaskError(_("Ngày báo cáo trước ngày giao nhiệm vụ."), field="reported_on")
    report = ProgressReport(
        task=task,
        unit=task.lead_unit,
        reported_on=day,
        author=_user(actor),
        text=nfc(text),
        percent=100,
        evidence=nfc(evidence),
        is_final=True,
    )
    if file is not None:
        report.file = file
    report.save()
    task.status = S.REPORTED_DONE
    task.reported_done_on = day
    task.save(update_fields=["status", "reported_done_on"])
    _event(
        task,
        "task.completion_reported",
        actor=actor,
        at=at,
        from_status=before,
        to_status=task.status,
        note=report.text,
        data={"report": report.pk, "reported_on": day.isoformat(), "evidence": evidence},
    )
    return report


@transaction.atomic
def confirm_completion(
    *,
    task: Task,
    actor: Any,
    confirmed_on: dt.date | None = None,
    document: str = "",
    at: dt.datetime | None = None,
) -> Task:
    """The confirmer accepts the completion report: done (on time or late is derived)."""
    task = _locked(task)
    before = _move(task, S.DONE)
    day = confirmed_on or _today()
    if task.reported_done_on and day < task.reported_done_on:
        raise TaskError(_("Ngày xác nhận trước ngày báo cáo hoàn thành."), field="confirmed_on")
    task.status = S.DONE
    task.confirmed_on = day
    task.save(update_fields=["status", "confirmed_on"])
    _event(
        task,
        "task.confirmed",
        actor=actor,
        at=at,
        from_status=before,
        to_status=task.status,
        data={"confirmed_on": day.isoformat(), "document": document},
    )
    return task


@transaction.atomic
def return_report(*, task: Task, reason: str, actor: Any, at: dt.datetime | None = None) -> Task:
    """The confirmer returns the completion report: back to in progress, the clock runs on."""
    task = _locked(task)
    if not nfc(reason):
        raise TaskError(_("Hãy ghi lý do trả lại báo cáo."), field="reason")
    before = _move(task, S.IN_PROGRESS)
    if before != S.REPORTED_DONE:
        raise TaskTransitionError(_("Nhiệm vụ chưa có báo cáo hoàn thành để trả lại."))
    returned = task.reported_done_on
    task.status = S.IN_PROGRESS
    task.reported_done_on = None
    task.save(update_fields=["status", "reported_done_on"])
    _event(
        task,
        "task.report_returned",
        actor=actor,
        at=at,
        from_status=before,
        to_status=task.status,
        note=nfc(reason),
        data={"returned_report_date": returned.isoformat() if returned else None},
    )
    return task


@transaction.atomic
def cancel_task(
    *,
    task: Task,
    document: str,
    actor: Any,
    reason: str = "",
    cancelled_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Task:
    """The issuer withdraws the task with a document; excluded from rates from then on."""
    task = _locked(task)
    if not nfc(document):
        raise TaskError(_("Hủy nhiệm vụ cần văn bản của cơ quan giao."), field="document")
    before = _move(task, S.CANCELLED)
    day = cancelled_on or _today()
    task.status = S.CANCELLED
    task.cancelled_on = day
    task.cancel_document = nfc(document)
    task.save(update_fields=["status", "cancelled_on", "cancel_document"])
    _event(
        task,
        "task.cancelled",
        actor=actor,
        at=at,
        from_status=before,
        to_status=task.status,
        note=nfc(reason),
        data={"document": task.cancel_document, "cancelled_on": day.isoformat()},
    )
    return task


@transaction.atomic
def extend_deadline(
    *,
    task: Task,
    new_due: dt.date,
    document: str,
    actor: Any,
    decided_on: dt.date | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> DeadlineChange:
    """Gia hạn: needs the issuer's decision (a document); the original due date is kept.

    The reminder ladder re-arms for the new date (its ledger is keyed on the due date).
    """
    task = _locked(task)
    if not nfc(document):
        raise TaskError(_("Gia hạn cần văn bản quyết định của cơ quan giao."), field="document")
    if task.status in (S.DONE, S.CANCELLED):
        raise TaskTransitionError(_("Nhiệm vụ đã kết thúc, không gia hạn được."))
    if task.due_on is not None and new_due <= task.due_on:
        raise TaskError(_("Hạn mới phải sau hạn hiện hành."), field="new_due")
    change = DeadlineChange.objects.create(
        task=task,
        old_due=task.due_on,
        new_due=new_due,
        decided_on=decided_on or _today(),
        document=nfc(document),
        reason=nfc(reason),
    )
    old = task.due_on
    task.due_on = new_due
    task.save(update_fields=["due_on"])
    _event(
        task,
        "task.deadline_extended",
        actor=actor,
        at=at,
        from_status=task.status,
        note=nfc(reason),
        data={
            "old_due": old.isoformat() if old else None,
            "new_due": new_due.isoformat(),
            "original_due": task.original_due.isoformat() if task.original_due else None,
            "document": change.document,
            "decided_on": change.decided_on.isoformat(),
        },
    )
    return change


@transaction.atomic
def create_occurrence(
    *, series: Task, period_end: dt.date, actor: Any, due_on: dt.date | None = None
) -> Task:
    """One occurrence of a recurring task (its data window ends on `period_end`).

    Each occurrence is its own obligation with its own due date and so its own reminder ladder.
    """
    from motcua.assignments.deadlines import occurrence_due

    found = read_deadline(series.deadline_text, issued=series.document.issued_on)
    due = due_on or occurrence_due(found, period_end)
    code = f"{series.code}-{period_end:%Y%m%d}"
    existing = Task.objects.filter(code=code).first()
    if existing is not None:
        return existing
    task = Task.objects.create(
        code=code,
        document=series.document,
        title=series.title,
        text=series.text,
        position=series.position,
        lead_unit=series.lead_unit,
        expected_output=series.expected_output,
        criterion_code=series.criterion_code,
        series=series,
        deadline_kind=series.deadline_kind,
        deadline_text=series.deadline_text,
        original_due=due,
        due_on=due,
        assigned_on=series.assigned_on,
    )
    task.coordinating_units.set(series.coordinating_units.all())
    _event(
        task,
        "task.occurrence_created",
        actor=actor,
        from_status=task.status,
        data={"series": series.code, "period_end": period_end.isoformat(), "due": due.isoformat()},
    )
    return task
