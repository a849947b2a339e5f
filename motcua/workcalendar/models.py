"""Overlay entries of the working calendar and per-unit working hours."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.workcalendar.engine import (
    DAY_MINUTES,
    CalendarError,
    EntryStatus,
    OverrideKind,
    Periods,
    validate_hours,
)


class EntryKind(models.TextChoices):
    """What an overlay entry makes of its date."""

    DAY_OFF = OverrideKind.DAY_OFF.value, _("Ngày nghỉ")
    WORKING_DAY = OverrideKind.WORKING_DAY.value, _("Ngày làm việc (làm bù)")


class EntryStatusChoice(models.TextChoices):
    """How sure we are of an entry (markers of the domain reference)."""

    CONFIRMED = EntryStatus.CONFIRMED.value, _("Đã xác nhận")
    SECONDARY = EntryStatus.SECONDARY.value, _("Nguồn thứ cấp")
    UNCONFIRMED = EntryStatus.UNCONFIRMED.value, _("Chưa xác nhận")


class CalendarEntry(models.Model):
    """An overlay day on top of holidays.VN — ngày nghỉ hoán đổi, ngày làm bù, ngày nghỉ riêng.

    National when `unit` is empty; a unit's entry applies to that unit's clocks only.
    """

    date = models.DateField("ngày")
    kind = models.CharField("loại", max_length=16, choices=EntryKind.choices)
    name = models.CharField("tên", max_length=255)
    document = models.CharField("văn bản công bố", max_length=255, blank=True)
    status = models.CharField(
        "mức xác nhận",
        max_length=16,
        choices=EntryStatusChoice.choices,
        default=EntryStatusChoice.CONFIRMED,
    )
    note = models.TextField("ghi chú", blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="đơn vị (để trống = toàn quốc)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_entries",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        ordering = ["date", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=Q(unit__isnull=True), name="calendar_entry_national_once"
            ),
            models.UniqueConstraint(
                fields=["date", "unit"],
                condition=Q(unit__isnull=False),
                name="calendar_entry_unit_once",
            ),
        ]
        verbose_name = "ngày điều chỉnh lịch"
        verbose_name_plural = "ngày điều chỉnh lịch"

    def __str__(self) -> str:
        scope = self.unit.code if self.unit_id and self.unit else "toàn quốc"
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()} ({scope}): {self.name}"

    @property
    def unconfirmed(self) -> bool:
        """Marked [unconfirmed] in the domain reference."""
        return self.status == EntryStatusChoice.UNCONFIRMED


class WorkingHours(models.Model):
    """Working periods of a unit (or the national default) for a validity range — giờ làm việc."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="đơn vị (để trống = mặc định)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_hours",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến (hết ngày)", null=True, blank=True)
    morning_start = models.TimeField("sáng từ", default=dt.time(7, 0))
    morning_end = models.TimeField("sáng đến", default=dt.time(11, 30))
    afternoon_start = models.TimeField("chiều từ", default=dt.time(13, 30))
    afternoon_end = models.TimeField("chiều đến", default=dt.time(17, 0))
    document = models.CharField("văn bản quy định", max_length=255, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        ordering = ["unit__code", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="working_hours_valid_range",
            ),
        ]
        verbose_name = "giờ làm việc"
        verbose_name_plural = "giờ làm việc"

    def __str__(self) -> str:
        scope = self.unit.code if self.unit_id and self.unit else "mặc định"
        return (
            f"{scope}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )

    @property
    def periods(self) -> Periods:
        """The two working periods as engine input."""
        return (
            (self.morning_start, self.morning_end),
            (self.afternoon_start, self.afternoon_end),
        )

    def clean(self) -> None:
        """The periods must be ordered, disjoint and total 8 hours; the range must be ordered."""
        super().clean()
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValidationError({"valid_to": "Ngày hết hiệu lực phải sau ngày bắt đầu."})
        try:
            validate_hours(self.periods)
        except CalendarError as exc:
            raise ValidationError(
                f"Giờ làm việc phải đủ {DAY_MINUTES // 60} giờ mỗi ngày: {exc}"
            ) from exc
