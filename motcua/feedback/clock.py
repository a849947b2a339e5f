"""The feedback clock: the 766 deadlines of an item, counted on the working calendar.

All limits run in working days from the unit's receipt (a transfer counts as a new receipt,
feedback.md §5) with `motcua.workcalendar.engine.compute_due` and the calendar of the handling
unit. The 15-day clock is computed twice, without and with the time spent waiting for the
sender's supplement, until the rule is confirmed. Nothing here writes; services cache the
results on the row.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from motcua.workcalendar.engine import (
    DAY_MINUTES,
    MAX_WALK_DAYS,
    CalendarError,
    DueResult,
    TimeUnit,
    WorkCalendar,
    compute_due,
    to_local,
)
from motcua.workcalendar.selectors import get_calendar

if TYPE_CHECKING:
    from motcua.feedback.models import Feedback

REFUSE_DAYS = 2
SUPPLEMENT_DAYS = 5
HANDLE_DAYS = 15
PUBLISH_DAYS = 2

DEADLINE_FIELDS = (
    "refuse_due",
    "supplement_due",
    "handle_due",
    "handle_due_paused",
    "norm_due",
    "publish_due",
)


def _due(
    cal: WorkCalendar,
    start: dt.datetime,
    amount: int,
    unit: str = TimeUnit.WORKING_DAYS,
    pauses: list[tuple[dt.datetime, dt.datetime | None]] | None = None,
    explain: bool = False,
) -> DueResult:
    return compute_due(cal, start, amount, unit, pauses=pauses or (), explain=explain)


def norm_limit(category: Any) -> tuple[int, str] | None:
    """The category's service norm as (amount, time unit), capped at the 15-day ceiling."""
    if category is None or not category.norm_days:
        return None
    if category.norm_calendar_days:
        return category.norm_days, TimeUnit.CALENDAR_DAYS
    return min(category.norm_days, HANDLE_DAYS), TimeUnit.WORKING_DAYS


def feedback_pauses(feedback: Feedback) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The item's supplement waits as (opened, closed or None) pairs, oldest first."""
    if feedback.pk is None:
        return []
    return [(p.opened_at, p.closed_at) for p in feedback.pauses.all()]


def feedback_deadlines(
    feedback: Feedback,
    *,
    calendar: WorkCalendar | None = None,
    pauses: list[tuple[dt.datetime, dt.datetime | None]] | None = None,
) -> dict[str, dt.datetime | None]:
    """The six cached due instants of an item (feedback.md §5).

    `refuse_due` (2 wd), `supplement_due` (5 wd) and `handle_due` (15 wd) run from the receipt
    at the handling unit; `handle_due_paused` is the 15-day clock with the supplement waits
    paused (None while the sender is being waited for); `norm_due` is the category's norm,
    never later than `handle_due` (the 15-day limit when the category has no norm);
    `publish_due` runs 2 wd from the approval of the answer (`resolved_at`).
    """
    cal = calendar or get_calendar(feedback.unit)
    start = feedback.received_at
    waits = feedback_pauses(feedback) if pauses is None else pauses
    handle = _due(cal, start, HANDLE_DAYS).statutory_due
    assert handle is not None
    norm: dt.datetime | None = handle
    limit = norm_limit(feedback.category)
    if limit is not None:
        amount, unit = limit
        computed = _due(cal, start, amount, unit).statutory_due
        if computed is not None and computed < handle:
            norm = computed
    publish = None
    if feedback.resolved_at is not None:
        publish = _due(cal, feedback.resolved_at, PUBLISH_DAYS).statutory_due
    return {
        "refuse_due": _due(cal, start, REFUSE_DAYS).statutory_due,
        "supplement_due": _due(cal, start, SUPPLEMENT_DAYS).statutory_due,
        "handle_due": handle,
        "handle_due_paused": _due(cal, start, HANDLE_DAYS, pauses=waits).statutory_due,
        "norm_due": norm,
        "publish_due": publish,
    }


def explain_deadline(feedback: Feedback, which: str = "handle_due") -> list[str]:
    """Why a due instant of the item is what it is: the engine's day-by-day explanation."""
    cal = get_calendar(feedback.unit)
    if which == "publish_due":
        if feedback.resolved_at is None:
            return []
        return _due(cal, feedback.resolved_at, PUBLISH_DAYS, explain=True).explanation
    if which == "norm_due":
        limit = norm_limit(feedback.category)
        if limit is not None:
            return _due(cal, feedback.received_at, limit[0], limit[1], explain=True).explanation
        which = "handle_due"
    amounts = {
        "refuse_due": REFUSE_DAYS,
        "supplement_due": SUPPLEMENT_DAYS,
        "handle_due": HANDLE_DAYS,
        "handle_due_paused": HANDLE_DAYS,
    }
    if which not in amounts:
        raise ValueError(f"unknown deadline {which!r}")
    pauses = feedback_pauses(feedback) if which == "handle_due_paused" else []
    return _due(cal, feedback.received_at, amounts[which], pauses=pauses, explain=True).explanation


def reminder_due(feedback: Feedback) -> dt.datetime | None:
    """The instant reminders count from: the category norm, else the 15-day limit."""
    return feedback.norm_due or feedback.handle_due


def subtract_working(cal: WorkCalendar, instant: dt.datetime, minutes: int) -> dt.datetime:
    """The latest instant from which `minutes` working minutes end exactly at `instant`.

    The mirror of `WorkCalendar.add_working`: 2 working days before Tue 10:00 is the
    preceding Friday 10:00 (weekends, holidays and swapped days skipped the same way).
    """
    if minutes < 0:
        raise CalendarError("minutes must not be negative")
    t = to_local(instant)
    if minutes == 0:
        return t
    day = t.date()
    for _ in range(MAX_WALK_DAYS * 10):
        for start, end in reversed(cal.periods(day)):
            hi = min(end, t)
            if hi <= start:
                continue
            available = int((hi - start).total_seconds()) // 60
            if minutes <= available:
                return hi - dt.timedelta(minutes=minutes)
            minutes -= available
        day -= dt.timedelta(days=1)
    raise CalendarError("working-time walk did not end")


def working_days_before(cal: WorkCalendar, instant: dt.datetime, days: int) -> dt.datetime:
    """`days` working days (8 h each) before `instant`."""
    return subtract_working(cal, instant, days * DAY_MINUTES)


def working_days_after(cal: WorkCalendar, instant: dt.datetime, days: int) -> dt.datetime:
    """`days` working days (8 h each) after `instant`."""
    return cal.add_working(cal.snap(instant), days * DAY_MINUTES)
