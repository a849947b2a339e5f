"""Dossier states, channels, rule versions and the transition table (dossiers.md §3–§4)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    """Dossier state — trạng thái hồ sơ."""

    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã nộp, chờ tiếp nhận")
    AWAITING_COMPLETION = "awaiting_completion", _("Chờ hoàn thiện trước tiếp nhận")
    REFUSED_AT_INTAKE = "refused_at_intake", _("Không được tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Chờ bổ sung")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    RESOLVED = "resolved", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Trả lại hồ sơ, từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    STOPPED = "stopped", _("Dừng giải quyết")


class Event(models.TextChoices):
    """Events of the lifecycle; each is one service function (`services.py`)."""

    CREATE_DRAFT = "create_draft", _("Tạo hồ sơ nháp")
    SUBMIT = "submit", _("Nộp hồ sơ")
    RECEIVE = "receive", _("Tiếp nhận")
    REQUEST_COMPLETION = "request_completion", _("Yêu cầu hoàn thiện trước tiếp nhận")
    REFUSE_AT_INTAKE = "refuse_at_intake", _("Từ chối tiếp nhận")
    TRANSFER = "transfer", _("Chuyển xử lý")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    RESUME = "resume", _("Tiếp tục xử lý sau bổ sung")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    CONFIRM_PAYMENT = "confirm_payment", _("Xác nhận đã nộp")
    ISSUE_APOLOGY = "issue_apology", _("Xin lỗi và hẹn lại ngày trả")
    RESOLVE = "resolve", pgettext_lazy("action", "Đã xử lý xong")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    REFUSE = "refuse", _("Trả lại hồ sơ")
    WITHDRAW = "withdraw", pgettext_lazy("action", "Rút hồ sơ")
    STOP = "stop", pgettext_lazy("action", "Dừng giải quyết")


S = State
OPEN_STATES = frozenset(
    {
        S.DRAFT,
        S.SUBMITTED,
        S.AWAITING_COMPLETION,
        S.RECEIVED,
        S.IN_PROGRESS,
        S.SUPPLEMENT_REQUESTED,
        S.AWAITING_PAYMENT,
    }
)
RECEIVED_OPEN_STATES = frozenset(
    {S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}
)
FINAL_STATES = frozenset({S.REFUSED_AT_INTAKE, S.RETURNED, S.REFUSED, S.WITHDRAWN, S.STOPPED})
# States in which the dossier counts as finished for statistics (the clock has stopped).
FINISHED_STATES = frozenset({S.RESOLVED, S.RETURNED, S.REFUSED, S.WITHDRAWN, S.STOPPED})

# event -> {from state: to state}; `None` as a from-state means "no dossier yet" (walk-in).
# `issue_apology` keeps the state. Anything not listed is refused (HTTP 409, exit 1).
TRANSITIONS: dict[str, dict[str | None, str]] = {
    Event.CREATE_DRAFT: {None: S.DRAFT},
    Event.SUBMIT: {S.DRAFT: S.SUBMITTED, S.AWAITING_COMPLETION: S.SUBMITTED},
    Event.RECEIVE: {None: S.RECEIVED, S.SUBMITTED: S.RECEIVED},
    Event.REQUEST_COMPLETION: {S.SUBMITTED: S.AWAITING_COMPLETION},
    Event.REFUSE_AT_INTAKE: {
        None: S.REFUSED_AT_INTAKE,
        S.SUBMITTED: S.REFUSED_AT_INTAKE,
        S.AWAITING_COMPLETION: S.REFUSED_AT_INTAKE,
    },
    Event.TRANSFER: {S.RECEIVED: S.IN_PROGRESS, S.IN_PROGRESS: S.IN_PROGRESS},
    Event.REQUEST_SUPPLEMENT: {S.IN_PROGRESS: S.SUPPLEMENT_REQUESTED},
    Event.RESUME: {S.SUPPLEMENT_REQUESTED: S.IN_PROGRESS},
    Event.REQUEST_PAYMENT: {S.IN_PROGRESS: S.AWAITING_PAYMENT},
    Event.CONFIRM_PAYMENT: {S.AWAITING_PAYMENT: S.IN_PROGRESS},
    Event.ISSUE_APOLOGY: {
        S.IN_PROGRESS: S.IN_PROGRESS,
        S.SUPPLEMENT_REQUESTED: S.SUPPLEMENT_REQUESTED,
        S.AWAITING_PAYMENT: S.AWAITING_PAYMENT,
    },
    Event.RESOLVE: {S.IN_PROGRESS: S.RESOLVED},
    Event.RETURN_RESULT: {S.RESOLVED: S.RETURNED},
    Event.REFUSE: {S.IN_PROGRESS: S.REFUSED, S.SUPPLEMENT_REQUESTED: S.REFUSED},
    Event.WITHDRAW: {state: S.WITHDRAWN for state in OPEN_STATES},
    Event.STOP: {state: S.STOPPED for state in RECEIVED_OPEN_STATES},
}


def next_state(event: str, current: str | None) -> str | None:
    """The state `event` leads to from `current`, or None when the table forbids it."""
    return TRANSITIONS.get(event, {}).get(current)


class Channel(models.TextChoices):
    """How the dossier reached the one-stop unit — kênh nộp (national code 1/2/3)."""

    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Qua dịch vụ bưu chính công ích")


class Delivery(models.TextChoices):
    """How the result reaches the applicant — hình thức trả kết quả."""

    DESK = "desk", _("Tại bộ phận một cửa")
    POSTAL = "postal", _("Qua dịch vụ bưu chính công ích")
    ELECTRONIC = "electronic", _("Trực tuyến (bản điện tử)")


class SubmittedBy(models.TextChoices):
    """Who filed the dossier."""

    APPLICANT = "applicant", _("Người nộp tự nộp")
    OFFICER_ON_BEHALF = "officer_on_behalf", _("Công chức nộp thay")
    POSTAL_AGENT_ON_BEHALF = "postal_agent_on_behalf", _("Nhân viên bưu chính nộp thay")


class RuleVersion(models.TextChoices):
    """Legal frame the dossier lives under, by the local date of valid receipt."""

    ND61_2018 = "nd61_2018", _("Nghị định 61/2018/NĐ-CP")
    ND118_2025 = "nd118_2025", _("Nghị định 118/2025/NĐ-CP")


ND118_START = dt.date(2025, 7, 1)


def rule_version_on(day: dt.date) -> str:
    """The rule version for a dossier received (or, never received, submitted) on `day`."""
    return RuleVersion.ND118_2025 if day >= ND118_START else RuleVersion.ND61_2018


class PauseKind(models.TextChoices):
    """Why the clock stopped."""

    SUPPLEMENT = "supplement", _("Chờ bổ sung")
    PAYMENT = "payment", _("Chờ thực hiện nghĩa vụ tài chính")


class FileKind(models.TextChoices):
    """What a stored file is."""

    COMPONENT = "component", _("Thành phần hồ sơ")
    RESULT = "result", _("Kết quả giải quyết")
    SUPPLEMENT = "supplement", _("Tài liệu bổ sung")


class PaymentMethod(models.TextChoices):
    """How a fee was paid — hình thức thanh toán."""

    CASH = "cash", _("Tiền mặt tại Bộ phận Một cửa")
    NATIONAL_PORTAL = "national_portal", _("Nền tảng thanh toán của Cổng Dịch vụ công quốc gia")
    PROVINCIAL_GATEWAY = "provincial_gateway", _("Cổng thanh toán của tỉnh")
    BANK_TRANSFER = "bank_transfer", _("Chuyển khoản")
    DEMO = "demo", _("Thanh toán thử (môi trường trình diễn)")


ONLINE_PAYMENT_METHODS = frozenset(
    {PaymentMethod.NATIONAL_PORTAL, PaymentMethod.PROVINCIAL_GATEWAY, PaymentMethod.DEMO}
)


class RatingCriterion(models.TextChoices):
    """The detailed criteria of a citizen's evaluation of a dossier (dossiers.md §12)."""

    CONVENIENCE = "convenience", _("Sự thuận tiện")
    TIMELINESS = "timeliness", _("Sự kịp thời")
    STAFF_ATTITUDE = "staff_attitude", _("Thái độ của cán bộ, công chức")
    TIME_VS_LEGAL_LIMIT = "time_vs_legal_limit", _("Thời gian giải quyết so với quy định")
    TIME_VS_RULES = "time_vs_rules", _("Thời gian giải quyết so với quy chế")
    CONTACTS_NEEDED = "contacts_needed", _("Số lần phải liên hệ để hoàn thiện hồ sơ")
    AGENCIES_CONTACTED = "agencies_contacted", _("Số cơ quan phải liên hệ")
    ONE_STOP_DESK = "one_stop_desk", _("Tiếp nhận và trả kết quả tại Bộ phận Một cửa")
    PUBLICITY = "publicity", _("Công khai thủ tục hành chính")
    FEEDBACK_RESPONSE = "feedback_response", _("Tiếp nhận, xử lý phản ánh, kiến nghị")
    ONLINE_SERVICE = "online_service", _("Tiến độ và chất lượng dịch vụ trực tuyến")


# The scale of a detailed criterion ([unconfirmed]; dossiers.md §12): 1 (very poor) … 5.
RATING_SCALE_MAX = 5


class IdentitySource(models.TextChoices):
    """How the applicant's identity was verified (766 §5.3 population-data indicators)."""

    VNEID = "vneid", _("Tài khoản định danh điện tử VNeID")
    POPULATION_DB = "population_db", _("Cơ sở dữ liệu quốc gia về dân cư")
