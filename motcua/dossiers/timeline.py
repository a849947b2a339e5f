"""The dossier's timeline as sentences a person reads — nhật ký xử lý hồ sơ.

Timeline rows keep dotted stable codes (`dossier.received`) and state codes for machines;
the officer's page shows "Tiếp nhận hồ sơ — Nguyễn Văn A, 07/12/2026 09:35" instead. Every
kind has its words here; a kind not listed reads as a plain "Cập nhật hồ sơ", never as its code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import Delivery, FileKind, State
from motcua.dossiers.models import Dossier, DossierEvent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KIND_LABELS: dict[str, StrOrPromise] = {
    "dossier.draft_created": _("Tạo hồ sơ nháp"),
    "dossier.draft_updated": _("Sửa thông tin hồ sơ nháp"),
    "dossier.submitted": _("Nộp hồ sơ"),
    "dossier.received": _("Tiếp nhận hồ sơ"),
    "dossier.completion_requested": _("Yêu cầu hoàn thiện hồ sơ trước khi tiếp nhận"),
    "dossier.refused_at_intake": _("Từ chối tiếp nhận hồ sơ"),
    "dossier.transferred": _("Chuyển xử lý"),
    "dossier.supplement_requested": _("Yêu cầu bổ sung hồ sơ"),
    "dossier.resumed": _("Tiếp tục xử lý sau khi bổ sung"),
    "dossier.payment_requested": _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "dossier.payment_confirmed": _("Xác nhận đã thực hiện nghĩa vụ tài chính"),
    "dossier.payment_recorded": _("Ghi nhận thanh toán phí, lệ phí"),
    "dossier.apology_issued": _("Xin lỗi và hẹn lại ngày trả kết quả"),
    "dossier.due_recomputed": _("Tính lại hạn theo lịch làm việc mới"),
    "dossier.resolved": _("Giải quyết xong hồ sơ"),
    "dossier.result_returned": _("Trả kết quả"),
    "dossier.refused": _("Trả lại hồ sơ, từ chối giải quyết"),
    "dossier.withdrawn": _("Rút hồ sơ"),
    "dossier.stopped": _("Dừng giải quyết hồ sơ"),
    "dossier.rated": _("Người nộp đánh giá mức độ hài lòng"),
    "dossier.file_attached": _("Đính kèm tệp"),
    "dossier.file_removed": _("Gỡ tệp đính kèm"),
    "dossier.imported": _("Nhập hồ sơ từ hệ thống khác"),
    "dossier.import_updated": _("Cập nhật hồ sơ khi nhập lại từ hệ thống khác"),
    "dossier.assigned": _("Giao xử lý"),
    "dossier.clock_started": _("Ghi nhận sự kiện bắt đầu tính thời hạn"),
    "dossier.time_limit_ceiling_invoked": _("Áp dụng thời hạn giải quyết tối đa"),
}
OTHER = _("Cập nhật hồ sơ")
# Actor names stored for people without an account (jobs, imports, the applicant).
_NAMELESS = {"system": _("hệ thống"), "": _("hệ thống"), "demo": _("dữ liệu mẫu")}


@dataclass(frozen=True)
class TimelineEntry:
    """One timeline row in words: what happened, who did it, when, and any note."""

    text: str
    actor: str
    at: dt.datetime
    note: str = ""

    @property
    def sentence(self) -> str:
        """'Tiếp nhận hồ sơ — Nguyễn Văn A, 07/12/2026 09:35'."""
        return f"{self.text} — {self.actor}, {timezone.localtime(self.at):%d/%m/%Y %H:%M}"


def actor_label(event: DossierEvent) -> str:
    """The person's full name, else their account name, else 'hệ thống'."""
    user = event.actor
    if user is not None:
        return str(getattr(user, "full_name", "") or user.get_username())
    name = event.actor_name or ""
    return str(_NAMELESS.get(name, name))


def _state(code: str) -> str:
    return str(State(code).label) if code in State.values else ""


def _what(event: DossierEvent) -> str:
    data = event.data or {}
    label = str(KIND_LABELS.get(event.kind, OTHER))
    if event.kind == "dossier.transferred" and event.unit is not None:
        return gettext("Chuyển xử lý đến %(unit)s") % {"unit": event.unit.name}
    if event.kind == "dossier.assigned":
        if data.get("taken"):
            return gettext("Nhận xử lý hồ sơ")
        # Older demo events kept the officer's id under "assignee": never show a bare number.
        name = data.get("assignee_name") or data.get("assignee") or ""
        if not isinstance(name, str) or not name:
            return label
        if data.get("previous_name"):
            return gettext("Giao lại xử lý cho %(name)s (trước đó: %(before)s)") % {
                "name": name,
                "before": data["previous_name"],
            }
        return gettext("Giao xử lý cho %(name)s") % {"name": name}
    if event.kind == "dossier.supplement_requested" and data.get("items"):
        return f"{label}: " + "; ".join(str(i) for i in data["items"])
    if event.kind == "dossier.result_returned" and data.get("delivery") in Delivery.values:
        # "Trả kết quả: trực tuyến (bản điện tử)", never two nested parentheses.
        return f"{label}: {str(Delivery(data['delivery']).label).lower()}"
    if event.kind == "dossier.apology_issued" and data.get("new_due"):
        try:
            due = dt.datetime.fromisoformat(data["new_due"])
        except (TypeError, ValueError):
            return label
        when = f"{timezone.localtime(due):%d/%m/%Y %H:%M}"
        return gettext("Xin lỗi và hẹn lại ngày trả kết quả: %(when)s") % {"when": when}
    if event.kind == "dossier.due_recomputed" and isinstance(data.get("statutory_due"), dict):
        moved = data["statutory_due"]
        try:
            after = dt.datetime.fromisoformat(moved["after"])
            before = dt.datetime.fromisoformat(moved["before"])
        except (KeyError, TypeError, ValueError):
            return label
        return gettext("%(label)s: hạn giải quyết %(after)s (trước đó %(before)s)") % {
            "label": label,
            "after": f"{timezone.localtime(after):%d/%m/%Y %H:%M}",
            "before": f"{timezone.localtime(before):%d/%m/%Y %H:%M}",
        }
    if event.kind == "dossier.file_attached" and data.get("kind") in FileKind.values:
        return f"{label} ({str(FileKind(data['kind']).label).lower()})"
    if event.kind not in KIND_LABELS and event.to_state and event.to_state != event.from_state:
        moved = _state(event.to_state)
        if moved:
            return gettext("Chuyển sang trạng thái “%(state)s”") % {"state": moved}
    return label


def timeline_entries(dossier: Dossier) -> list[TimelineEntry]:
    """The dossier's timeline in words (uses the prefetched events, no query of its own)."""
    return [
        TimelineEntry(_what(e), actor_label(e), e.at, e.note or "") for e in dossier.events.all()
    ]


def timeline_of(events: Any) -> list[TimelineEntry]:
    """Any list of dossier events in words (for pages that read events themselves)."""
    return [TimelineEntry(_what(e), actor_label(e), e.at, e.note or "") for e in events]
