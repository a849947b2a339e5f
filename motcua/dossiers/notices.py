"""Notices to the applicant at every step that concerns them — thông báo cho người nộp hồ sơ.

`notify_applicant(event)` is called once, by the services' `_event` helper, inside the
transaction of the change. It maps the event's kind to a Vietnamese text (full diacritics,
the dossier code, what to do next) and queues one notice per channel the applicant can be
reached on: e-mail when an address was given, SMS and Zalo to the phone number. The
notices app sends them after the commit (`transaction.on_commit`), so nothing leaves when the
change rolls back. Events that do not concern the applicant send nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from motcua.dossiers.choices import Delivery, FileKind
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notices.choices import NoticeChannel
from motcua.notices.services import queue_notice
from motcua.workcalendar.engine import to_local


def _when(value: dt.datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return f"{to_local(value):%H:%M ngày %d/%m/%Y}"


def _lookup() -> str:
    return gettext(
        "Tra cứu tình trạng hồ sơ tại %(url)s/tra-cuu/ bằng mã hồ sơ và 4 số cuối điện thoại "
        "hoặc số định danh."
    ) % {"url": settings.MOTCUA_PUBLIC_URL}


def _account() -> str:
    return gettext("Đăng nhập tài khoản tại %(url)s/tai-khoan/ để tải kết quả về.") % {
        "url": settings.MOTCUA_PUBLIC_URL
    }


def _items(event: DossierEvent) -> str:
    return "; ".join(str(i) for i in (event.data or {}).get("items", []))


def _received(d: Dossier, e: DossierEvent) -> tuple[str, str]:
    due = _when(d.promised_due or d.statutory_due)
    text = gettext("Hồ sơ %(code)s (%(procedure)s) đã được %(unit)s tiếp nhận lúc %(at)s.") % {
        "code": d.code,
        "procedure": d.procedure.name,
        "unit": d.receiving_unit.name,
        "at": _when(e.at),
    }
    if due:
        text += " " + gettext("Ngày hẹn trả kết quả: %(due)s.") % {"due": due}
    return gettext("Đã tiếp nhận hồ sơ %(code)s") % {"code": d.code}, f"{text} {_lookup()}"


def _completion(d: Dossier, e: DossierEvent) -> tuple[str, str]:
    text = gettext(
        "Hồ sơ %(code)s cần được hoàn thiện trước khi tiếp nhận. Giấy tờ cần hoàn thiện: "
        "%(items)s. Lý do: %(reason)s. Vui lòng nộp lại tại %(unit)s hoặc trên cổng dịch vụ công."
    ) % {"code": d.code, "items": _items(e), "reason": e.note, "unit": d.receiving_unit.name}
    return gettext("Đề nghị hoàn thiện hồ sơ %(code)s") % {"code": d.code}, text


def _intake_refused(d: Dossier, e: DossierEvent) -> tuple[str, str]:
    text = gettext(
        "Hồ sơ %(code)s không được tiếp nhận. Lý do: %(reason)s. Vui lòng liên hệ %(unit)s để "
        "được hướng dẫn."
    ) % {"code": d.code, "reason": e.note, "unit": d.receiving_unit.name}
    return gettext("Hồ sơ %(code)s không được tiếp nhận") % {"code": d.code}, text


def _supplement(d: Dossier, e: DossierEvent) -> tuple[str, str]:
    text = gettext(
        "Hồ sơ %(code)s cần bổ sung: %(items)s. Lý do: %(reason)s. Thời gian chờ bổ sung không "
        "tính vào thời hạn giải quyết. Vui lòng nộp bổ sung tại %(unit)s."
    ) % {"code": d.code, "items": _items(e), "reason": e.note, "unit": d.receiving_unit.name}
    return gettext("Đề nghị bổ sung hồ sơ %(code)s") % {"code": d.code}, f"{text} {_lookup()}"


def _apology(d: Dossier, e: DossierEvent) -> tuple[str, str]:
    text = gettext(
        "Cơ quan giải quyết xin lỗi ông/bà vì hồ sơ %(code)s chưa trả kết quả đúng hẹn. "
        "Lý do: %(reason)s. Ngày hẹn trả kết quả mới: %(due)s."
    ) % {"code": d.code, "reason": e.note, "due": _when((e.data or {}).get("new_due"))}
    return gettext("Xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s") % {"code": d.code}, text


def _due_moved(d: Dossier, e: DossierEvent) -> tuple[str, str]:
    moved = (e.data or {}).get("promised_due") or {}
    text = gettext(
        "Ngày hẹn trả kết quả hồ sơ %(code)s được điều chỉnh theo lịch làm việc mới: %(due)s "
        "(trước đó %(before)s). Lý do: %(reason)s."
    ) % {
        "code": d.code,
        "due": _when(moved.get("after")),
        "before": _when(moved.get("before")),
        "reason": e.note,
    }
    return gettext("Điều chỉnh ngày hẹn trả kết quả hồ sơ %(code)s") % {"code": d.code}, text


def _resolved(d: Dossier, e: DossierEvent) -> tuple[str, str]:
    text = gettext("Kết quả giải quyết hồ sơ %(code)s đã sẵn sàng tại %(unit)s.") % {
        "code": d.code,
        "unit": d.receiving_unit.name,
    }
    if d.applicant_user_id and d.files.filter(kind=FileKind.RESULT).exists():
        text += " " + _account()
    else:
        text += " " + gettext(
            "Khi đến nhận, vui lòng mang theo giấy tiếp nhận và hẹn trả kết quả cùng giấy tờ "
            "tùy thân."
        )
    return gettext("Kết quả hồ sơ %(code)s đã sẵn sàng") % {"code": d.code}, text


def _returned(d: Dossier, e: DossierEvent) -> tuple[str, str]:
    data = e.data or {}
    delivery = data.get("delivery")
    if delivery == Delivery.ELECTRONIC:
        text = gettext("Kết quả giải quyết hồ sơ %(code)s đã được trả bản điện tử.") % {
            "code": d.code
        }
        text += " " + _account()
    elif delivery == Delivery.POSTAL:
        text = gettext(
            "Kết quả giải quyết hồ sơ %(code)s đã được gửi qua dịch vụ bưu chính công ích, "
            "số hiệu bưu gửi %(consignment)s."
        ) % {"code": d.code, "consignment": data.get("postal_consignment", "")}
    else:
        text = gettext("Kết quả giải quyết hồ sơ %(code)s đã được trả tại %(unit)s.") % {
            "code": d.code,
            "unit": d.receiving_unit.name,
        }
    text += " " + gettext(
        "Mời ông/bà đánh giá mức độ hài lòng tại %(url)s/danh-gia/ bằng mã hồ sơ."
    ) % {"url": settings.MOTCUA_PUBLIC_URL}
    return gettext("Đã trả kết quả hồ sơ %(code)s") % {"code": d.code}, text


def _refused(d: Dossier, e: DossierEvent) -> tuple[str, str]:
    text = gettext(
        "Hồ sơ %(code)s được trả lại, không giải quyết. Lý do và căn cứ: %(reason)s. Vui lòng "
        "liên hệ %(unit)s để nhận văn bản trả lại hồ sơ và được hướng dẫn."
    ) % {"code": d.code, "reason": e.note, "unit": d.receiving_unit.name}
    return gettext("Hồ sơ %(code)s được trả lại") % {"code": d.code}, text


def _stopped(d: Dossier, e: DossierEvent) -> tuple[str, str]:
    text = gettext(
        "Hồ sơ %(code)s đã dừng giải quyết. Căn cứ: %(reason)s. Vui lòng liên hệ %(unit)s để "
        "nhận thông báo dừng giải quyết và được hướng dẫn."
    ) % {"code": d.code, "reason": e.note, "unit": d.receiving_unit.name}
    return gettext("Hồ sơ %(code)s đã dừng giải quyết") % {"code": d.code}, text


# event kind -> the (subject, text) of its notice
TEXTS: dict[str, Callable[[Dossier, DossierEvent], tuple[str, str]]] = {
    "dossier.received": _received,
    "dossier.completion_requested": _completion,
    "dossier.refused_at_intake": _intake_refused,
    "dossier.supplement_requested": _supplement,
    "dossier.apology_issued": _apology,
    "dossier.due_recomputed": _due_moved,
    "dossier.resolved": _resolved,
    "dossier.result_returned": _returned,
    "dossier.refused": _refused,
    "dossier.stopped": _stopped,
}


def _email_body(dossier: Dossier, text: str) -> str:
    greeting = gettext("Kính gửi %(name)s,") % {"name": dossier.applicant_name or gettext("Ông/Bà")}
    closing = gettext("Đây là thư tự động của hệ thống một cửa; vui lòng không trả lời thư này.")
    return f"{greeting}\n\n{text}\n\n{closing}\n"


def notify_applicant(event: DossierEvent) -> int:
    """Queue the notices of `event` to the applicant (after commit); how many were queued."""
    build = TEXTS.get(event.kind)
    dossier = event.dossier
    if build is None or not dossier.code:
        return 0
    with translation.override("vi"):
        subject, text = build(dossier, event)
        body = _email_body(dossier, text)
    queued = [
        queue_notice(
            channel=NoticeChannel.EMAIL,
            address=dossier.applicant_email,
            subject=subject,
            body=body,
            reference=dossier.code,
            topic=event.kind,
        )
    ]
    for channel in (NoticeChannel.SMS, NoticeChannel.ZALO):
        queued.append(
            queue_notice(
                channel=channel,
                address=dossier.applicant_phone,
                subject=subject,
                body=text,
                reference=dossier.code,
                topic=event.kind,
            )
        )
    return sum(1 for n in queued if n is not None)
