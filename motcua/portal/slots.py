"""Appointment slots on the working calendar, and the reads of appointments — khung giờ hẹn.

A slot is a fixed stretch (`MOTCUA_APPOINTMENT_SLOT_MINUTES`, default 30) inside one working
period of the desk's calendar: none on weekends, holidays or swapped days off, none that has
already begun, none after `MOTCUA_APPOINTMENT_DAYS_AHEAD` days. A slot takes at most
`MOTCUA_APPOINTMENT_SLOT_CAPACITY` bookings per desk (counter and home visits together: the
same staff receive both). Home visits are offered only for the procedures and desks listed in
`MOTCUA_HOME_VISIT_PROCEDURES` / `MOTCUA_HOME_VISIT_UNITS` ("*" = all).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from motcua.people.policy import Action, can
from motcua.portal.choices import HOLDING_STATES, AppointmentKind
from motcua.portal.models import Appointment
from motcua.portal.selectors import last_four
from motcua.procedures.models import Procedure
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ, WEEKDAY_NAMES, WorkCalendar
from motcua.workcalendar.selectors import get_calendar


def slot_minutes() -> int:
    """Length of one slot in minutes (setting)."""
    return int(getattr(settings, "MOTCUA_APPOINTMENT_SLOT_MINUTES", 30))


def slot_capacity() -> int:
    """Bookings one desk takes in one slot (setting)."""
    return int(getattr(settings, "MOTCUA_APPOINTMENT_SLOT_CAPACITY", 2))


def days_ahead() -> int:
    """How many calendar days ahead a slot may be booked (setting)."""
    return int(getattr(settings, "MOTCUA_APPOINTMENT_DAYS_AHEAD", 14))


def _listed(code: str, setting: str) -> bool:
    values = [str(v).strip() for v in getattr(settings, setting, ["*"])]
    return "*" in values or code in values


def home_visits_allowed(procedure: Procedure, unit: Unit) -> bool:
    """Whether the desk receives dossiers of this procedure at the applicant's home."""
    return _listed(procedure.code, "MOTCUA_HOME_VISIT_PROCEDURES") and _listed(
        unit.code, "MOTCUA_HOME_VISIT_UNITS"
    )


def kinds_for(procedure: Procedure, unit: Unit | None) -> list[AppointmentKind]:
    """The kinds of appointment offered for this procedure at this desk."""
    kinds = [AppointmentKind.COUNTER]
    if unit is not None and home_visits_allowed(procedure, unit):
        kinds.append(AppointmentKind.HOME)
    return kinds


@dataclass(frozen=True)
class Slot:
    """One bookable stretch of a desk's working day and how many places are left."""

    start: dt.datetime
    end: dt.datetime
    taken: int = 0
    capacity: int = 0

    @property
    def free(self) -> int:
        """Places left (never below zero)."""
        return max(0, self.capacity - self.taken)

    @property
    def value(self) -> str:
        """The form value: 'HH:MM' local time."""
        return f"{self.start.astimezone(TZ):%H:%M}"

    @property
    def label(self) -> str:
        """'07:30–08:00'."""
        return f"{self.start.astimezone(TZ):%H:%M}–{self.end.astimezone(TZ):%H:%M}"


def day_slots(calendar: WorkCalendar, day: dt.date, minutes: int) -> list[tuple[dt.datetime, ...]]:
    """Every slot (start, end) of `day` in the calendar's working periods; [] on a day off."""
    step = dt.timedelta(minutes=minutes)
    result: list[tuple[dt.datetime, ...]] = []
    for begin, end in calendar.periods(day):
        start = begin
        while start + step <= end:
            result.append((start, start + step))
            start += step
    return result


def booking_days(calendar: WorkCalendar, *, now: dt.datetime | None = None) -> list[dt.date]:
    """The working days from today on, within the booking horizon, that still have a slot."""
    now = now or timezone.now()
    today = now.astimezone(TZ).date()
    minutes = slot_minutes()
    days = []
    for offset in range(days_ahead() + 1):
        day = today + dt.timedelta(days=offset)
        if any(start > now for start, _ in day_slots(calendar, day, minutes)):
            days.append(day)
    return days


def day_label(day: dt.date) -> str:
    """'Thứ Hai, 07/12/2026'."""
    return f"{WEEKDAY_NAMES[day.weekday()]}, {day:%d/%m/%Y}"


def taken_counts(unit: Unit, day: dt.date) -> Counter[dt.datetime]:
    """Bookings holding a place at the desk on `day`, by slot start."""
    begin = dt.datetime.combine(day, dt.time(0, 0), TZ)
    rows = (
        Appointment.objects.filter(
            unit=unit,
            state__in=HOLDING_STATES,
            start__gte=begin,
            start__lt=begin + dt.timedelta(days=1),
        )
        .values("start")
        .annotate(n=Count("id"))
    )
    return Counter({row["start"]: row["n"] for row in rows})


