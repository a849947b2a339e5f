"""Roles a person holds in a unit."""

from django.db import models


class Role(models.TextChoices):
    """Role in a unit — vai trò."""

    ONE_STOP_OFFICER = "one_stop_officer", "Công chức tiếp nhận và trả kết quả"
    SPECIALIST = "specialist", "Chuyên viên xử lý"
    LEADER = "leader", "Lãnh đạo đơn vị"
    PROVINCIAL_OFFICE = "provincial_office", "Văn phòng UBND tỉnh / Trung tâm PVHCC tỉnh"
    ADMINISTRATOR = "administrator", "Quản trị hệ thống"
    INSPECTOR = "inspector", "Thanh tra, kiểm tra (chỉ xem)"
