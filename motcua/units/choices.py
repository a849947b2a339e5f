"""Levels, kinds and succession kinds of units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    """Place of a unit in the administrative hierarchy — cấp."""

    PROVINCE = "province", _("Cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    SUBUNIT = "subunit", _("Đơn vị trực thuộc")


class UnitKind(models.TextChoices):
    """What kind of body a unit is — loại đơn vị."""

    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    OFFICE = "office", _("Văn phòng")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
    ONE_STOP = "one_stop", _("Bộ phận Một cửa")
    DIVISION = "division", _("Phòng, ban chuyên môn")
    VERTICAL_AGENCY = "vertical_agency", _("Cơ quan ngành dọc")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Đơn vị sự nghiệp công lập")
    OTHER = "other", _("Khác")


class SuccessionKind(models.TextChoices):
    """How a unit passed into its successor — hình thức sắp xếp."""

    MERGE = "merge", _("Sáp nhập, nhập toàn bộ")
    SPLIT = "split", _("Chia tách, nhập một phần")
    TRANSFER = "transfer", _("Chuyển giao")
    UPGRADE = "upgrade", _("Nâng cấp")
    RENAME = "rename", _("Đổi tên, tổ chức lại")
