"""Kinds and states of portal appointments — lịch hẹn, and the moves between states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppointmentKind(models.TextChoices):
    """What the applicant booked — hình thức hẹn."""

    COUNTER = "counter", _("Đặt lịch nộp hồ sơ tại quầy")
    HOME = "home", _("Tiếp nhận hồ sơ tại nhà")


class AppointmentState(models.TextChoices):
    """Where an appointment stands — trạng thái lịch hẹn."""

    BOOKED = "booked", _("Đã đặt lịch")
    CANCELLED = "cancelled", _("Đã huỷ")
    RECEIVED = "received", _("Đã tiếp nhận hồ sơ")
    NO_SHOW = "no_show", _("Vắng mặt")


# The only moves: a booked appointment ends exactly once, in one of three ways.
TRANSITIONS: dict[str, frozenset[str]] = {
    AppointmentState.BOOKED: frozenset(
        {AppointmentState.CANCELLED, AppointmentState.RECEIVED, AppointmentState.NO_SHOW}
    ),
    AppointmentState.CANCELLED: frozenset(),
    AppointmentState.RECEIVED: frozenset(),
    AppointmentState.NO_SHOW: frozenset(),
}

# States that hold a place in the slot (a cancelled booking frees it).
HOLDING_STATES = frozenset(
    {AppointmentState.BOOKED, AppointmentState.RECEIVED, AppointmentState.NO_SHOW}
)
