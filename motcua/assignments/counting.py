"""How an obligation is counted in a period (assignments.md §9; issue 13): pure, no database.

With [F, T] the period's days, a task is **in scope** (`active`, the default view) when it was
assigned on or before T and was neither confirmed done nor cancelled before F; in the
`assigned` view when it was assigned within [F, T]. Its **class** is its status at the end of T,
read from its dates (never from the current status, so a past period stays as it was):

1. cancelled on or before T → `cancelled`;
2. confirmed done on or before T → `done_on_time` when the completion report's date is on or
   before the due date in force then (or the task has no due date), else `done_late`;
3. completion reported on or before T, not confirmed by T → `reported_done`;
4. otherwise `no_deadline` without a due date, `overdue` when the due date in force at T is
   before T, else `in_progress_not_due`.

Every task in scope falls in exactly one class, so the classes add up to `in_scope`.
A returned completion report clears the report date (the clock runs on): a period that ended
while it was awaiting confirmation is then read as in progress — the timeline keeps the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.assignments.deadlines import due_in_force

ACTIVE_VIEW = "active"
ASSIGNED_VIEW = "assigned"
VIEWS = (ACTIVE_VIEW, ASSIGNED_VIEW)
CLASSES = (
    "done_on_time",
    "done_late",
    "reported_done",
    "in_progress_not_due",
    "overdue",
    "no_deadline",
    "cancelled",
)
DONE_CLASSES = frozenset({"done_on_time", "done_late"})


@dataclass(frozen=True)
class TaskDates:
    """What counting needs of one obligation."""

    pk: int
    assigned_on: dt.date
    original_due: dt.date | None
    reported_done_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    cancelled_on: dt.date | None = None
    changes: tuple[tuple[dt.date, dt.date], ...] = ()  # (decided_on, new_due) extensions


def in_scope(task: TaskDates, first: dt.date, last: dt.date, view: str = ACTIVE_VIEW) -> bool:
    """Whether the task counts in the period [first, last] in `view`."""
    if view == ASSIGNED_VIEW:
        return first <= task.assigned_on <= last
    if task.assigned_on > last:
        return False
    if task.confirmed_on is not None and task.confirmed_on < first:
        return False
    return not (task.cancelled_on is not None and task.cancelled_on < first)


def due_at(task: TaskDates, day: dt.date) -> dt.date | None:
    """The due date in force on `day` for an open task (every extension decided by then)."""
    due = task.original_due
    for decided_on, new_due in sorted(task.changes):
        if decided_on <= day:
            due = new_due
    return due


def classify(task: TaskDates, last: dt.date) -> str:
    """The task's class at the end of `last` (rules 1–4 of the module text)."""
    if task.cancelled_on is not None and task.cancelled_on <= last:
        return "cancelled"
    if task.confirmed_on is not None and task.confirmed_on <= last:
        completed = task.reported_done_on or task.confirmed_on
        due = due_in_force(task.original_due, list(task.changes), completed)
        return "done_on_time" if due is None or completed <= due else "done_late"
    if task.reported_done_on is not None and task.reported_done_on <= last:
        return "reported_done"
    due = due_at(task, last)
    if due is None:
        return "no_deadline"
    return "overdue" if due < last else "in_progress_not_due"


def due_by_end(task: TaskDates, last: dt.date) -> bool:
    """Whether the task had a due date on or before `last` (the completion rate's base)."""
    due = due_at(task, last)
    return due is not None and due <= last
