"""Demo appointments: today and the next working days at two commune desks, valid and scoped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from motcua.demo.appointments import build_appointments
from motcua.demo.builder import build_demo
from motcua.people.models import User
from motcua.portal.choices import HOLDING_STATES
from motcua.portal.models import Appointment
from motcua.portal.slots import slot_capacity
from motcua.workcalendar.engine import TZ
from motcua.workcalendar.selectors import get_calendar


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo province with its appointments, built once and rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(seed=1)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(built: None, db: None) -> None:
    """Each test in a savepoint of the built demo."""


def test_the_desks_have_a_realistic_book_from_today(demo: None) -> None:
    rows = list(Appointment.objects.select_related("unit"))
    assert len(rows) > 20
    assert {a.unit.code for a in rows} == {"DT.29869.TTPV", "DT.30178.TTPV"}
    today = timezone.localdate()
    days = {a.start.astimezone(TZ).date() for a in rows}
    assert min(days) >= today and len(days) >= 3
    for a in rows:
        calendar = get_calendar(a.unit)
        assert calendar.is_working_day(a.start.astimezone(TZ).date()), a.start
        assert a.start.astimezone(TZ).minute in (0, 30)
    kinds = {a.kind for a in rows}
    assert kinds == {"counter", "home"}
    assert all(a.address for a in rows if a.kind == "home")
    by_slot: dict[tuple[int, dt.datetime], int] = {}
    for a in rows:
        if a.state in HOLDING_STATES:
            key = (a.unit_id, a.start)
            by_slot[key] = by_slot.get(key, 0) + 1
    assert max(by_slot.values()) <= slot_capacity()
    assert Appointment.objects.filter(applicant_user__username="congdan").count() == 1
    # A second build adds nothing.
    assert build_appointments(seed=1)["created"] == 0


def test_the_ward_officer_sees_the_days_book(demo: None) -> None:
    client = Client()
    client.force_login(User.objects.get(username="motcua.caolanh"))
    upcoming = (
        Appointment.objects.filter(unit__code="DT.29869.TTPV", start__gt=timezone.now())
        .order_by("start")
        .first()
    )
    assert upcoming is not None
    day = upcoming.start.astimezone(TZ)
    page = client.get("/ho-so/lich-hen/", {"ngay": f"{day:%d/%m/%Y}"}).content.decode()
    assert upcoming.code in page and "Tiếp nhận" in page
    elsewhere = list(
        Appointment.objects.filter(unit__code="DT.30178.TTPV").values_list("code", flat=True)
    )
    assert elsewhere and not any(code in page for code in elsewhere)
