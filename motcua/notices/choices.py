"""Channels and states of a notice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeChannel(models.TextChoices):
    """How a notice reaches the person — kênh gửi thông báo."""

    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")


class NoticeState(models.TextChoices):
    """Where a notice is in the outbox — trạng thái gửi."""

    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")
