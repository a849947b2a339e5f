"""Criteria sets of the PAR Index, their trees, and the final scores of each unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.par.choices import (
    AdjustmentKind,
    Effort,
    OtherIndex,
    RoundKind,
    RuleType,
    SetStatus,
    SubmissionStatus,
    UnitType,
)

MAX_DEPTH = 4  # field → criterion → sub-criterion → a fourth level (2.1.1.1 in seed 002)


class CriteriaSet(models.Model):
    """One version of a criteria tree — bộ tiêu chí Chỉ số CCHC (year, unit type, decision)."""

    code = models.CharField(_("mã bộ tiêu chí"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    unit_type = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitType.choices)
    decision_number = models.CharField(_("số quyết định ban hành"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    survey_max = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        verbose_name=_("điểm điều tra xã hội học tối đa"),
        default=Decimal("0"),
    )
    bonus_cap = models.DecimalField(
        max_digits=7, decimal_places=2, verbose_name=_("điểm thưởng tối đa"), default=Decimal("0")
    )
    penalty_cap = models.DecimalField(
        max_digits=7, decimal_places=2, verbose_name=_("điểm trừ tối đa"), default=Decimal("0")
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=SetStatus.choices, default=SetStatus.DRAFT
    )
    frozen_at = models.DateTimeField(_("khoá bộ tiêu chí lúc"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "unit_type", "code"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")

    def __str__(self) -> str:
        return self.code

    @property
    def is_frozen(self) -> bool:
        """The tree no longer changes once self-assessment has opened."""
        return self.status != SetStatus.DRAFT


class Criterion(models.Model):
    """One node of the tree — lĩnh vực, tiêu chí, tiêu chí thành phần (keyed by dotted code)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("mã"), max_length=32)
    name = models.CharField(_("tên"), max_length=500)
    level = models.PositiveSmallIntegerField(_("cấp"))  # 1 = field (lĩnh vực)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    max_points = models.DecimalField(max_digits=7, decimal_places=2, verbose_name=_("điểm tối đa"))
    rule = models.CharField(
        _("cách tính điểm"), max_length=20, choices=RuleType.choices, blank=True, default=""
    )
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    evidence_requirement = models.TextField(_("tài liệu kiểm chứng yêu cầu"), blank=True)
    data_source = models.CharField(_("nguồn dữ liệu"), max_length=64, blank=True)

    class Meta:
        ordering = ["criteria_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="par_criterion_code"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="par_criterion_max"),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=MAX_DEPTH), name="par_criterion_level"
            ),
        ]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LeafScore(models.Model):
    """The final-round points of one leaf for one unit — điểm thẩm định của tiêu chí."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    points = models.DecimalField(
        max_digits=7, decimal_places=2, verbose_name=_("điểm"), default=Decimal("0")
    )
    not_applicable = models.BooleanField(_("không áp dụng"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "unit_code"], name="par_leaf_score_unit"),
        ]
        indexes = [models.Index(fields=["unit_code"])]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.criterion.code}: {self.points}"


class SurveyScore(models.Model):
    """Imported survey points of a unit — điểm điều tra xã hội học (never self-scored)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="surveys")
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    points = models.DecimalField(max_digits=7, decimal_places=2, verbose_name=_("điểm"))
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "unit_code"], name="par_survey_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code}: {self.points}"


class Adjustment(models.Model):
    """A bonus or penalty with its reason — điểm thưởng, điểm trừ (capped per set)."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="adjustments"
    )
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    kind = models.CharField(_("loại"), max_length=10, choices=AdjustmentKind.choices)
    points = models.DecimalField(max_digits=7, decimal_places=2, verbose_name=_("điểm"))
    reason = models.TextField(_("lý do"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["criteria_set", "unit_code", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="par_adjustment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.kind} {self.points}"


class LeafEffort(models.Model):
    """The effort an officer expects to win a leaf back for one unit — mức công sức khắc phục.

    Stored per (set, unit, criterion); a leaf without a row is `medium`.
    """

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="efforts")
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    effort = models.CharField(
        _("mức công sức"), max_length=8, choices=Effort.choices, default=Effort.MEDIUM
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "unit_code", "criterion"], name="par_leaf_effort_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.criterion.code}: {self.effort}"


class LostPointTask(models.Model):
    """The task created to win back a lost leaf — nhiệm vụ khắc phục điểm bị mất (§9)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="tasks")
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    task = models.OneToOneField(
        "assignments.Task", on_delete=models.PROTECT, related_name="par_link"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "unit_code", "criterion"], name="par_lost_point_task_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.criterion.code} → {self.task_id}"


