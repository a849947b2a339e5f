"""States of a periodic reform report, the allowed moves, slot kinds and finding levels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    """Where a periodic reform report is — trạng thái báo cáo (reports.md §5)."""

    DRAFT = "draft", _("Dự thảo")
    EDITING = "editing", _("Đang soạn")
    IN_REVIEW = "in_review", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    ISSUED = "issued", _("Đã ban hành")
    SENT = "sent", _("Đã gửi")
    SUPERSEDED = "superseded", _("Đã được thay thế")


S = ReportState
# The allowed moves. A reviewer returns a report to editing; an issued report never changes:
# a correction is a new report (regeneration) that supersedes it when issued.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.EDITING, S.IN_REVIEW}),
    S.EDITING: frozenset({S.EDITING, S.IN_REVIEW}),
    S.IN_REVIEW: frozenset({S.EDITING, S.APPROVED}),
    S.APPROVED: frozenset({S.EDITING, S.ISSUED}),
    S.ISSUED: frozenset({S.SENT, S.SUPERSEDED}),
    S.SENT: frozenset({S.SUPERSEDED}),
    S.SUPERSEDED: frozenset(),
}
# States whose figures may still be recomputed and whose text may still be written.
OPEN_STATES = frozenset({S.DRAFT, S.EDITING})
# States after issue: the snapshot is frozen.
ISSUED_STATES = frozenset({S.ISSUED, S.SENT, S.SUPERSEDED})


def can_move(current: str, target: str) -> bool:
    """Whether the transition table allows `current` → `target`."""
    return target in TRANSITIONS.get(current, frozenset())


class SlotKind(models.TextChoices):
    """How a section of the template is filled — loại nội dung của mục."""

    COMPUTED = "computed", _("Số liệu tính từ hệ thống")
    ENTERED = "entered", _("Số liệu nhập tay")
    WRITTEN = "written", _("Nội dung viết")


class RegisterKind(models.TextChoices):
    """Registers of what motcua does not record (reports.md §3, second table) — sổ số liệu."""

    STAFFING = "staffing", _("Biên chế, nhân sự")
    BUDGET = "budget", _("Kinh phí")
    LEGAL_DOCUMENTS = "legal_documents", _("Văn bản quy phạm pháp luật")
    INSPECTIONS = "inspections", _("Kiểm tra")
    PROPAGANDA = "propaganda", _("Tuyên truyền")
    CIVIL_SERVICE = "civil_service", _("Công chức, công vụ")
    INITIATIVES = "initiatives", _("Mô hình, sáng kiến và nội dung liệt kê")
    OUTSIDE_INDICES = "outside_indices", _("Kết quả các chỉ số bên ngoài")
    OVERRIDE = "override", _("Số liệu nhập thay số liệu tính")


ERROR = "error"
WARNING = "warning"
LEVELS = (ERROR, WARNING)
