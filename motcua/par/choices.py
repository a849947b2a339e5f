"""Statuses, unit types and rule types of the PAR Index (Chỉ số CCHC)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SetStatus(models.TextChoices):
    """Where a criteria set stands in the yearly process — trạng thái bộ tiêu chí."""

    DRAFT = "draft", _("Đang xây dựng")
    SELF_ASSESSMENT = "self_assessment", _("Đơn vị tự đánh giá")
    APPRAISAL = "appraisal", _("Thẩm định")
    EXPLANATION = "explanation", _("Giải trình")
    FINAL = "final", _("Thẩm định lần cuối")
    PUBLISHED = "published", _("Đã công bố")


# The allowed moves; a set is frozen (its tree no longer changes) from self-assessment on.
TRANSITIONS: dict[str, set[str]] = {
    SetStatus.DRAFT: {SetStatus.SELF_ASSESSMENT},
    SetStatus.SELF_ASSESSMENT: {SetStatus.APPRAISAL},
    SetStatus.APPRAISAL: {SetStatus.EXPLANATION, SetStatus.FINAL},
    SetStatus.EXPLANATION: {SetStatus.FINAL},
    SetStatus.FINAL: {SetStatus.PUBLISHED},
    SetStatus.PUBLISHED: set(),
}


class UnitType(models.TextChoices):
    """The kind of unit a set scores; ranks are computed within one type — loại đơn vị."""

    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class RuleType(models.TextChoices):
    """How a leaf earns its points (par-index.md §5) — cách tính điểm."""

    MANUAL = "", _("Tổ thẩm định chấm")
    TIMELINESS = "timeliness", _("Đúng hạn, chậm, không thực hiện")
    BINARY = "binary", _("Đạt hoặc không đạt")
    BANDS = "bands", _("Theo khoảng tỷ lệ")
    PROPORTIONAL = "proportional", _("Tỷ lệ thuận")
    COUNT_TIERS = "count_tiers", _("Theo số lần")
    RATIO_TO_BEST = "ratio_to_best", _("So với đơn vị cao nhất")
    NOT_ARISEN = "not_arisen", _("Không phát sinh được điểm tối đa")
    NOT_APPLICABLE = "not_applicable", _("Không áp dụng")


class AdjustmentKind(models.TextChoices):
    """A bonus or a penalty, capped per set — điểm thưởng, điểm trừ."""

    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")
