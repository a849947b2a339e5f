"""Reads of the working calendar: the engine built from the database overlay."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from motcua.audit.stamps import CALENDAR, UNITS, StampedCache, tokens
from motcua.workcalendar.engine import HoursSpan, Override, WorkCalendar
from motcua.workcalendar.models import CalendarEntry, WorkingHours

# The calendar sits below units in the import floors: units are reached through the FK only.
UnitModel: Any = CalendarEntry._meta.get_field("unit").related_model


def list_calendar_entries(unit: Any = None) -> list[CalendarEntry]:
    """National overlay entries plus the unit's own (one query)."""
    scope = Q(unit__isnull=True) | Q(unit=unit) if unit is not None else Q(unit__isnull=True)
    return list(CalendarEntry.objects.filter(scope).select_related("unit").order_by("date"))


# Built calendars, per unit id (None: national), kept while neither the calendar's tables nor
# the units (a calendar carries its unit's code) have changed (`motcua.audit.stamps`).
_CALENDARS = StampedCache()


def get_calendar(unit: Any = None) -> WorkCalendar:
    """The working calendar of `unit` (national if None): overlay entries and working hours.

    One query (the change tokens) when this process already built it; else two more: the
    overlay entries (national + the unit's local ones) and the hours rows.
    """
    return _CALENDARS.get(
        unit.pk if unit is not None else None,
        tokens(CALENDAR, UNITS),
        lambda: _read_calendar(unit),
    )


def _read_calendar(unit: Any) -> WorkCalendar:
    entries = list_calendar_entries(unit)
    hours_scope = Q(unit__isnull=True) | Q(unit=unit) if unit is not None else Q(unit__isnull=True)
    rows = list(WorkingHours.objects.filter(hours_scope).order_by("-valid_from", "-id"))
    return _build_calendar(unit, entries, rows)


def get_calendars(units: Any) -> dict[int, WorkCalendar]:
    """The working calendar of each unit, keyed by unit id, whatever their number in one query
    (the change tokens) when this process built them already, else two more.

    Each calendar is the one `get_calendar(unit)` gives: a list of dossiers of many units shows
    the same remaining time as each dossier's own page.
    """
    by_id = {u.pk: u for u in units if u is not None}
    if not by_id:
        return {}
    return _CALENDARS.get_many(
        by_id, tokens(CALENDAR, UNITS), lambda missing: _read_calendars(by_id, missing)
    )


def _read_calendars(by_id: dict[int, Any], wanted: list[int]) -> dict[int, WorkCalendar]:
    by_id = {pk: by_id[pk] for pk in wanted}
    scope = Q(unit__isnull=True) | Q(unit_id__in=by_id)
    entries = list(CalendarEntry.objects.filter(scope).select_related("unit").order_by("date"))
    rows = list(WorkingHours.objects.filter(scope).order_by("-valid_from", "-id"))
    return {
        pk: _build_calendar(
            unit,
            [e for e in entries if e.unit_id in (None, pk)],
            [r for r in rows if r.unit_id in (None, pk)],
        )
        for pk, unit in by_id.items()
    }


def _build_calendar(unit: Any, entries: list[CalendarEntry], rows: list[Any]) -> WorkCalendar:
    overrides = [
        Override(
            date=e.date,
            kind=e.kind,
            name=e.name,
            document=e.document,
            unit=e.unit.code if e.unit is not None else None,
            status=e.status,
        )
        for e in entries
    ]
    # The unit's own rows first, then the national ones; within each, the latest start first.
    rows = sorted(rows, key=lambda r: r.unit_id is None)
    schedule = [HoursSpan(r.periods, r.valid_from, r.valid_to) for r in rows]
    stamp = max((e.updated_at for e in entries), default=None)
    version = f"{len(entries)} ngày điều chỉnh" + (
        f", cập nhật {stamp.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}" if stamp else ""
    )
    return WorkCalendar(
        overrides=overrides,
        hours_schedule=schedule,
        unit=unit.code if unit is not None else None,
        version=version,
    )


def get_unit_by_code(code: str, user: Any = None) -> Any:
    """The unit with this code (among those `user` may see, if given), or None."""
    units = UnitModel.objects.all() if user is None else UnitModel.objects.visible_to(user)
    return units.filter(code=code).first()
