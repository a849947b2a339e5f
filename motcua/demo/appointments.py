"""Demo appointments — lịch hẹn mẫu: today and the next working days at two commune desks.

The desks of `motcua.caolanh` and `motcua.myanhung` (docs/demo.md) get a realistic book:
counter slots and a few home visits, some already cancelled, one booked by the demo
applicant `congdan` (shown in their account). Slots still to come are booked through the
service (`book_appointment`), exactly as the portal does; the slots of today that have already
begun are written as they would stand then (booked, not yet received), with their change-log
row. Idempotent: a desk that already has appointments is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from motcua.audit.services import record_change, snapshot
from motcua.demo.portal import APPLICANT_USERNAME
from motcua.people.models import User
from motcua.portal.appointments import (
    LOGGED_FIELDS,
    AppointmentError,
    book_appointment,
    cancel_appointment,
    new_code,
)
from motcua.portal.choices import AppointmentKind
from motcua.portal.models import Appointment
from motcua.portal.slots import day_slots, home_visits_allowed, slot_capacity, slot_minutes
from motcua.portal.submission import receiving_units
from motcua.procedures.models import Procedure
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ
from motcua.workcalendar.selectors import get_calendar

DESKS = ("DT.29869.TTPV", "DT.30178.TTPV")
# Procedures citizens book most at a commune desk (civil status, certification).
PROCEDURES = ("1.001193", "1.000894", "1.004884", "1.004746", "1.001695", "1.000593")
DAYS = 4  # working days from today
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Dương")
MIDDLE = ("Thị", "Văn", "Hồng", "Minh", "Ngọc", "Thanh", "Hữu", "Kim")
GIVEN = ("An", "Bình", "Cúc", "Dũng", "Hạnh", "Khoa", "Lộc", "Mỹ", "Nhàn", "Phúc", "Sương", "Tâm")
STREETS = ("Khóm 2", "Khóm 4", "Ấp Mỹ Phú", "Ấp Hòa Long", "Khóm Mỹ Thiện", "Ấp 3")
SOURCE = "demo"


def _desk(code: str, day: dt.date) -> Unit | None:
    return Unit.objects.valid_on(day).filter(code=code).first()


def _applicant(rng: random.Random, n: int, unit: Unit, home: bool) -> dict[str, str]:
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    where = unit.parent.name if unit.parent else unit.name
    return {
        "name": name,
        # Fictitious 0900 000 xxx numbers, never assigned to subscribers in the demo.
        "phone": f"0900000{200 + n:03d}",
        "email": "",  # no notice leaves the demo (no mail server)
        "id_number": f"087199{n:06d}" if n % 2 == 0 else "",
        "address": f"Số {rng.randint(1, 200)}, {rng.choice(STREETS)}, {where}" if home else "",
    }


def _begun(
    *,
    procedure: Procedure,
    unit: Unit,
    kind: str,
    start: dt.datetime,
    applicant: dict[str, str],
) -> Appointment:
    """A booking of a slot that has already begun today (the service refuses past slots)."""
    appointment = Appointment.objects.create(
        code=new_code(), kind=kind, procedure=procedure, unit=unit, start=start, **applicant
    )
    record_change(
        obj=appointment,
        action="create",
        after=snapshot(appointment, LOGGED_FIELDS),
        source=SOURCE,
    )
    return appointment


def build_appointments(*, seed: int = 1) -> dict[str, int]:
    """Book the demo desks' next working days; returns counts (created, cancelled, home)."""
    rng = random.Random(seed * 7919)
    now = timezone.now()
    today = timezone.localdate()
    counts = {"created": 0, "cancelled": 0, "home": 0}
    applicant_user = User.objects.filter(username=APPLICANT_USERNAME).first()
    n = 0
    for desk_code in DESKS:
        unit = _desk(desk_code, today)
        if unit is None or Appointment.objects.filter(unit=unit).exists():
            continue
        procedures = [
            p
            for p in Procedure.objects.published().filter(code__in=PROCEDURES).order_by("code")
            if unit in receiving_units(p, today)
        ]
        if not procedures:
            continue
        calendar = get_calendar(unit)
        day, days = today, 0
        while days < DAYS:
            slots = day_slots(calendar, day, slot_minutes())
            if slots:
                days += 1
            for start, _end in slots:
                # About half the slots of a day are taken, a few of them twice.
                for _place in range(slot_capacity()):
                    if rng.random() > 0.35:
                        continue
                    n += 1
                    procedure = rng.choice(procedures)
                    home = home_visits_allowed(procedure, unit) and rng.random() < 0.15
                    kind = AppointmentKind.HOME if home else AppointmentKind.COUNTER
                    values = _applicant(rng, n, unit, home)
                    if start <= now:
                        item = _begun(
                            procedure=procedure,
                            unit=unit,
                            kind=kind,
                            start=start,
                            applicant=values,
                        )
                    else:
                        try:
                            item = book_appointment(
                                procedure=procedure,
                                unit=unit,
                                kind=kind,
                                start=start,
                                applicant=values,
                            )
                        except AppointmentError:
                            continue
                        if rng.random() < 0.08:
                            cancel_appointment(
                                appointment=item,
                                phone_digits=values["phone"][-4:],
                                reason="Bận việc đột xuất",
                            )
                            counts["cancelled"] += 1
                    counts["created"] += 1
                    counts["home"] += home
            day += dt.timedelta(days=1)
        if applicant_user is not None and desk_code == DESKS[0]:
            counts["created"] += _book_for_demo_applicant(unit, procedures[0], applicant_user)
    return counts


def _book_for_demo_applicant(unit: Unit, procedure: Procedure, user: User) -> int:
    """The demo applicant's own booking: the next working day at 08:00, if a place is left."""
    day = timezone.localdate() + dt.timedelta(days=1)
    for _ in range(10):
        if get_calendar(unit).is_working_day(day):
            break
        day += dt.timedelta(days=1)
    profile = getattr(user, "applicant_profile", None)
    try:
        book_appointment(
            procedure=procedure,
            unit=unit,
            kind=AppointmentKind.COUNTER,
            start=dt.datetime.combine(day, dt.time(8, 0), TZ),
            applicant={
                "name": user.full_name,
                "phone": profile.phone if profile else "0900000001",
                "email": "",  # no notice leaves the demo (no mail server)
                "id_number": profile.id_number if profile else "",
            },
            actor=user,
        )
    except AppointmentError:
        return 0
    return 1
