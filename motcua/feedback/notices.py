"""Notices to the sender of a feedback item — thông báo cho người phản ánh.

Each notice is a `feedback.notice_sent` timeline event written in the caller's transaction.
An e-mail goes out through `django.core.mail` after the commit when the sender gave an
address; SMS and Zalo are recorded as "chờ gửi" for a gateway that sends them later. The
event never holds the raw phone number or e-mail address.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from motcua.feedback.choices import Channel
from motcua.feedback.models import Feedback, FeedbackEntry
from motcua.lib.privacy import mask_personal

logger = logging.getLogger(__name__)

NOTICE_KIND = "feedback.notice_sent"
SENT = "đã gửi"
PENDING = "chờ gửi"

# What each notice says; `{code}` and the keys passed as `values` are filled in.
SUBJECTS = {
    "received": "Đã tiếp nhận phản ánh, kiến nghị {code}",
    "refused": "Phản ánh, kiến nghị {code} không được tiếp nhận xử lý",
    "forwarded": "Phản ánh, kiến nghị {code} đã được chuyển cơ quan có thẩm quyền",
    "redirected": "Hướng dẫn đối với phản ánh, kiến nghị {code}",
    "supplement_requested": "Đề nghị bổ sung, làm rõ phản ánh, kiến nghị {code}",
    "answered": "Trả lời phản ánh, kiến nghị {code}",
    "published": "Kết quả xử lý phản ánh, kiến nghị {code} đã được công khai",
    "closed": "Phản ánh, kiến nghị {code} đã kết thúc: mời đánh giá mức độ hài lòng",
}


def _mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    if not domain:
        return mask_personal(email)
    return f"{local[:1]}***@{domain}"


def notice_body(feedback: Feedback, notice: str, text: str) -> str:
    """The e-mail text of a notice: a greeting, the message and the code to follow it with."""
    greeting = f"Kính gửi {feedback.sender_name}," if feedback.sender_name else "Kính gửi Ông/Bà,"
    follow = (
        f"Mã phản ánh: {feedback.code}. Ông/Bà có thể tra cứu tình hình xử lý tại "
        f"{settings.MOTCUA_PUBLIC_URL}/phan-anh/ bằng mã này và 4 số cuối điện thoại."
    )
    if feedback.follow_code:  # an e-mail-only sender follows with the random code
        follow = (
            f"Mã phản ánh: {feedback.code}. Mã theo dõi: {feedback.follow_code}. Ông/Bà có thể "
            f"tra cứu tình hình xử lý tại {settings.MOTCUA_PUBLIC_URL}/phan-anh/ bằng mã phản "
            "ánh và mã theo dõi này (giữ kín mã theo dõi)."
        )
    return f"{greeting}\n\n{text}\n\n{follow}\n"


def send_notice(
    feedback: Feedback,
    notice: str,
    text: str,
    *,
    at: dt.datetime,
    actor: Any = None,
    data: dict[str, Any] | None = None,
) -> FeedbackEntry:
    """Record a notice to the sender and send its e-mail after the commit.

    Call inside the transaction of the change the notice reports.
    """
    if notice not in SUBJECTS:
        raise ValueError(f"unknown notice {notice!r}")
    subject = SUBJECTS[notice].format(code=feedback.code)
    channels: dict[str, dict[str, str]] = {}
    email = feedback.sender_email
    if email:
        channels["email"] = {"to": _mask_email(email), "status": SENT}
    if feedback.sender_phone:
        channels["sms"] = {"to": mask_personal(feedback.sender_phone), "status": PENDING}
        if feedback.channel == Channel.ZALO:
            channels["zalo"] = {"to": mask_personal(feedback.sender_phone), "status": PENDING}
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = FeedbackEntry.objects.create(
        feedback=feedback,
        kind=NOTICE_KIND,
        at=at,
        actor=user,
        actor_name=user.get_username() if user else str(actor or "system"),
        unit=feedback.unit,
        from_state=feedback.state,
        to_state=feedback.state,
        note=text,
        data={"notice": notice, "subject": subject, "channels": channels, **(data or {})},
    )
    if email:
        body = notice_body(feedback, notice, text)
        code = feedback.code

        def deliver() -> None:
            try:
                send_mail(subject, body, None, [email])
            except Exception:  # a mail server failure must not undo the committed change
                logger.exception("feedback %s: e-mail notice %s failed", code, notice)

        transaction.on_commit(deliver)
    return entry
