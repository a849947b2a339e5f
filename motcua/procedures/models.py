"""Procedures, their components, internal process steps and frozen versions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation

from motcua.lib.scoping import can
from motcua.lib.vntext import fold
from motcua.procedures.choices import (
    MINUTES_PER,
    WORKING_TIME_UNITS,
    OnlineLevel,
    ProcedureLevel,
    TimeLimitUnit,
)
from motcua.units.models import Unit


class FieldQuerySet(models.QuerySet["Field"]):
    """Queries over fields."""

    def visible_to(self, user: object) -> FieldQuerySet:
        """Fields are public catalogue information: every user sees all of them."""
        return self.all()


class Field(models.Model):
    """A field of procedures — lĩnh vực (Hộ tịch, Chứng thực, Đất đai ...)."""

    code = models.SlugField("mã lĩnh vực", max_length=64, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=255, unique=True)

    objects = FieldQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    """Queries over the catalogue."""

    def published(self) -> ProcedureQuerySet:
        """Procedures published to applicants."""
        return self.filter(published=True, is_reference=False)

    def visible_to(self, user: object) -> ProcedureQuerySet:
        """Published procedures for everybody; drafts too for those who configure the catalogue."""
        return self.all() if can(user, "configure") else self.published()

    def search(self, text: str) -> ProcedureQuerySet:
        """Procedures whose code, name or other published text (`search_body`) contain every
        word of `text`, in any order, ignoring case and diacritics (ranking:
        `motcua.procedures.search`)."""
        condition = Q()
        for word in fold(text).split():
            condition &= Q(search_text__contains=word) | Q(search_body__contains=word)
        return self.filter(condition)


class Procedure(models.Model):
    """An administrative procedure — thủ tục hành chính (TTHC)."""

    code = models.CharField("mã thủ tục", max_length=32, unique=True)
    name = models.TextField("tên thủ tục")
    field = models.ForeignKey(
        Field, verbose_name="lĩnh vực", null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.CharField("cấp thực hiện", max_length=16, choices=ProcedureLevel.choices)
    competent_units = models.ManyToManyField(
        Unit, verbose_name="cơ quan có thẩm quyền", blank=True, related_name="procedures"
    )
    time_limit_amount = models.PositiveIntegerField("thời hạn giải quyết", null=True, blank=True)
    time_limit_unit = models.CharField(
        "đơn vị thời hạn",
        max_length=16,
        choices=TimeLimitUnit.choices,
        default=TimeLimitUnit.WORKING_DAYS,
    )
    same_day_cutoff = models.TimeField("giờ chốt nhận trong ngày", null=True, blank=True)
    fee = models.PositiveBigIntegerField("phí, lệ phí (đồng)", default=0)
    online_level = models.CharField(
        "mức độ trực tuyến", max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    result_is_paper = models.BooleanField("kết quả là giấy tờ bản giấy", default=True)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    publication_decision = models.CharField("quyết định công bố", max_length=255, blank=True)
    supplement_wait_days = models.PositiveIntegerField(
        "thời gian chờ bổ sung tối đa (ngày)", null=True, blank=True
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    published = models.BooleanField("đã công khai", default=False)
    # The national catalogue as published (motcua.procedures.catalogue_import).
    levels = models.JSONField("các cấp thực hiện", default=list, blank=True)
    executing_bodies = models.JSONField("cơ quan thực hiện (như công bố)", default=list, blank=True)
    issuing_body = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    applicants = models.TextField("đối tượng thực hiện", blank=True)
    is_reference = models.BooleanField(
        "thủ tục tham khảo (cơ quan ngoài tỉnh, không tiếp nhận)", default=False
    )
    time_limit_confirmed = models.BooleanField("thời hạn đã được xác nhận", default=True)
    time_limit_as_written = models.TextField("thời hạn giải quyết (nguyên văn)", blank=True)
    fee_as_written = models.TextField("phí, lệ phí (nguyên văn)", blank=True)
    channels_as_written = models.JSONField(
        "cách thức thực hiện (nguyên văn)", default=list, blank=True
    )
    result_documents = models.JSONField("kết quả thực hiện", default=list, blank=True)
    legal_documents = models.JSONField("văn bản căn cứ pháp lý", default=list, blank=True)
    publication_decision_date = models.DateField("ngày quyết định công bố", null=True, blank=True)
    # The date the procedure was made public in the national TTHC database (766 §5.1).
    public_record_date = models.DateField(
        "ngày công khai trên CSDL quốc gia", null=True, blank=True
    )
    # Structured readings of the wording above (docs/procedures.md): limits per channel,
    # stages, extension ceiling, start event; fee kinds, tiers, reductions.
    time_limit_spec = models.JSONField("thời hạn giải quyết (cấu trúc)", default=dict, blank=True)
    fee_spec = models.JSONField("phí, lệ phí (cấu trúc)", default=dict, blank=True)
    portal_uuid = models.CharField(
        "mã trên Cổng Dịch vụ công quốc gia (UUID)", max_length=36, blank=True, db_index=True
    )
    version = models.PositiveIntegerField("phiên bản", default=1)
    updated_at = models.DateTimeField(auto_now=True)
    # Folded "code name" (motcua.lib.vntext.fold) so that search ignores diacritics on any
    # database; kept in step by save() and by bulk loaders through search_text_for().
    search_text = models.TextField("chuỗi tìm kiếm", blank=True, default="", editable=False)
    # Folded other published text (field, executing and issuing bodies, applicants, result
    # documents: search_body_for()); a match here ranks after a match in the name. On
    # PostgreSQL both columns carry a GIN trigram index (migration 0005_search_body).
    search_body = models.TextField(
        "chuỗi tìm kiếm (nội dung khác)", blank=True, default="", editable=False
    )

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "field"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_unit="same_day") | Q(time_limit_amount__gt=0),
                name="procedure_time_limit_positive",
            )
        ]
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        """Save, refreshing the folded search text."""
        self.search_text = search_text_for(self.code, self.name)
        self.search_body = search_body_for(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "search_body"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def budget_minutes(self) -> int | None:
        """The time limit in working minutes, when it is counted in working time."""
        if self.time_limit_unit in WORKING_TIME_UNITS and self.time_limit_amount:
            return self.time_limit_amount * MINUTES_PER[TimeLimitUnit(self.time_limit_unit)]
        return None

    @property
    def time_limit_text(self) -> str:
        """The time limit in words: '15 ngày làm việc', 'trong ngày (nhận sau 15:00: ngày sau)'."""
        if self.time_limit_unit == TimeLimitUnit.SAME_DAY:
            if self.same_day_cutoff:
                return (
                    f"trong ngày (nhận sau {self.same_day_cutoff:%H:%M} thì trả trong ngày "
                    "làm việc tiếp theo)"
                )
            return "trong ngày"
        if not self.time_limit_amount:
            return self.time_limit_as_written or "chưa xác định"
        # Stored with each version and printed on papers: Vietnamese whatever the UI language.
        with translation.override("vi"):
            return f"{self.time_limit_amount} {TimeLimitUnit(self.time_limit_unit).label}"


def search_text_for(code: str, name: str) -> str:
    """The folded text a procedure is searched by."""
    return fold(f"{code} {name}")


def search_body_for(procedure: Procedure) -> str:
    """The folded other published text a procedure is also found by (after name matches):
    its field, executing bodies, issuing body, applicants and result documents, " | " between
    them. Not its components or legal basis: they name other papers and laws ("Giấy khai
    sinh", "Luật Hộ tịch") and would bury the procedures that are about the words typed."""
    field = procedure.field if procedure.field_id else None
    field_name = field.name if field is not None else ""
    parts = [
        field_name,
        *(procedure.executing_bodies or []),
        procedure.issuing_body,
        procedure.applicants,
        *(str(r.get("name", "")) for r in procedure.result_documents or [] if isinstance(r, dict)),
    ]
    return fold(" | ".join(p for p in parts if p and p.strip()))


class Component(models.Model):
    """A required component of a procedure's dossier — thành phần hồ sơ."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveIntegerField("thứ tự", default=1)
    name = models.TextField("tên giấy tờ")
    originals = models.PositiveIntegerField("bản chính", default=0)
    certified_copies = models.PositiveIntegerField("bản sao chứng thực", default=0)
    copies = models.PositiveIntegerField("bản sao", default=0)
    required = models.BooleanField("bắt buộc", default=True)
    form_name = models.CharField("mẫu đơn, tờ khai", max_length=255, blank=True)
    condition = models.TextField("trường hợp áp dụng", blank=True)

    class Meta:
        ordering = ["procedure", "order", "id"]
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    """A step of the internal process — bước của quy trình nội bộ."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField("thứ tự")
    name = models.CharField("tên bước", max_length=255)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị thực hiện", null=True, blank=True, on_delete=models.PROTECT
    )
    role = models.CharField("vai trò thực hiện", max_length=24, blank=True)
    budget_minutes = models.PositiveIntegerField("thời gian của bước (phút làm việc)")

    class Meta:
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="step_order_once")
        ]
        verbose_name = "bước xử lý"
        verbose_name_plural = "quy trình nội bộ"

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ProcedureVersion(models.Model):
    """A frozen copy of a procedure as published — what a dossier was received under."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    created_at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField("nội dung")

    class Meta:
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_once")
        ]
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"
