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


class Effort(models.TextChoices):
    """How hard a lost leaf is to win back, set by an officer — mức công sức khắc phục."""

    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")


# Cheapest first when lost points are listed.
EFFORT_ORDER: dict[str, int] = {Effort.LOW: 0, Effort.MEDIUM: 1, Effort.HIGH: 2}


class OtherIndex(models.TextChoices):
    """Outside indices a unit watches beside the PAR Index (par-index.md §7) — chỉ số khác."""

    PAR = "PAR", _("Chỉ số CCHC — Chỉ số cải cách hành chính (kết quả công bố)")
    SIPAS = "SIPAS", _("SIPAS — Chỉ số hài lòng về sự phục vụ hành chính")
    PAPI = "PAPI", _("PAPI — Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh")
    PCI = "PCI", _("PCI — Chỉ số năng lực cạnh tranh cấp tỉnh")
    PGI = "PGI", _("PGI — Chỉ số xanh cấp tỉnh")
    DTI = "DTI", _("DTI — Chỉ số chuyển đổi số")
    DDCI = "DDCI", _("DDCI — Chỉ số năng lực cạnh tranh cấp sở, ngành và địa phương")


class RoundKind(models.TextChoices):
    """The rounds of the yearly process (par-index.md §4) — các vòng đánh giá."""

    SELF_ASSESSMENT = "self_assessment", _("Tự đánh giá")
    APPROVAL = "approval", _("Lãnh đạo đơn vị phê duyệt")
    APPRAISAL = "appraisal", _("Thẩm định")
    EXPLANATION = "explanation", _("Giải trình")
    FINAL = "final", _("Chấm điểm cuối cùng")


# The order of the rounds on a page and in the process.
ROUND_ORDER: dict[str, int] = {
    RoundKind.SELF_ASSESSMENT: 0,
    RoundKind.APPROVAL: 1,
    RoundKind.APPRAISAL: 2,
    RoundKind.EXPLANATION: 3,
    RoundKind.FINAL: 4,
}


class SubmissionStatus(models.TextChoices):
    """Where a unit's self-assessment stands — trạng thái hồ sơ tự đánh giá."""

    DRAFT = "draft", _("Đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã gửi, chờ lãnh đạo phê duyệt")
    RETURNED = "returned", _("Lãnh đạo trả lại để hoàn thiện")
    APPROVED = "approved", _("Lãnh đạo đã phê duyệt")
