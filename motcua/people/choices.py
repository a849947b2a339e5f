"""Roles a person holds in a unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Role in a unit — vai trò."""

    ONE_STOP_OFFICER = "one_stop_officer", _("Công chức tiếp nhận và trả kết quả")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    PROVINCIAL_OFFICE = "provincial_office", _("Văn phòng UBND tỉnh / Trung tâm PVHCC tỉnh")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")
    INSPECTOR = "inspector", _("Thanh tra, kiểm tra (chỉ xem)")
    PAR_APPRAISER = "par_appraiser", _("Thẩm định Chỉ số CCHC (Sở Nội vụ)")
