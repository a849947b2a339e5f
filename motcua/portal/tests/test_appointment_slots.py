"""Appointment slots on the working calendar: working periods, days off, the past, capacity."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.portal.appointments import AppointmentConflict, AppointmentError, cancel_appointment
from motcua.portal.models import Appointment
from motcua.portal.slots import booking_days, day_slots, open_slots
from motcua.portal.tests.account_helpers import (  # noqa: F401 — fixtures
    media_fixture,
    setup_fixture,
)
from motcua.portal.tests.appointment_helpers import (  # noqa: F401 — fixtures
    NOW,
    Desks,
    at,
    book,
    clock_fixture,
    desks_fixture,
)
from motcua.workcalendar.models import CalendarEntry
from motcua.workcalendar.selectors import get_calendar

pytestmark = pytest.mark.django_db


def times(slots: list[tuple[dt.datetime, ...]]) -> list[str]:
    return [f"{s[0]:%H:%M}" for s in slots]


def test_slots_fill_the_working_periods_of_a_working_day(desks: Desks) -> None:
    slots = day_slots(get_calendar(desks.setup.centre), dt.date(2027, 4, 29), 30)
    assert times(slots) == [
        "07:00", "07:30", "08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00",
        "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30",
    ]  # fmt: skip
    assert slots[-1][1] == at(29, 17)
    # A 50-minute slot that would run past 11:30 is not offered.
    assert times(day_slots(get_calendar(), dt.date(2027, 4, 29), 50))[:6] == [
        "07:00", "07:50", "08:40", "09:30", "10:20", "13:30",
    ]  # fmt: skip


def test_no_slot_on_a_holiday_a_weekend_or_a_local_day_off(desks: Desks) -> None:
    calendar = get_calendar(desks.setup.centre)
    # Reunification Day, Saturday (Labour Day), Sunday, Monday (the day off in lieu).
    for day in (dt.date(2027, 4, 30), *(dt.date(2027, 5, d) for d in (1, 2, 3))):
        assert day_slots(calendar, day, 30) == []
    assert booking_days(calendar)[:3] == [
        dt.date(2027, 4, 28), dt.date(2027, 4, 29), dt.date(2027, 5, 4),
    ]  # fmt: skip
    CalendarEntry.objects.create(
        date=dt.date(2027, 5, 4), kind="day_off", name="Nghỉ bầu cử", unit=desks.setup.centre
    )
    centre = get_calendar(desks.setup.centre)
    assert day_slots(centre, dt.date(2027, 5, 4), 30) == []
    assert booking_days(centre)[2] == dt.date(2027, 5, 5)
    # Only the centre stops that day; the other commune's desk still works.
    assert len(day_slots(get_calendar(desks.other_centre), dt.date(2027, 5, 4), 30)) == 16


def test_booking_a_holiday_or_a_weekend_is_refused_with_the_reason(desks: Desks) -> None:
    with pytest.raises(AppointmentError, match="Ngày 30/04/2027 là ngày nghỉ") as holiday:
        book(desks.setup, at(30, 9))
    assert holiday.value.field == "start"
    with pytest.raises(AppointmentError, match="Ngày 01/05/2027 là ngày nghỉ"):
        book(desks.setup, at(1, 9, month=5))
    with pytest.raises(AppointmentError, match="khung giờ trong giờ làm việc"):
        book(desks.setup, at(29, 12))  # lunch break
    with pytest.raises(AppointmentError, match="khung giờ trong giờ làm việc"):
        book(desks.setup, at(29, 9, 10))  # not on the grid
    assert not Appointment.objects.exists()


def test_slots_that_have_begun_are_neither_offered_nor_bookable(desks: Desks) -> None:
    today = open_slots(desks.setup.centre, NOW.date())
    assert today[0].label == "09:30–10:00"  # 09:00 has begun at 09:10
    with pytest.raises(AppointmentError, match="đã qua"):
        book(desks.setup, at(28, 9))
    with pytest.raises(AppointmentError, match="trong vòng 14 ngày"):
        book(desks.setup, at(20, 9, month=5))


def test_a_slot_takes_two_bookings_per_desk_then_refuses(desks: Desks) -> None:
    first = book(desks.setup, at(29, 8))
    book(desks.setup, at(29, 8), kind="home", applicant={**first_applicant(), "address": "Ấp 3"})
    slots = open_slots(desks.setup.centre, dt.date(2027, 4, 29))
    slot = next(s for s in slots if s.value == "08:00")
    assert (slot.taken, slot.free) == (2, 0)
    with pytest.raises(AppointmentConflict, match="Khung giờ 08:00 29/04/2027 đã đủ người hẹn"):
        book(desks.setup, at(29, 8))
    # Another desk's slot at the same time is its own.
    other = book(desks.setup, at(29, 8), unit=desks.other_centre)
    assert other.unit == desks.other_centre
    # A cancellation frees a place.
    cancel_appointment(appointment=first, phone_digits="5678")
    assert book(desks.setup, at(29, 8)).state == "booked"
    assert Appointment.objects.filter(unit=desks.setup.centre, start=at(29, 8)).count() == 3


def first_applicant() -> dict[str, str]:
    return {"name": "Trần Văn Bình", "phone": "0987654321", "email": "", "id_number": ""}