class OtherIndexValue(models.Model):
    """A unit's yearly value of an outside index (SIPAS, PAPI, PCI …), imported — §7.

    The published value, the rank and out of how many; a source may give only the rank (seed
    003 gives Hậu Giang's national PAR Index ranks 28, 27, 20, 19 of 63 without the values).
    """

    index = models.CharField(_("chỉ số"), max_length=8, choices=OtherIndex.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    # Up to 4 decimals: DTI is published as 0.5826, PAPI as 42.4856.
    value = models.DecimalField(
        max_digits=12, decimal_places=4, verbose_name=_("giá trị"), null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("thứ hạng"), null=True, blank=True)
    out_of = models.PositiveIntegerField(_("trên tổng số"), null=True, blank=True)
    source_document = models.CharField(_("văn bản công bố"), max_length=255, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit_code", "index", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["index", "year", "unit_code"], name="par_other_index_unit_year"
            ),
        ]
        verbose_name = _("giá trị chỉ số khác")
        verbose_name_plural = _("giá trị chỉ số khác")

    def __str__(self) -> str:
        return f"{self.unit_code} {self.index} {self.year}: {self.value}"


# -- the process of §4: rounds, self-assessment, evidence, appraisal, publication --------------


class Round(models.Model):
    """One round of a set's process with its opening and deadline — vòng đánh giá.

    Open from `opens_on` through the whole `deadline` day (local time) unless closed earlier;
    once past its deadline or closed, nothing of the round changes any more.
    """

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("vòng"), max_length=20, choices=RoundKind.choices)
    number = models.PositiveSmallIntegerField(_("lần"), default=1)
    opens_on = models.DateField(_("ngày mở"))
    deadline = models.DateField(_("hạn chót"))
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["criteria_set", "opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "kind", "number"], name="par_round_kind_number"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens_on")), name="par_round_dates"
            ),
        ]
        verbose_name = _("vòng đánh giá")
        verbose_name_plural = _("vòng đánh giá")

    def __str__(self) -> str:
        return f"{self.criteria_set_id} {self.kind} {self.number}"

    def state(self, today: dt.date | None = None) -> str:
        """'waiting' (not open yet), 'open', 'late' (past its deadline) or 'closed'."""
        today = today or timezone.localdate()
        if self.closed_at is not None:
            return "closed"
        if today < self.opens_on:
            return "waiting"
        if today > self.deadline:
            return "late"
        return "open"

    @property
    def label(self) -> str:
        """ "Thẩm định lần 2"; the other kinds by their name alone when there is one."""
        name = str(RoundKind(self.kind).label)
        if self.kind == RoundKind.APPRAISAL:
            return str(_("%(name)s lần %(n)s") % {"name": name, "n": self.number})
        return name


class Submission(models.Model):
    """A unit's self-assessment of one set, its approval and its frozen evidence pack."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="submissions"
    )
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("lãnh đạo xử lý lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    evidence_pack = models.JSONField(_("bộ hồ sơ kiểm chứng"), default=dict, blank=True)
    pack_sha256 = models.CharField(_("mã băm bộ hồ sơ"), max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "unit_code"], name="par_submission_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criteria_set_id} {self.unit_code}: {self.status}"


class RoundScore(models.Model):
    """One leaf's value for one unit in one round — every score keeps all its rounds.

    Self-assessment: the unit's points (or not applicable) and its explanation; appraisal and
    final rounds: the appraisers' points and comment; explanation round: the unit's reply
    (`points` empty).
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="round_scores")
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    points = models.DecimalField(
        max_digits=7, decimal_places=2, verbose_name=_("điểm"), null=True, blank=True
    )
    not_applicable = models.BooleanField(_("không áp dụng"), default=False)
    comment = models.TextField(_("giải trình, nhận xét"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "criterion", "unit_code"], name="par_round_score_unit"
            ),
        ]
        indexes = [models.Index(fields=["unit_code", "criterion"])]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.criterion_id} r{self.round_id}: {self.points}"


class EvidenceFile(models.Model):
    """A file of evidence a unit gives for a leaf — tài liệu kiểm chứng (checked on upload)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="evidence")
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    file = models.FileField(_("tệp"), upload_to="par/evidence/%Y/")
    name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["criterion", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["unit_code", "criterion"])]

    def __str__(self) -> str:
        return self.name


class Publication(models.Model):
    """The deciding document that publishes a set's results — quyết định công bố kết quả."""

    criteria_set = models.OneToOneField(
        CriteriaSet, on_delete=models.CASCADE, related_name="publication"
    )
    number = models.CharField(_("số, ký hiệu"), max_length=64)
    issued_on = models.DateField(_("ngày ban hành"))
    file = models.FileField(_("tệp quyết định"), upload_to="par/publication/%Y/")
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.number


class ComputedOverride(models.Model):
    """An appraiser's replacement of a computed leaf's value, with its reason (§8).

    `computed_values` reads it instead of the measured figure; the points also become the
    appraiser's score of the round it was made in.
    """

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="overrides")
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    value = models.DecimalField(max_digits=7, decimal_places=2, verbose_name=_("giá trị (%)"))
    points = models.DecimalField(max_digits=7, decimal_places=2, verbose_name=_("điểm"))
    reason = models.TextField(_("lý do điều chỉnh"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "unit_code"], name="par_computed_override_unit"
            ),
        ]
        verbose_name = _("điều chỉnh giá trị tự tính")
        verbose_name_plural = _("điều chỉnh giá trị tự tính")

    def __str__(self) -> str:
        return f"{self.unit_code} {self.criterion_id}: {self.value}"
