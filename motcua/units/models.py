"""The unit tree: one row per unit version, with successor links across reorganisations."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from motcua.lib.scoping import visible_unit_ids
from motcua.units.choices import SuccessionKind, UnitKind, UnitLevel


def valid_on_q(day: dt.date, prefix: str = "") -> Q:
    """Q filter for rows whose [valid_from, valid_to] (inclusive, open ends) contains `day`."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def overlaps_q(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    """Q filter for rows valid on at least one day of [first, last]."""
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": last})
    ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": first}))


class UnitQuerySet(models.QuerySet["Unit"]):
    """Queries over unit versions."""

    def valid_on(self, day: dt.date) -> UnitQuerySet:
        """Unit versions in force on `day`."""
        return self.filter(valid_on_q(day))

    def overlapping(self, first: dt.date, last: dt.date) -> UnitQuerySet:
        """Unit versions in force on at least one day of the range."""
        return self.filter(overlaps_q(first, last))

    def version_of(self, code: str, on: dt.date | None = None) -> Unit | None:
        """The version of unit `code` in force on `on`; without a date, the latest version."""
        rows = self.filter(code=code)
        if on is not None:
            return rows.filter(valid_on_q(on)).first()
        # Latest: an open-ended version, else the one that closed last.
        return rows.order_by(
            models.F("valid_to").desc(nulls_first=True),
            models.F("valid_from").desc(nulls_last=True),
        ).first()

    def visible_to(self, user: object) -> UnitQuerySet:
        """Units the user may see; the one scoping path (motcua.people.scope)."""
        ids = visible_unit_ids(user)
        if ids is None:
            return self.all()
        return self.filter(pk__in=ids)


class Unit(models.Model):
    """One version of a unit — đơn vị (sở, trung tâm, huyện, xã ...)."""

    # The e-identifier. Codes pass between versions (new Đồng Tháp keeps old Đồng Tháp's
    # level-1 code), so a code names one version only together with a date.
    code = models.CharField("mã định danh", max_length=64, db_index=True)
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=32, blank=True)
    level = models.CharField("cấp", max_length=16, choices=UnitLevel.choices)
    kind = models.CharField("loại", max_length=24, choices=UnitKind.choices, default=UnitKind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến (hết ngày)", null=True, blank=True)
    admin_code = models.CharField("mã đơn vị hành chính (TCTK)", max_length=16, blank=True)
    has_one_stop = models.BooleanField("có bộ phận một cửa", default=False)
    is_vertical_agency = models.BooleanField("cơ quan ngành dọc", default=False)
    is_par_scored = models.BooleanField("chấm điểm Chỉ số CCHC", default=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["parent", "valid_from", "valid_to"]),
            models.Index(fields=["admin_code"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_from__isnull=True), name="unit_code_first"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="unit_valid_range",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def validity_label(self) -> str:
        """Validity in words, e.g. 'đến 30/06/2025'."""
        if self.valid_from and self.valid_to:
            return f"{self.valid_from:%d/%m/%Y} – {self.valid_to:%d/%m/%Y}"
        if self.valid_from:
            return gettext("từ %(d)s") % {"d": f"{self.valid_from:%d/%m/%Y}"}
        if self.valid_to:
            return gettext("đến %(d)s") % {"d": f"{self.valid_to:%d/%m/%Y}"}
        return ""

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether this version is in force on `day`."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def name_on(self, day: dt.date) -> str:
        """The name this unit carried on `day` (plain renames keep the row)."""
        for entry in self.names.all():  # ordered newest first
            if entry.valid_from <= day:
                return entry.name
        return self.name


class UnitName(models.Model):
    """A dated name of a unit, for plain renames — lịch sử tên gọi."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=255)
    valid_from = models.DateField()
    legal_basis = models.CharField("căn cứ", max_length=255, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unit_name_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"


class UnitSuccession(models.Model):
    """A link from a closed unit to the unit that took it over — đơn vị kế thừa."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessions")
    effective_date = models.DateField("ngày hiệu lực")
    kind = models.CharField(
        max_length=16, choices=SuccessionKind.choices, default=SuccessionKind.MERGE
    )
    is_principal = models.BooleanField(
        "kế thừa chính",
        default=True,
        help_text=(
            "Khi đơn vị cũ có nhiều đơn vị kế thừa, đơn vị chính nhận dữ liệu không rõ địa bàn."
        ),
    )
    # The move as the official table words it ("Nhập một phần diện tích, toàn bộ dân số"),
    # when it says more than `kind`; empty otherwise.
    kind_text = models.CharField("hình thức theo văn bản", max_length=255, blank=True)
    legal_basis = models.CharField("căn cứ pháp lý", max_length=255, blank=True)
    note = models.TextField("ghi chú (phần được chuyển)", blank=True)

    class Meta:
        ordering = ["effective_date", "predecessor__code"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_once"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
        ]
        verbose_name = "quan hệ kế thừa"
        verbose_name_plural = "quan hệ kế thừa"

    def __str__(self) -> str:
        return f"{self.predecessor.code} → {self.successor.code} ({self.effective_date:%d/%m/%Y})"

    @property
    def kind_label(self) -> str:
        """The move in words: the official wording if recorded, else the kind's label."""
        return self.kind_text or str(self.get_kind_display())
