"""Choices of the 766 index app: how a portal unit was mapped, the early-warning rungs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MappingMethod(models.TextChoices):
    """How a portal unit got its motcua unit — cách ghép đơn vị."""

    CODE = "code", _("Tự động theo mã")
    NAME = "name", _("Tự động theo tên")
    MANUAL = "manual", _("Quản trị viên chọn")
    NONE = "none", _("Chưa ghép")


class PortalLevel(models.TextChoices):
    """The level the portal gives a unit in its 766 tables — cấp trên Cổng DVC quốc gia."""

    ROOT = "ROOT", _("Tỉnh (tổng)")
    PROVINCE = "PROVINCE", _("Cấp tỉnh")
    COMMUNE = "COMMUNE", _("Cấp xã")
    OTHER = "OTHER", _("Khác")


class WarningRung(models.TextChoices):
    """A rung of the early-warning ladder; each fires once per (dossier, rung, due instant)."""

    HANDLER = "handler", _("Báo người xử lý: hồ sơ sắp quá hạn")
    LEADER = "leader", _("Báo lãnh đạo đơn vị: hồ sơ sắp quá hạn")
