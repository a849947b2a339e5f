"""Levels, kinds and succession kinds of units."""

from django.db import models


class UnitLevel(models.TextChoices):
    """Place of a unit in the administrative hierarchy — cấp."""

    PROVINCE = "province", "Cấp tỉnh"
    DEPARTMENT = "department", "Sở, ban, ngành"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"
    SUBUNIT = "subunit", "Đơn vị trực thuộc"


class UnitKind(models.TextChoices):
    """What kind of body a unit is — loại đơn vị."""

    PEOPLES_COMMITTEE = "peoples_committee", "Ủy ban nhân dân"
    PEOPLES_COUNCIL = "peoples_council", "Hội đồng nhân dân"
    OFFICE = "office", "Văn phòng"
    DEPARTMENT = "department", "Sở, ban, ngành"
    SERVICE_CENTRE = "service_centre", "Trung tâm Phục vụ hành chính công"
    ONE_STOP = "one_stop", "Bộ phận Một cửa"
    DIVISION = "division", "Phòng, ban chuyên môn"
    VERTICAL_AGENCY = "vertical_agency", "Cơ quan ngành dọc"
    PUBLIC_SERVICE_UNIT = "public_service_unit", "Đơn vị sự nghiệp công lập"
    OTHER = "other", "Khác"


class SuccessionKind(models.TextChoices):
    """How a unit passed into its successor — hình thức sắp xếp."""

    MERGE = "merge", "Sáp nhập, nhập toàn bộ"
    SPLIT = "split", "Chia tách, nhập một phần"
    TRANSFER = "transfer", "Chuyển giao"
    UPGRADE = "upgrade", "Nâng cấp"
    RENAME = "rename", "Đổi tên, tổ chức lại"
