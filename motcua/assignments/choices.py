"""Statuses of a task, the allowed moves, issuers, deadline kinds and reminder rungs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    """Where an obligation is (assignments.md §5); overdue / on time / late are derived."""

    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    REPORTED_DONE = "reported_done", _("Đã báo cáo hoàn thành, chờ xác nhận")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Hủy, không thực hiện")


S = TaskStatus
# The allowed moves. A returned completion report goes back to in_progress (the clock runs on).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NOT_STARTED: frozenset({S.IN_PROGRESS, S.REPORTED_DONE, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.IN_PROGRESS, S.REPORTED_DONE, S.CANCELLED}),
    S.REPORTED_DONE: frozenset({S.DONE, S.IN_PROGRESS, S.CANCELLED}),
    S.DONE: frozenset(),
    S.CANCELLED: frozenset(),
}
OPEN_STATUSES = frozenset({S.NOT_STARTED, S.IN_PROGRESS, S.REPORTED_DONE})


def can_move(current: str, target: str) -> bool:
    """Whether the transition table allows `current` → `target`."""
    return target in TRANSITIONS.get(current, frozenset())


class Authority(models.TextChoices):
    """Issuers that are not units of the province (assignments.md §1)."""

    GOVERNMENT = "CP", _("Chính phủ")
    PRIME_MINISTER = "TTg", _("Thủ tướng Chính phủ")


class DeadlineKind(models.TextChoices):
    """How a deadline is worded (assignments.md §4)."""

    BY_DATE = "by_date", _("Chậm nhất ngày")
    BEFORE_DATE = "before_date", _("Trước ngày")
    WITHIN_MONTH = "within_month", _("Trong tháng")
    RELATIVE = "relative", _("Trong một số ngày")
    RECURRING = "recurring", _("Định kỳ")
    CONTINUOUS = "continuous", _("Thường xuyên")
    ASAP = "asap", _("Khẩn trương, sớm nhất")
    NONE = "none", _("Không nêu thời hạn")


class DocumentType(models.TextChoices):
    """Type of the assigning document."""

    LETTER = "cong_van", _("Công văn")
    PLAN = "ke_hoach", _("Kế hoạch")
    TELEGRAM = "cong_dien", _("Công điện")
    NOTICE = "thong_bao", _("Thông báo kết luận")
    DECISION = "quyet_dinh", _("Quyết định")
    DIRECTIVE = "chi_thi", _("Chỉ thị")
    RESOLUTION = "nghi_quyet", _("Nghị quyết")
    PROGRAMME = "chuong_trinh", _("Chương trình công tác")
    OTHER = "khac", _("Văn bản khác")


class Audience(models.TextChoices):
    """Who a reminder rung reaches."""

    SPECIALISTS = "specialists", _("Chuyên viên đơn vị chủ trì")
    LEADERS = "leaders", _("Lãnh đạo đơn vị chủ trì")
    LEADERS_AND_OFFICE = "leaders_office", _("Lãnh đạo đơn vị chủ trì và cơ quan theo dõi")
    ISSUER_LEADERS = "issuer_leaders", _("Lãnh đạo cơ quan giao nhiệm vụ")


# The default ladder (assignments.md §8): (rung code, working days relative to the due date,
# audience). Negative = before the due date, 0 = on it, positive = after it (overdue).
DEFAULT_LADDER: tuple[tuple[str, int, str], ...] = (
    ("before_5", -5, Audience.SPECIALISTS),
    ("before_2", -2, Audience.LEADERS),
    ("at_due", 0, Audience.LEADERS_AND_OFFICE),
    ("overdue_3", 3, Audience.ISSUER_LEADERS),
)
