"""Reads of tasks: the scoped list (overdue first), one task, a unit's obligations, the board."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.http import Http404

from motcua.assignments.choices import OPEN_STATUSES, TaskStatus
from motcua.assignments.models import Task
from motcua.people.models import Membership

BOARD_COLUMNS = ("not_started", "in_progress", "overdue", "reported_done", "done", "cancelled")


def visible_tasks(user: Any) -> QuerySet[Task]:
    """The tasks `user` may see, with what a list shows."""
    return Task.objects.visible_to(user).select_related(
        "document", "document__issuer_unit", "lead_unit"
    )


def overdue_first(qs: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    """Overdue obligations first (earliest due date first), then the others by due date."""
    late = Q(status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.REPORTED_DONE])
    return qs.annotate(
        late=Case(
            When(late & Q(due_on__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by("-late", F("due_on").asc(nulls_last=True), "code")


def get_task(user: Any, code: str) -> Task:
    """One task the user may see; 404 outside the scope, exactly like a missing one."""
    task = visible_tasks(user).filter(code=code).first()
    if task is None:
        raise Http404(code)
    return task


def my_units(user: Any, today: dt.date) -> list[int]:
    """Ids of the units where the user holds a membership today."""
    return list(
        Membership.objects.filter(user_id=user.pk)
        .active_on(today)
        .values_list("unit_id", flat=True)
    )


@dataclass
class BoardRow:
    """One lead unit's obligations by status (today), as a leader reads seed 000's paragraph."""

    code: str
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BOARD_COLUMNS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def board(user: Any, today: dt.date) -> tuple[list[BoardRow], BoardRow]:
    """Rows per lead unit and the total: overdue is derived from the due date, never stored."""
    rows: dict[int, BoardRow] = {}
    total = BoardRow("", "")
    values = visible_tasks(user).values_list(
        "lead_unit_id", "lead_unit__code", "lead_unit__name", "status", "due_on"
    )
    for unit_id, code, name, status, due in values:
        key = status
        if status in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS) and due and due < today:
            key = "overdue"
        row = rows.setdefault(unit_id, BoardRow(code, name))
        row.counts[key] += 1
        total.counts[key] += 1
    ordered = sorted(rows.values(), key=lambda r: (-r.counts["overdue"], r.code))
    return ordered, total


def group_summary(task: Task) -> dict[str, Any] | None:
    """A broadcast's summary ("27 of 31 units done") and a parent's children by status."""
    if not task.group_code:
        return None
    counts: dict[str, int] = defaultdict(int)
    for status in Task.objects.filter(group_code=task.group_code).values_list("status", flat=True):
        counts[status] += 1
    return {"total": sum(counts.values()), "done": counts[TaskStatus.DONE]}


def children_summary(task: Task, today: dt.date) -> dict[str, Any]:
    """Roll-up on the parent: children by status and how many are overdue."""
    children = list(task.children.all())
    counts: dict[str, int] = defaultdict(int)
    overdue = 0
    for child in children:
        counts[child.status] += 1
        overdue += child.status in OPEN_STATUSES and bool(child.due_on and child.due_on < today)
    return {"total": len(children), "by_status": dict(counts), "overdue": overdue}
