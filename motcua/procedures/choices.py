"""Levels, online levels and time-limit units of procedures."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureLevel(models.TextChoices):
    """Level of government that decides — cấp thực hiện."""

    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    MINISTRY = "ministry", _("Cấp bộ")
    OTHER = "other", _("Cơ quan khác")


# Levels at which the province itself (its departments, districts, communes) decides.
LOCAL_LEVELS = {ProcedureLevel.PROVINCE, ProcedureLevel.DISTRICT, ProcedureLevel.COMMUNE}


class OnlineLevel(models.TextChoices):
    """Online public service level (Decree 42/2022) — mức độ dịch vụ công trực tuyến."""

    NONE = "none", _("Không cung cấp trực tuyến")
    PARTIAL = "partial", _("Trực tuyến một phần")
    FULL = "full", _("Trực tuyến toàn trình")


class TimeLimitUnit(models.TextChoices):
    """Unit of the legal time limit; the values are the clock's (workcalendar.engine.TimeUnit)."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    CALENDAR_MONTHS = "calendar_months", _("tháng")
    SAME_DAY = "same_day", _("trong ngày")


# Budgets of internal-process steps are in working minutes; they add up to the time limit
# only for limits counted in working time.
WORKING_TIME_UNITS = {TimeLimitUnit.WORKING_DAYS, TimeLimitUnit.WORKING_HOURS}
MINUTES_PER = {TimeLimitUnit.WORKING_DAYS: 8 * 60, TimeLimitUnit.WORKING_HOURS: 60}
