"""Levels, online levels and time-limit units of procedures."""

from django.db import models


class ProcedureLevel(models.TextChoices):
    """Level of government that decides — cấp thực hiện."""

    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"


class OnlineLevel(models.TextChoices):
    """Online public service level (Decree 42/2022) — mức độ dịch vụ công trực tuyến."""

    NONE = "none", "Không cung cấp trực tuyến"
    PARTIAL = "partial", "Trực tuyến một phần"
    FULL = "full", "Trực tuyến toàn trình"


class TimeLimitUnit(models.TextChoices):
    """Unit of the legal time limit; the values are the clock's (workcalendar.engine.TimeUnit)."""

    WORKING_DAYS = "working_days", "ngày làm việc"
    WORKING_HOURS = "working_hours", "giờ làm việc"
    CALENDAR_DAYS = "calendar_days", "ngày"
    CALENDAR_MONTHS = "calendar_months", "tháng"
    SAME_DAY = "same_day", "trong ngày"


# Budgets of internal-process steps are in working minutes; they add up to the time limit
# only for limits counted in working time.
WORKING_TIME_UNITS = {TimeLimitUnit.WORKING_DAYS, TimeLimitUnit.WORKING_HOURS}
MINUTES_PER = {TimeLimitUnit.WORKING_DAYS: 8 * 60, TimeLimitUnit.WORKING_HOURS: 60}
