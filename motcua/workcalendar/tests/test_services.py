"""Writes through the services, the shipped data migration, and the selector's cost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.audit.models import ObjectChange
from motcua.units.models import Unit
from motcua.workcalendar.engine import DayKind
from motcua.workcalendar.models import CalendarEntry, WorkingHours
from motcua.workcalendar.selectors import get_calendar
from motcua.workcalendar.services import (
    CalendarEditError,
    add_calendar_entry,
    delete_calendar_entry,
    save_working_hours,
    update_calendar_entry,
)
from motcua.workcalendar.swaps import shipped_rows

pytestmark = pytest.mark.django_db


def test_data_migration_ships_the_swap_table():
    rows = shipped_rows()
    assert CalendarEntry.objects.filter(unit__isnull=True).count() == len(rows)
    makeup = CalendarEntry.objects.get(date=dt.date(2024, 5, 4))
    assert makeup.kind == "working_day"
    assert "Công văn 2450/VPCP-KGVX" in makeup.document
    assert makeup.status == "confirmed"
    saturdays = set(CalendarEntry.objects.filter(kind="working_day").values_list("date", flat=True))
    assert {
        dt.date(2010, 2, 27),
        dt.date(2012, 2, 4),
        dt.date(2013, 5, 4),
        dt.date(2014, 4, 26),
        dt.date(2014, 9, 6),
        dt.date(2014, 12, 27),
        dt.date(2015, 2, 14),
        dt.date(2015, 4, 25),
        dt.date(2019, 1, 5),
        dt.date(2019, 5, 4),
        dt.date(2024, 5, 4),
        dt.date(2025, 4, 26),
        dt.date(2026, 8, 22),
    } == saturdays
    unconfirmed = set(
        CalendarEntry.objects.filter(status="unconfirmed").values_list("date", flat=True)
    )
    assert {dt.date(2026, 8, 31), dt.date(2026, 8, 22), dt.date(2026, 11, 24)} <= unconfirmed


def test_get_calendar_costs_three_queries_then_one():
    unit = Unit.objects.create(code="X01", name="Xã Một", level="commune")
    with CaptureQueriesContext(connection) as ctx:
        calendar = get_calendar(unit)
        calendar.notable_days(2026)
    # The change tokens, the overlay entries, the working hours.
    assert len(ctx.captured_queries) == 3
    with CaptureQueriesContext(connection) as ctx:
        assert get_calendar(unit) is calendar
    assert len(ctx.captured_queries) == 1  # built already in this process: the tokens only
    assert calendar.day_info(dt.date(2024, 5, 4)).kind == DayKind.MAKEUP
    assert "28 ngày điều chỉnh" in calendar.version


def test_local_day_off_only_in_its_unit_calendar():
    one = Unit.objects.create(code="X01", name="Xã Một", level="commune")
    two = Unit.objects.create(code="X02", name="Xã Hai", level="commune")
    add_calendar_entry(
        date=dt.date(2099, 3, 11),
        kind="day_off",
        name="Nghỉ sự kiện",
        document="QĐ 1",
        unit=one,
        actor="test",
    )
    assert get_calendar(one).day_info(dt.date(2099, 3, 11)).kind == DayKind.LOCAL_OFF
    assert get_calendar(two).is_working_day(dt.date(2099, 3, 11))
    assert get_calendar().is_working_day(dt.date(2099, 3, 11))


def test_unit_working_hours_with_validity():
    unit = Unit.objects.create(code="X01", name="Xã Một", level="commune")
    save_working_hours(
        WorkingHours(
            unit=unit,
            valid_from=dt.date(2025, 7, 1),
            morning_start=dt.time(8, 0),
            morning_end=dt.time(12, 0),
            afternoon_start=dt.time(13, 0),
            afternoon_end=dt.time(17, 0),
        ),
        actor="test",
    )
    calendar = get_calendar(unit)
    assert calendar.hours_for(dt.date(2025, 6, 30))[0][0] == dt.time(7, 0)
    assert calendar.hours_for(dt.date(2025, 7, 1))[0][0] == dt.time(8, 0)
    assert get_calendar().hours_for(dt.date(2025, 7, 1))[0][0] == dt.time(7, 0)
    assert ObjectChange.objects.filter(action="create", source="").count() >= 1


def test_working_hours_not_totalling_eight_hours_are_refused():
    bad = WorkingHours(
        morning_start=dt.time(7, 30),
        morning_end=dt.time(11, 30),
        afternoon_start=dt.time(13, 30),
        afternoon_end=dt.time(17, 0),
    )
    with pytest.raises(ValidationError):
        bad.clean()
    with pytest.raises(CalendarEditError):
        save_working_hours(bad, actor="test")
    assert not WorkingHours.objects.exists()


def test_update_logs_before_and_after_with_reason():
    entry = CalendarEntry.objects.get(date=dt.date(2026, 11, 24), unit=None)
    update_calendar_entry(
        entry,
        status="confirmed",
        document="Bộ luật Lao động (sửa đổi)",
        actor="test",
        reason="đã có hiệu lực",
        source="cli",
    )
    change = ObjectChange.objects.get(object_id=str(entry.pk), action="update")
    assert (change.before or {})["status"] == "unconfirmed"
    assert (change.after or {})["status"] == "confirmed"
    assert change.reason == "đã có hiệu lực"
    assert set(change.changed_fields) >= {"status", "document"}


def test_past_date_needs_a_reason():
    entry = CalendarEntry.objects.get(date=dt.date(2024, 5, 4))
    with pytest.raises(CalendarEditError):
        update_calendar_entry(entry, note="x", actor="test")
    with pytest.raises(CalendarEditError):
        delete_calendar_entry(entry, actor="test")
    assert CalendarEntry.objects.filter(pk=entry.pk).exists()
    assert not ObjectChange.objects.filter(object_id=str(entry.pk)).exists()


def test_future_date_needs_no_reason_and_duplicates_are_refused():
    add_calendar_entry(date=dt.date(2099, 1, 2), kind="day_off", name="Nghỉ", actor="test")
    with pytest.raises(CalendarEditError):
        add_calendar_entry(date=dt.date(2099, 1, 2), kind="day_off", name="Lần hai", actor="t")
    assert CalendarEntry.objects.filter(date=dt.date(2099, 1, 2)).count() == 1
