"""Task statistics — thống kê nhiệm vụ được giao (assignments.md §9, issue 13).

`motcua stats tasks --period 2023-Q3 --unit DT [--view active|assigned] [--by …]` and
`GET /api/v1/stats/tasks/` print the same object:

    {"in_scope", "done_on_time", "done_late", "reported_done", "in_progress_not_due",
     "overdue", "no_deadline", "cancelled", "completion_rate", "on_time_rate"}

Scope and classes are `motcua.assignments.counting` (written once). A unit's figures count the
obligations whose lead unit is in its subtree (the units of a code in a period are the
dossiers', `scope_of`). `completion_rate` = tasks in scope with a due date on or before T that
are confirmed done ÷ tasks in scope with a due date on or before T (cancelled excluded);
`on_time_rate` = done on time ÷ done; both `figures.rate` (half-up, 2 decimals, 0 on zero).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from motcua.assignments.choices import Authority
from motcua.assignments.counting import (
    ACTIVE_VIEW,
    CLASSES,
    DONE_CLASSES,
    TaskDates,
    classify,
    due_by_end,
    in_scope,
)
from motcua.assignments.models import DeadlineChange, Task
from motcua.lib.periods import Period
from motcua.stats.figures import rate
from motcua.stats.selectors import StatsError, scope_of
from motcua.units.models import Unit

BREAKDOWNS = ("unit", "issuer", "document")


@dataclass
class TaskFigures:
    """The counts of one group of tasks."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    due_total: int = 0
    due_done: int = 0

    def add(self, cls: str, due: bool) -> None:
        self.counts[cls] += 1
        if due and cls != "cancelled":
            self.due_total += 1
            if cls in DONE_CLASSES:
                self.due_done += 1

    @property
    def in_scope(self) -> int:
        return sum(self.counts.values())

    def as_json(self) -> dict[str, Any]:
        done = self.counts["done_on_time"] + self.counts["done_late"]
        return {
            "in_scope": self.in_scope,
            **self.counts,
            "completion_rate": rate(self.due_done, self.due_total),
            "on_time_rate": rate(self.counts["done_on_time"], done),
        }


@dataclass
class TaskStatistics:
    """Figures of a unit for a period, with optional rows."""

    unit: Unit
    period: Period
    view: str
    total: TaskFigures
    by: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = self.total.as_json()
        if self.by:
            data["rows"] = self.rows
        return data


def _dates(rows: list[dict[str, Any]]) -> list[TaskDates]:
    changes: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    ids = [r["pk"] for r in rows]
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for task_id, decided, new in DeadlineChange.objects.filter(task_id__in=chunk).values_list(
            "task_id", "decided_on", "new_due"
        ):
            changes[task_id].append((decided, new))
    return [
        TaskDates(
            pk=r["pk"],
            assigned_on=r["assigned_on"],
            original_due=r["original_due"],
            reported_done_on=r["reported_done_on"],
            confirmed_on=r["confirmed_on"],
            cancelled_on=r["cancelled_on"],
            changes=tuple(changes.get(r["pk"], ())),
        )
        for r in rows
    ]


def _issuer(row: dict[str, Any]) -> str:
    return row["document__issuer_authority"] or row["document__issuer_unit__code"] or ""


def counted_tasks(
    *, code: str, period: Period, view: str = ACTIVE_VIEW, issuers: tuple[str, ...] = ()
) -> tuple[Unit, list[tuple[dict[str, Any], str, bool]]]:
    """(the labelled unit, [(row, class, due by period end)]) for the tasks in scope."""
    scope = scope_of(code, period)
    qs = Task.objects.filter(lead_unit_id__in=scope.ids, assigned_on__lte=period.last)
    if issuers:
        units = [i for i in issuers if i not in Authority.values]
        auth = [i for i in issuers if i in Authority.values]
        qs = qs.filter(
            Q(document__issuer_authority__in=auth) | Q(document__issuer_unit__code__in=units)
        )
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in qs.values(
            "pk",
            "code",
            "assigned_on",
            "original_due",
            "reported_done_on",
            "confirmed_on",
            "cancelled_on",
            "lead_unit__code",
            "lead_unit__name",
            "document__number",
            "document__issuer_authority",
            "document__issuer_unit__code",
        ).order_by("pk")
    ]
    result = []
    for row, dates in zip(rows, _dates(rows), strict=True):
        if not in_scope(dates, period.first, period.last, view):
            continue
        result.append((row, classify(dates, period.last), due_by_end(dates, period.last)))
    return scope.unit, result


def task_statistics(
    *,
    code: str,
    period: Period,
    view: str = ACTIVE_VIEW,
    by: str | None = None,
    issuers: tuple[str, ...] = (),
) -> TaskStatistics:
    """The figures of unit `code` (with its subtree) for `period`."""
    if by is not None and by not in BREAKDOWNS:
        raise StatsError(f"by {by!r}: use one of {', '.join(BREAKDOWNS)}")
    unit, counted = counted_tasks(code=code, period=period, view=view, issuers=issuers)
    total = TaskFigures()
    groups: dict[str, TaskFigures] = defaultdict(TaskFigures)
    names: dict[str, str] = {}
    for row, cls, due in counted:
        total.add(cls, due)
        if by == "unit":
            key, names[row["lead_unit__code"]] = row["lead_unit__code"], row["lead_unit__name"]
        elif by == "issuer":
            key = _issuer(row)
        elif by == "document":
            key = row["document__number"]
        else:
            continue
        groups[key].add(cls, due)
    rows = [
        {by: key, **({"name": names[key]} if by == "unit" else {}), **fig.as_json()}
        for key, fig in sorted(groups.items())
    ]
    return TaskStatistics(unit, period, view, total, by, rows)


def tasks_of_class(
    *,
    code: str,
    period: Period,
    cls: str,
    view: str = ACTIVE_VIEW,
    issuers: tuple[str, ...] = (),
) -> list[int]:
    """The ids of the tasks a figure counts (click-through): its length equals the figure."""
    _unit, counted = counted_tasks(code=code, period=period, view=view, issuers=issuers)
    if cls == "in_scope":
        return [row["pk"] for row, _c, _d in counted]
    return [row["pk"] for row, c, _d in counted if c == cls]


LABELS = {
    "in_scope": "Tổng số nhiệm vụ trong kỳ",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "reported_done": "Đã báo cáo hoàn thành, chờ xác nhận",
    "in_progress_not_due": "Đang thực hiện, chưa đến hạn",
    "overdue": "Quá hạn chưa hoàn thành",
    "no_deadline": "Không có thời hạn",
    "cancelled": "Hủy, không thực hiện",
    "completion_rate": "Tỷ lệ hoàn thành (%)",
    "on_time_rate": "Tỷ lệ đúng hạn (%)",
}


def as_table(stats: TaskStatistics) -> str:
    """A plain text table of the figures (and rows)."""
    data = stats.total.as_json()
    view = "đang thực hiện trong kỳ" if stats.view == ACTIVE_VIEW else "được giao trong kỳ"
    lines = [f"{stats.unit.name} — {stats.period.label} — nhiệm vụ {view}"]
    lines += [f"{LABELS[k]:<40} {v}" for k, v in data.items()]
    for row in stats.rows:
        key = row.get(stats.by or "", "")
        lines.append(f"{key}: " + ", ".join(f"{k}={row[k]}" for k in data))
    return "\n".join(lines) + "\n"
