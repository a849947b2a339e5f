"""What the 766 index app stores: the portal's published figures, the mapping of portal units to
motcua units, and the ledger of early warnings sent."""

from __future__ import annotations

from django.db import models

from motcua.index766.choices import MappingMethod, PortalLevel, WarningRung


class PortalUnitMapping(models.Model):
    """A national-portal unit and the motcua unit it is — ghép đơn vị trên Cổng DVC quốc gia.

    The portal names units by its own UUID and code (`H44.03`, `H44.100`), which are neither
    GSO codes nor motcua's e-identifiers; an administrator confirms or corrects the automatic
    first mapping (by code, else by name where exactly one unit matches).
    """

    portal_unit_id = models.CharField("mã UUID trên Cổng", max_length=64, unique=True)
    portal_unit_code = models.CharField("mã đơn vị trên Cổng", max_length=32, db_index=True)
    portal_unit_name = models.CharField("tên đơn vị trên Cổng", max_length=255)
    portal_level = models.CharField(
        "cấp trên Cổng", max_length=12, choices=PortalLevel.choices, default=PortalLevel.OTHER
    )
    portal_parent_code = models.CharField("mã tỉnh trên Cổng", max_length=32, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="đơn vị trong motcua",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(
        "cách ghép", max_length=8, choices=MappingMethod.choices, default=MappingMethod.NONE
    )
    note = models.CharField("ghi chú", max_length=255, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        ordering = ["portal_parent_code", "portal_unit_code"]
        verbose_name = "ghép đơn vị trên Cổng DVC quốc gia"
        verbose_name_plural = "ghép đơn vị trên Cổng DVC quốc gia"

    def __str__(self) -> str:
        return f"{self.portal_unit_name} ({self.portal_unit_code})"


class PublishedFigure(models.Model):
    """One unit's published 766 figures for one period — số liệu Chỉ số 766 đã công bố.

    As the portal printed them, never recomputed: `ratio` and `score` are the portal's
    rounded values. `completed` is published for the province total only.
    """

    period_code = models.CharField("kỳ", max_length=16)
    first_day = models.DateField("từ ngày")
    last_day = models.DateField("đến ngày")
    group = models.CharField("nhóm chỉ số", max_length=16, default="progress")
    portal_unit_id = models.CharField("mã UUID trên Cổng", max_length=64)
    portal_unit_code = models.CharField("mã đơn vị trên Cổng", max_length=32, db_index=True)
    portal_unit_name = models.CharField("tên đơn vị trên Cổng", max_length=255)
    portal_level = models.CharField("cấp trên Cổng", max_length=12, choices=PortalLevel.choices)
    portal_parent_code = models.CharField("mã tỉnh trên Cổng", max_length=32, blank=True)
    received = models.PositiveIntegerField("hồ sơ tính chỉ số")
    on_time = models.PositiveIntegerField("trước hạn, đúng hạn, đang trong hạn")
    overdue = models.PositiveIntegerField("quá hạn", null=True, blank=True)
    completed = models.PositiveIntegerField("đã kết thúc", null=True, blank=True)
    avg_processing_days = models.DecimalField(
        "thời gian xử lý trung bình (ngày)", max_digits=10, decimal_places=2, null=True
    )
    ratio = models.DecimalField("tỷ lệ (%)", max_digits=6, decimal_places=2)
    score = models.DecimalField("điểm", max_digits=6, decimal_places=2)
    max_score = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2)
    source = models.CharField("tệp nguồn", max_length=255, blank=True)
    source_sha256 = models.CharField("mã băm tệp nguồn", max_length=64, blank=True)
    imported_at = models.DateTimeField("nhập lúc")

    class Meta:
        ordering = ["period_code", "portal_parent_code", "portal_unit_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["first_day", "last_day", "group", "portal_unit_id"],
                name="published_figure_once",
            )
        ]
        verbose_name = "số liệu Chỉ số 766 đã công bố"
        verbose_name_plural = "số liệu Chỉ số 766 đã công bố"

    def __str__(self) -> str:
        return f"{self.portal_unit_name} {self.period_code}: {self.score}/{self.max_score}"


class EarlyWarning(models.Model):
    """The once-per-rung ledger of early warnings — cảnh báo sớm hồ sơ sắp quá hạn.

    A row per (dossier, rung, due instant) that has fired; a changed due instant re-arms.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="early_warnings"
    )
    rung = models.CharField(max_length=12, choices=WarningRung.choices)
    due = models.DateTimeField()
    fired_at = models.DateTimeField()
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.JSONField(default=list, blank=True)
    points_at_risk = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["fired_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "rung", "due"], name="early_warning_once")
        ]
        verbose_name = "cảnh báo sớm"
        verbose_name_plural = "cảnh báo sớm"

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.rung} {self.due:%Y-%m-%d %H:%M}"
