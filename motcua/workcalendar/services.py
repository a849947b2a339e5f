"""Every write to the working calendar, each in one transaction with its change-log row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from motcua.audit.models import ChangeAction
from motcua.audit.services import record_change, snapshot
from motcua.workcalendar.engine import CalendarError, validate_hours
from motcua.workcalendar.models import CalendarEntry, EntryKind, EntryStatusChoice, WorkingHours
from motcua.workcalendar.signals import calendar_changed


class CalendarEditError(Exception):
    """A calendar edit that is not allowed (past date without reason, duplicate, bad hours)."""


def _require_reason_for_past(dates: list[dt.date], reason: str) -> None:
    today = timezone.localdate()
    if any(d < today for d in dates) and not reason.strip():
        raise CalendarEditError(
            "Sửa ngày đã qua phải ghi lý do — a reason is required to edit a date in the past."
        )


def _validate_entry(entry: CalendarEntry) -> None:
    if entry.kind not in EntryKind.values:
        raise CalendarEditError(f"loại {entry.kind!r} không hợp lệ (day_off | working_day)")
    if entry.status not in EntryStatusChoice.values:
        raise CalendarEditError(f"mức xác nhận {entry.status!r} không hợp lệ")
    if not entry.name.strip():
        raise CalendarEditError("Phải có tên ngày — a name is required.")
    clash = CalendarEntry.objects.filter(date=entry.date, unit=entry.unit).exclude(pk=entry.pk)
    if clash.exists():
        raise CalendarEditError(
            f"Đã có một mục lịch cho ngày {entry.date:%d/%m/%Y} trong phạm vi này."
        )


@transaction.atomic
def save_calendar_entry(
    entry: CalendarEntry, *, actor: Any, reason: str = "", source: str = ""
) -> CalendarEntry:
    """Create or update `entry` as given, logging before/after (used by the admin and below)."""
    before = None
    dates = [entry.date]
    if entry.pk is not None:
        current = CalendarEntry.objects.select_for_update(of=("self",)).filter(pk=entry.pk).first()
        if current is not None:
            before = snapshot(current)
            dates.append(current.date)
    _require_reason_for_past(dates, reason)
    _validate_entry(entry)
    entry.save()
    record_change(
        obj=entry,
        action=ChangeAction.UPDATE if before is not None else ChangeAction.CREATE,
        actor=actor,
        before=before,
        after=snapshot(entry),
        source=source,
        reason=reason,
    )
    verb = "sửa trong" if before is not None else "thêm vào"
    _changed(min(dates), f"{verb} lịch làm việc: {entry.name} ({entry.date:%d/%m/%Y})")
    return entry


def _changed(since: dt.date | None, reason: str) -> None:
    """Tell the apps whose due instants follow the calendar (recomputed after the commit)."""
    calendar_changed.send(sender=CalendarEntry, since=since, reason=reason)


def add_calendar_entry(
    *,
    date: dt.date,
    kind: str,
    name: str,
    document: str = "",
    status: str = EntryStatusChoice.CONFIRMED,
    note: str = "",
    unit: Any = None,
    actor: Any,
    reason: str = "",
    source: str = "",
) -> CalendarEntry:
    """Add a swapped day off, a makeup working day or a unit's local day off."""
    entry = CalendarEntry(
        date=date,
        kind=kind,
        name=name,
        document=document,
        status=status,
        note=note,
        unit=unit,
    )
    return save_calendar_entry(entry, actor=actor, reason=reason, source=source)


_EDITABLE = {"date", "kind", "name", "document", "status", "note", "unit"}


def update_calendar_entry(
    entry: CalendarEntry, *, actor: Any, reason: str = "", source: str = "", **changes: Any
) -> CalendarEntry:
    """Change fields of an overlay entry (e.g. status=confirmed, or kind=working_day)."""
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise CalendarEditError(f"không sửa được trường: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(entry, name, value)
    return save_calendar_entry(entry, actor=actor, reason=reason, source=source)


@transaction.atomic
def delete_calendar_entry(
    entry: CalendarEntry, *, actor: Any, reason: str = "", source: str = ""
) -> None:
    """Remove an overlay entry, logging what it was."""
    current = CalendarEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    _require_reason_for_past([current.date], reason)
    before = snapshot(current)
    pk = current.pk
    current.delete()
    current.pk = pk  # keep the id for the log row
    record_change(
        obj=current,
        action=ChangeAction.DELETE,
        actor=actor,
        before=before,
        source=source,
        reason=reason,
    )
    _changed(current.date, f"xoá khỏi lịch làm việc: {current.name} ({current.date:%d/%m/%Y})")


@transaction.atomic
def save_working_hours(
    hours: WorkingHours, *, actor: Any, reason: str = "", source: str = ""
) -> WorkingHours:
    """Create or update a unit's working hours; they must total 8 hours."""
    try:
        validate_hours(hours.periods)
    except CalendarError as exc:
        raise CalendarEditError(str(exc)) from exc
    try:
        hours.full_clean()
    except ValidationError as exc:
        raise CalendarEditError("; ".join(exc.messages)) from exc
    before = None
    if hours.pk is not None:
        current = WorkingHours.objects.select_for_update(of=("self",)).filter(pk=hours.pk).first()
        before = snapshot(current) if current is not None else None
    hours.save()
    record_change(
        obj=hours,
        action=ChangeAction.UPDATE if before is not None else ChangeAction.CREATE,
        actor=actor,
        before=before,
        after=snapshot(hours),
        source=source,
        reason=reason,
    )
    _changed(None, "sửa giờ làm việc")
    return hours


@transaction.atomic
def delete_working_hours(
    hours: WorkingHours, *, actor: Any, reason: str = "", source: str = ""
) -> None:
    """Remove a working-hours row, logging what it was."""
    before = snapshot(hours)
    pk = hours.pk
    hours.delete()
    hours.pk = pk
    record_change(
        obj=hours,
        action=ChangeAction.DELETE,
        actor=actor,
        before=before,
        source=source,
        reason=reason,
    )
    _changed(None, "xoá giờ làm việc")
