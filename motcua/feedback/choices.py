"""Feedback states, channels, classification labels and the transition table (feedback.md §2–§5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """PAKN with the full lifecycle, or a hotline question answered on the spot (§9)."""

    PAKN = "pakn", _("Phản ánh, kiến nghị")
    QUESTION = "question", _("Hỏi đáp trả lời ngay")


class FeedbackState(models.TextChoices):
    """Feedback state — trạng thái phản ánh, kiến nghị."""

    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Không tiếp nhận xử lý")
    FORWARDED = "forwarded", _("Đã chuyển cơ quan có thẩm quyền")
    REDIRECTED = "redirected", _("Hướng dẫn sang thủ tục khiếu nại, tố cáo")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Chờ bổ sung, làm rõ")
    SUPPLEMENTED = "supplemented", _("Đã bổ sung, làm rõ")
    PROCESSING = "processing", _("Đang xử lý")
    ANSWER_APPROVED = "answer_approved", _("Đã xử lý, chờ công khai")
    PUBLISHED = "published", _("Đã công khai")
    ANSWERED = "answered", _("Đã trả lời ngay")
    CLOSED = "closed", _("Đã đóng")


class FeedbackEvent(models.TextChoices):
    """Events of the lifecycle; each is one service function (`services.py`)."""

    RECEIVE = "receive", _("Tiếp nhận")
    REFUSE = "refuse", _("Từ chối tiếp nhận xử lý")
    FORWARD = "forward", _("Chuyển cơ quan có thẩm quyền")
    REDIRECT = "redirect", _("Hướng dẫn sang khiếu nại, tố cáo")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung, làm rõ")
    SUPPLEMENT = "supplement", _("Ghi nhận bổ sung, làm rõ")
    START_PROCESSING = "start_processing", _("Bắt đầu xử lý")
    APPROVE_ANSWER = "approve_answer", _("Phê duyệt trả lời")
    PUBLISH = "publish", _("Công khai kết quả")
    QUICK_ANSWER = "quick_answer", _("Trả lời ngay")
    CLOSE = "close", pgettext_lazy("action", "Đóng")


F = FeedbackState
E = FeedbackEvent

# event -> {from state: to state}; anything not listed is refused (HTTP 409, exit 1).
# Events that keep the state (classify, assign, draft an answer, vote, remind) are not here.
TRANSITIONS: dict[str, dict[str, str]] = {
    E.REFUSE: {F.RECEIVED: F.REFUSED, F.SUPPLEMENT_REQUESTED: F.REFUSED, F.SUPPLEMENTED: F.REFUSED},
    E.FORWARD: {F.RECEIVED: F.FORWARDED, F.SUPPLEMENTED: F.FORWARDED, F.PROCESSING: F.FORWARDED},
    E.REDIRECT: {
        F.RECEIVED: F.REDIRECTED,
        F.SUPPLEMENTED: F.REDIRECTED,
        F.PROCESSING: F.REDIRECTED,
    },
    E.REQUEST_SUPPLEMENT: {
        F.RECEIVED: F.SUPPLEMENT_REQUESTED,
        F.PROCESSING: F.SUPPLEMENT_REQUESTED,
    },
    E.SUPPLEMENT: {F.SUPPLEMENT_REQUESTED: F.SUPPLEMENTED},
    E.START_PROCESSING: {F.RECEIVED: F.PROCESSING, F.SUPPLEMENTED: F.PROCESSING},
    E.APPROVE_ANSWER: {F.PROCESSING: F.ANSWER_APPROVED},
    E.PUBLISH: {F.ANSWER_APPROVED: F.PUBLISHED},
    E.QUICK_ANSWER: {F.RECEIVED: F.ANSWERED},
    E.CLOSE: {F.ANSWER_APPROVED: F.CLOSED, F.PUBLISHED: F.CLOSED, F.ANSWERED: F.CLOSED},
}

# Open = still in the unit's hands (counted as open in time / overdue at a period's end).
OPEN_STATES = frozenset({F.RECEIVED, F.SUPPLEMENT_REQUESTED, F.SUPPLEMENTED, F.PROCESSING})
# Handled in the 766 sense: reached "awaiting publication" or later (resolved_at is set).
RESOLVED_STATES = frozenset({F.ANSWER_APPROVED, F.PUBLISHED, F.CLOSED})
# Left the unit without an answer of its own.
DISPOSED_STATES = frozenset({F.REFUSED, F.FORWARDED, F.REDIRECTED})
FINAL_STATES = frozenset({F.REFUSED, F.FORWARDED, F.REDIRECTED, F.CLOSED})


def next_state(event: str, current: str) -> str | None:
    """The state `event` leads to from `current`, or None when the table forbids it."""
    return TRANSITIONS.get(event, {}).get(current)


class Channel(models.TextChoices):
    """Where the item arrived — kênh tiếp nhận (§2)."""

    PORTAL = "portal", _("Cổng dịch vụ công tỉnh")
    NATIONAL_PORTAL = "national_portal", _("Cổng Dịch vụ công quốc gia")
    HOTLINE = "hotline", _("Tổng đài 1022")
    EMAIL = "email", _("Thư điện tử")
    ZALO = "zalo", _("Zalo")
    APP = "app", _("Ứng dụng di động")
    CHATBOT = "chatbot", _("Chatbot")
    COUNTER = "counter", _("Trực tiếp tại Bộ phận Một cửa")
    LETTER = "letter", _("Thư, đơn")
    TRANSFER = "transfer", _("Cơ quan khác chuyển đến")


class Subject(models.TextChoices):
    """What the item is about (§3.1)."""

    REGULATION = "regulation", _("Về quy định hành chính, thủ tục hành chính")
    CONDUCT = "conduct", _("Về hành vi hành chính")
    OTHER = "other", _("Khác")


class Competence(models.TextChoices):
    """Who must act (§3.2)."""

    IN_SCOPE = "in_scope", _("Thuộc thẩm quyền")
    OTHER_BODY = "other_body", _("Không thuộc thẩm quyền")
    NOT_PAKN = "not_pakn", _("Không phải phản ánh, kiến nghị (khiếu nại, tố cáo)")


class Vote(models.IntegerChoices):
    """A like or dislike on a published answer (§7)."""

    LIKE = 1, _("Thích")
    DISLIKE = -1, _("Không thích")


class ReminderRung(models.TextChoices):
    """A rung of the reminder ladder; each fires once per (item, rung, due instant)."""

    HANDLER_BEFORE = "handler_before", _("Nhắc người xử lý trước hạn")
    LEADER_AT_DUE = "leader_at_due", _("Nhắc lãnh đạo đơn vị khi đến hạn")
    LEADER_OVERDUE = "leader_overdue", _("Báo lãnh đạo khi quá hạn")
