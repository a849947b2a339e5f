"""The outbox of notices — hộp thư đi của thông báo gửi người dân."""

from __future__ import annotations

from django.db import models

from motcua.notices.choices import NoticeChannel, NoticeState


class Notice(models.Model):
    """One message to one person on one channel — thông báo.

    `recipient` is the masked address, kept for display and audit; `address` holds the raw
    e-mail address or phone number only while the notice still has to be sent, and is
    emptied once it is sent. `reference` names what the notice is about (a dossier code),
    so that the caller can list its notices without this app knowing what a dossier is.
    """

    channel = models.CharField("kênh", max_length=8, choices=NoticeChannel.choices)
    recipient = models.CharField("người nhận (đã che)", max_length=255)
    address = models.CharField("địa chỉ gửi", max_length=255, blank=True)
    subject = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung")
    state = models.CharField(
        "trạng thái", max_length=8, choices=NoticeState.choices, default=NoticeState.PENDING
    )
    reference = models.CharField("tham chiếu", max_length=80, db_index=True)
    topic = models.CharField("loại thông báo", max_length=64, blank=True)
    error = models.CharField("lỗi", max_length=255, blank=True)
    created_at = models.DateTimeField("tạo lúc")
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "created_at"])]
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.recipient}: {self.subject}"
