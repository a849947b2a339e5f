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
    KEPT = "kept", _("Giữ nguyên")
    RETYPE = "retype", _("Đổi loại hình")


# The wording of the official old → new tables (Cục Thống kê, 2025: "Nhập toàn bộ", "Nhập một
# phần", "Nhập một phần diện tích, toàn bộ dân số", "Giữ nguyên", "Đổi tên", "Đổi loại hình")
# and of resolutions ("sáp nhập", "chia tách"): how each begins, lower case, folded spaces.
_WORDING = (
    ("nhập toàn bộ", SuccessionKind.MERGE),
    ("nhập một phần", SuccessionKind.SPLIT),
    ("sáp nhập", SuccessionKind.MERGE),
    ("hợp nhất", SuccessionKind.MERGE),
    ("chia tách", SuccessionKind.SPLIT),
    ("điều chỉnh một phần", SuccessionKind.SPLIT),
    ("chuyển giao", SuccessionKind.TRANSFER),
    ("nâng cấp", SuccessionKind.UPGRADE),
    ("giữ nguyên", SuccessionKind.KEPT),
    ("đổi tên", SuccessionKind.RENAME),
    ("đổi loại hình", SuccessionKind.RETYPE),
)


def succession_kind_of(text: str) -> str | None:
    """The kind a code or an official wording names ('Nhập một phần diện tích' → split)."""
    folded = " ".join(text.split()).lower()
    if folded in SuccessionKind.values:
        return folded
    for start, kind in _WORDING:
        if folded.startswith(start):
            return str(kind)
    return None