def open_slots(
    unit: Unit,
    day: dt.date,
    *,
    calendar: WorkCalendar | None = None,
    now: dt.datetime | None = None,
) -> list[Slot]:
    """The slots of `day` at the desk that have not begun, with the places left in each."""
    now = now or timezone.now()
    calendar = calendar or get_calendar(unit)
    taken = taken_counts(unit, day)
    capacity = slot_capacity()
    return [
        Slot(start, end, taken.get(start, 0), capacity)
        for start, end in day_slots(calendar, day, slot_minutes())
        if start > now
    ]


def slot_refusal(
    calendar: WorkCalendar, start: dt.datetime, *, now: dt.datetime | None = None
) -> str:
    """Why `start` is not a bookable slot ('' when it is): past, day off, outside hours."""
    now = now or timezone.now()
    local = start.astimezone(TZ)
    day = local.date()
    if start <= now:
        return gettext("Giờ hẹn này đã qua; hãy chọn giờ khác.")
    if day > now.astimezone(TZ).date() + dt.timedelta(days=days_ahead()):
        return gettext("Chỉ đặt lịch hẹn trong vòng %(n)s ngày tới.") % {"n": days_ahead()}
    info = calendar.day_info(day)
    if not info.working:
        reason = info.name or info.label
        return gettext("Ngày %(day)s là ngày nghỉ (%(reason)s); hãy chọn ngày làm việc.") % {
            "day": f"{day:%d/%m/%Y}",
            "reason": reason,
        }
    if all(s != start for s, _ in day_slots(calendar, day, slot_minutes())):
        return gettext("Giờ hẹn phải là một khung giờ trong giờ làm việc của nơi tiếp nhận.")
    return ""


# -- reads of appointments ---------------------------------------------------------------------

_CODE_JUNK = re.compile(r"[\s\-.]")


def clean_code(text: str) -> str:
    """'lh-7k3 qxm' → 'LH7K3QXM' (citizens type codes with spaces, dashes, lower case)."""
    return _CODE_JUNK.sub("", text or "").upper()


def find_appointment_for_lookup(code: str, digits: str) -> Appointment | None:
    """The appointment with this code whose phone ends in `digits`; None otherwise.

    An unknown code and a wrong combination answer the same None, so a guess reveals nothing.
    """
    if not code or not re.fullmatch(r"[0-9]{4}", digits or ""):
        return None
    appointment = (
        Appointment.objects.select_related("procedure", "unit")
        .filter(code=clean_code(code))
        .first()
    )
    if appointment is None:
        return None
    key = last_four(appointment.phone)
    return appointment if key and hmac.compare_digest(key.encode(), digits.encode()) else None


def list_applicant_appointments(user: Any) -> QuerySet[Appointment]:
    """The signed-in applicant's own appointments, the coming ones first."""
    if not getattr(user, "is_authenticated", False):
        return Appointment.objects.none()
    return (
        Appointment.objects.filter(applicant_user_id=user.pk)
        .select_related("procedure", "unit")
        .order_by("-start", "-id")
    )


def get_applicant_appointment(user: Any, code: str) -> Appointment:
    """One of the applicant's own appointments; Http404 for anybody else's."""
    appointment = list_applicant_appointments(user).filter(code=clean_code(code)).first()
    if appointment is None:
        raise Http404(gettext("không tìm thấy lịch hẹn"))
    return appointment


def list_desk_units(user: Any, day: dt.date | None = None) -> list[Unit]:
    """Desks in force on `day` where `user` may receive dossiers (their appointment books)."""
    day = day or timezone.localdate()
    return [
        u
        for u in Unit.objects.visible_to(user).valid_on(day).order_by("name", "code")
        if can(user, Action.RECEIVE, u)
    ]


def list_day_appointments(units: list[Unit], day: dt.date) -> QuerySet[Appointment]:
    """The appointments of `day` at these desks, by slot (cancelled ones included)."""
    begin = dt.datetime.combine(day, dt.time(0, 0), TZ)
    return (
        Appointment.objects.filter(
            unit__in=units, start__gte=begin, start__lt=begin + dt.timedelta(days=1)
        )
        .select_related("procedure", "unit", "dossier")
        .order_by("start", "unit__name", "id")
    )


def get_appointment_for_desk(user: Any, code: str) -> Appointment:
    """An appointment at a desk where `user` receives; Http404 outside that scope."""
    appointment = (
        Appointment.objects.select_related("procedure", "unit")
        .filter(code=clean_code(code))
        .first()
    )
    if appointment is None or not can(user, Action.RECEIVE, appointment.unit):
        raise Http404(gettext("không tìm thấy lịch hẹn"))
    if not Unit.objects.visible_to(user).filter(pk=appointment.unit_id).exists():
        raise Http404(gettext("không tìm thấy lịch hẹn"))
    return appointment
