"""The periodic reform report (báo cáo CCHC định kỳ): templates, reports, their timeline and
frozen snapshots, and the registers of figures motcua does not record (reports.md §2–§5)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.reports.choices import RegisterKind, ReportState
from motcua.units.models import Unit


class ReportTemplate(models.Model):
    """A report outline as data — mẫu đề cương báo cáo, versioned per year and receiving body.

    `sections` is a list of parts (`number`, `title`, `kind`, `figures`, `children`, ...; see
    `motcua.reports.reform.templates`). A version used by a report is never edited: a change
    is a new version. `year` empty = every year; `receiving_body` empty = every body.
    """

    code = models.CharField(_("mã mẫu"), max_length=40)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên mẫu"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm áp dụng"), null=True, blank=True)
    receiving_body = models.CharField(_("cơ quan nhận báo cáo"), max_length=64, blank=True)
    sections = models.JSONField(_("các phần"), default=list)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="report_template_version")
        ]
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Report(models.Model):
    """One periodic reform report of a unit for a period — báo cáo CCHC định kỳ (§5).

    The current state lives here; the timeline (`ReportEvent`) holds the history; an issued
    report's figures and text are frozen in its `ReportSnapshot`.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reform_reports")
    unit_code = models.CharField(_("mã đơn vị"), max_length=64, db_index=True)
    period_code = models.CharField(_("kỳ báo cáo"), max_length=16)
    period_name = models.CharField(_("tên kỳ"), max_length=64)
    period_family = models.CharField(max_length=16)
    period_from = models.DateField(_("số liệu từ ngày"))
    period_to = models.DateField(_("số liệu đến ngày"))
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="reports")
    receiving_body = models.CharField(_("cơ quan nhận báo cáo"), max_length=64, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    cutoff = models.DateTimeField(_("thời điểm chốt số liệu"))
    figures = models.JSONField(_("số liệu"), default=list)
    findings = models.JSONField(_("kết quả kiểm tra"), default=list)
    missing = models.JSONField(_("số liệu còn thiếu"), default=list)
    texts = models.JSONField(_("nội dung các mục"), default=dict)
    differences = models.JSONField(_("thay đổi so với báo cáo đã ban hành"), default=list)
    approval_note = models.TextField(_("ghi chú khi duyệt"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=64, blank=True)
    place = models.CharField(_("địa danh"), max_length=64, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    authority = models.CharField(_("quyền hạn, chức vụ"), max_length=255, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=255, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    reporting_task = models.ForeignKey(
        "assignments.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reform_reports",
        verbose_name=_("nhiệm vụ báo cáo định kỳ"),
    )
    regenerated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="regenerations"
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_to", "unit_code", "-id"]
        indexes = [models.Index(fields=["unit_code", "period_code", "state"])]
        constraints = [
            # One report being written per unit and data window (a regeneration starts after
            # issue); two simultaneous "generate" clicks cannot both succeed.
            models.UniqueConstraint(
                fields=["unit_code", "period_from", "period_to"],
                condition=models.Q(state__in=["draft", "editing", "in_review", "approved"]),
                name="report_one_open_per_window",
            )
        ]
        verbose_name = _("báo cáo cải cách hành chính")
        verbose_name_plural = _("báo cáo cải cách hành chính")

    def __str__(self) -> str:
        return f"{self.unit_code} {self.period_code} ({self.state})"

    @property
    def number_and_symbol(self) -> str:
        """'166/BC-VPUBND' (numbers below 10 with a leading zero, reports.md §6)."""
        if self.number is None:
            return ""
        return f"{self.number:02d}/{self.symbol}"


class ReportEvent(models.Model):
    """The report's timeline: every state change and edit, never edited (kinds `report.*`)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=48)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("sự kiện báo cáo")
        verbose_name_plural = _("sự kiện báo cáo")

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class SnapshotFrozen(Exception):
    """A snapshot is written once and never changes."""


class ReportSnapshot(models.Model):
    """What an issued report said, frozen — bản chốt: figures, text, template, hash (§5)."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="snapshot")
    data = models.JSONField()
    content_hash = models.CharField(_("mã băm SHA-256"), max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bản chốt báo cáo")
        verbose_name_plural = _("bản chốt báo cáo")

    def __str__(self) -> str:
        return f"{self.report_id} {self.content_hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise SnapshotFrozen("a report snapshot never changes")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise SnapshotFrozen("a report snapshot is never deleted")


def evidence_path(entry: RegisterEntry, filename: str) -> str:
    """Where an evidence file is stored (a server-chosen name; the original is kept apart)."""
    stamp = timezone.now()
    return f"reports/evidence/{stamp:%Y/%m}/{stamp:%d%H%M%S%f}-{filename[-80:]}"


class RegisterEntry(models.Model):
    """One figure motcua does not record, entered by hand or imported — số liệu nhập (§3).

    Each entry has its owning unit, its "as of" date (stock figures) or data window, its
    evidence (a checked file or a document reference) and the person who entered it. A later
    entry for the same key, unit and window replaces an earlier one in reports.
    """

    kind = models.CharField(_("loại"), max_length=24, choices=RegisterKind.choices)
    key = models.CharField(_("mã số liệu"), max_length=64, db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="register_entries")
    as_of = models.DateField(_("số liệu tính đến ngày"))
    period_from = models.DateField(_("kỳ số liệu từ ngày"), null=True, blank=True)
    period_to = models.DateField(_("kỳ số liệu đến ngày"), null=True, blank=True)
    value_int = models.BigIntegerField(_("giá trị (số nguyên)"), null=True, blank=True)
    value_decimal = models.DecimalField(
        _("giá trị (số thập phân)"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    decimals = models.PositiveSmallIntegerField(_("số chữ số thập phân"), null=True, blank=True)
    numerator = models.BigIntegerField(_("tử số"), null=True, blank=True)
    denominator = models.BigIntegerField(_("mẫu số"), null=True, blank=True)
    value_text = models.TextField(_("giá trị (chữ)"), blank=True)
    evidence = models.FileField(_("tệp minh chứng"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(_("tên tệp minh chứng"), max_length=255, blank=True)
    evidence_reference = models.CharField(_("văn bản minh chứng"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by_name = models.CharField(_("người nhập"), max_length=150)
    entered_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)
    source = models.CharField(max_length=16, default="web")

    class Meta:
        ordering = ["unit_id", "key", "-as_of", "-entered_at", "-id"]
        indexes = [models.Index(fields=["unit", "key", "as_of"])]
        verbose_name = _("số liệu nhập")
        verbose_name_plural = _("sổ số liệu nhập")

    def __str__(self) -> str:
        return f"{self.key} {self.as_of}: {self.value}"

    @property
    def value(self) -> Any:
        """The value as entered: integer, decimal or text."""
        if self.value_int is not None:
            return self.value_int
        if self.value_decimal is not None:
            return self.value_decimal
        return self.value_text
