"""Source documents, tasks (one obligation per lead unit), their timeline, progress reports,
deadline changes, reminder ladders and the reminder ledger (assignments.md §1–§8)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.assignments.choices import (
    Authority,
    DeadlineKind,
    DocumentType,
    TaskStatus,
)
from motcua.lib.scoping import visible_unit_ids
from motcua.units.models import Unit


class SourceDocument(models.Model):
    """The document that hands tasks down — văn bản giao nhiệm vụ.

    The issuer is a unit of the province (its People's Committee, a department ...) or an
    outside authority (`CP` the Government, `TTg` the Prime Minister): exactly one of the two.
    """

    issuer_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issuer_authority = models.CharField(
        "cơ quan giao (trung ương)", max_length=8, choices=Authority.choices, blank=True
    )
    doc_type = models.CharField(
        "loại văn bản", max_length=16, choices=DocumentType.choices, default=DocumentType.LETTER
    )
    number = models.CharField("số, ký hiệu", max_length=64)
    issued_on = models.DateField("ngày ban hành")
    summary = models.TextField("trích yếu", blank=True)
    file = models.FileField("tệp văn bản", upload_to="assignments/%Y/", blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(issuer_unit__isnull=False) & Q(issuer_authority=""))
                | (Q(issuer_unit__isnull=True) & ~Q(issuer_authority="")),
                name="assignments_document_one_issuer",
            ),
            models.UniqueConstraint(
                fields=["number", "issued_on"], name="assignments_document_number_date"
            ),
        ]
        verbose_name = "văn bản giao nhiệm vụ"
        verbose_name_plural = "văn bản giao nhiệm vụ"

    def __str__(self) -> str:
        return f"{self.number} ngày {self.issued_on:%d/%m/%Y}"

    @property
    def issuer_code(self) -> str:
        """`CP`, `TTg` or the issuing unit's code."""
        if self.issuer_authority:
            return self.issuer_authority
        return self.issuer_unit.code if self.issuer_unit else ""

    @property
    def issuer_name(self) -> str:
        if self.issuer_authority:
            return str(Authority(self.issuer_authority).label)
        return self.issuer_unit.name if self.issuer_unit else ""


class TaskQuerySet(models.QuerySet["Task"]):
    """Queries over obligations."""

    def visible_to(self, user: object) -> TaskQuerySet:
        """Obligations whose lead, a coordinating unit or the issuing unit the user reaches."""
        ids = visible_unit_ids(user)
        if ids is None:
            return self.all()
        return self.filter(
            Q(lead_unit_id__in=ids)
            | Q(document__issuer_unit_id__in=ids)
            | Q(
                pk__in=Task.coordinating_units.through.objects.filter(unit_id__in=ids).values(
                    "task_id"
                )
            )
        )


class Task(models.Model):
    """One obligation: a task for exactly one lead unit — nhiệm vụ (assignments.md §3).

    A broadcast ("mọi sở, ngành, địa phương") is one obligation per unit sharing `group_code`.
    A recurring task is a series: each occurrence is an obligation with its own due date and
    `series` pointing at the first one. Overdue, on time and late are derived, never stored.
    """

    code = models.CharField("mã nhiệm vụ", max_length=64, unique=True)
    document = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="tasks")
    position = models.CharField("vị trí trong văn bản", max_length=128, blank=True)
    title = models.CharField("tên nhiệm vụ", max_length=500)
    text = models.TextField("nội dung giao", blank=True)
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="led_tasks", verbose_name="đơn vị chủ trì"
    )
    coordinating_units = models.ManyToManyField(
        Unit, blank=True, related_name="coordinated_tasks", verbose_name="đơn vị phối hợp"
    )
    group_code = models.CharField("nhóm giao đồng loạt", max_length=64, blank=True, db_index=True)
    expected_output = models.CharField("sản phẩm", max_length=500, blank=True)
    criterion_code = models.CharField("tiêu chí CCHC", max_length=32, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    series = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="occurrences"
    )
    confirmer = models.CharField("cơ quan xác nhận", max_length=255, blank=True)
    deadline_kind = models.CharField(
        "loại thời hạn", max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline_text = models.CharField("thời hạn (nguyên văn)", max_length=255, blank=True)
    original_due = models.DateField("hạn ban đầu", null=True, blank=True)
    due_on = models.DateField("hạn hiện hành", null=True, blank=True, db_index=True)
    status = models.CharField(
        "trạng thái", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    assigned_on = models.DateField("ngày giao", db_index=True)
    reported_done_on = models.DateField("ngày báo cáo hoàn thành", null=True, blank=True)
    confirmed_on = models.DateField("ngày xác nhận hoàn thành", null=True, blank=True)
    cancelled_on = models.DateField("ngày hủy", null=True, blank=True)
    cancel_document = models.CharField("văn bản hủy", max_length=128, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "code"]
        indexes = [models.Index(fields=["status", "due_on"])]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def is_overdue(self, on: dt.date) -> bool:
        """Due date passed on `on` and not done or cancelled (derived, never stored)."""
        if self.due_on is None or self.status in (TaskStatus.DONE, TaskStatus.CANCELLED):
            return False
        return self.due_on < on

    @property
    def completion_date(self) -> dt.date | None:
        """The date of the completion report later confirmed (else the confirmation's date)."""
        return self.reported_done_on or self.confirmed_on


class TaskEvent(models.Model):
    """The task's timeline: every report and decision, never edited (kinds `task.*`)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=48)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "sự kiện nhiệm vụ"
        verbose_name_plural = "sự kiện nhiệm vụ"

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


class ProgressReport(models.Model):
    """A progress or completion report of the lead (or a coordinating unit's contribution)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField("ngày báo cáo")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("nội dung")
    percent = models.PositiveSmallIntegerField("tỷ lệ hoàn thành (%)", null=True, blank=True)
    evidence = models.TextField("minh chứng (văn bản, số hiệu)", blank=True)
    file = models.FileField("tệp minh chứng", upload_to="assignments/reports/%Y/", blank=True)
    is_final = models.BooleanField("báo cáo hoàn thành", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = "báo cáo tiến độ"
        verbose_name_plural = "báo cáo tiến độ"

    def __str__(self) -> str:
        return f"{self.task_id} {self.reported_on}"

    @property
    def file_name(self) -> str:
        """The evidence file's name without its folder ("" when there is none)."""
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class DeadlineChange(models.Model):
    """An extension (gia hạn) decided by the issuer; both dates kept."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deadline_changes")
    old_due = models.DateField("hạn cũ", null=True, blank=True)
    new_due = models.DateField("hạn mới")
    decided_on = models.DateField("ngày quyết định")
    document = models.CharField("văn bản của cơ quan giao", max_length=128)
    reason = models.TextField("lý do", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = "gia hạn"
        verbose_name_plural = "gia hạn"

    def __str__(self) -> str:
        return f"{self.task_id} {self.old_due} → {self.new_due}"


class ReminderLadder(models.Model):
    """The reminder ladder of one issuer (`CP`, `TTg` or a unit code; empty = default).

    `rungs` is a list of {"code", "offset" (working days, negative = before), "audience"}.
    """

    issuer_code = models.CharField("cơ quan giao", max_length=64, unique=True, blank=True)
    rungs = models.JSONField("các nấc nhắc")

    class Meta:
        verbose_name = "thang nhắc hạn"
        verbose_name_plural = "thang nhắc hạn"

    def __str__(self) -> str:
        return self.issuer_code or "mặc định"


class TaskReminder(models.Model):
    """Ledger: a rung fired for an obligation and a due date — exactly once (unique)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    rung = models.CharField(max_length=32)
    due = models.DateField()
    fired_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "rung", "due"], name="assignments_rung_once")
        ]
        verbose_name = "nhắc hạn đã gửi"
        verbose_name_plural = "nhắc hạn đã gửi"

    def __str__(self) -> str:
        return f"{self.task_id} {self.rung} {self.due}"
