"""Background work on tasks: the reminder and escalation ladder (assignments.md §8).

A ladder is a list of rungs relative to the due date, configurable per issuer
(`ReminderLadder`, else `choices.DEFAULT_LADDER`): 5 working days before → the lead unit's
specialists; 2 before → its leaders; on the due date → its leaders and the tracking office;
3 working days overdue → the issuer's leaders. Due dates are calendar dates as written: a rung
that falls on a day off fires on the preceding working day (before and at the due date) or is
counted in working days after it.

Each rung fires **exactly once** per (obligation, rung, due date): its ledger row
(`TaskReminder`, unique on those keys) is inserted in the same savepoint as the
`task.reminder_sent` event and the notices (`motcua.notices`, sent after the commit), so a
worker that loses the race gets an IntegrityError and skips. A deadline change re-arms the
ladder for the new date; done and cancelled obligations get no reminders; each occurrence of a
recurring task is its own obligation with its own ladder. Obligations without a due date get a
monthly "progress please" reminder instead (rung `progress`, keyed on the month's first day).
Safe to run twice and from two workers at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task as queued_job

from motcua.assignments.choices import DEFAULT_LADDER, Audience, TaskStatus
from motcua.assignments.models import ReminderLadder, Task, TaskEvent, TaskReminder
from motcua.people.choices import Role
from motcua.people.models import Membership
from motcua.workcalendar.engine import WorkCalendar
from motcua.workcalendar.selectors import get_calendar

logger = logging.getLogger(__name__)

REMINDED = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
PROGRESS_RUNG = "progress"
RUNG_TEXT = {
    Audience.SPECIALISTS: "Nhiệm vụ {code} sắp đến hạn ({due})",
    Audience.LEADERS: "Nhiệm vụ {code} sắp đến hạn ({due})",
    Audience.LEADERS_AND_OFFICE: "Nhiệm vụ {code} đến hạn hôm nay ({due})",
    Audience.ISSUER_LEADERS: "Nhiệm vụ {code} đã quá hạn ({due})",
}
PROGRESS_TEXT = "Đề nghị báo cáo tiến độ nhiệm vụ {code} (không có thời hạn cụ thể)"


def ladder_for(issuer_code: str, ladders: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The rungs of an issuer: its own ladder, else the default one (`""` row, else built in)."""
    if issuer_code in ladders:
        return ladders[issuer_code]
    if "" in ladders:
        return ladders[""]
    return [{"code": c, "offset": o, "audience": str(a)} for c, o, a in DEFAULT_LADDER]


def fire_date(cal: WorkCalendar, due: dt.date, offset: int) -> dt.date:
    """The day a rung fires: `offset` working days from the due date (≤ 0: on or before it)."""
    day = due
    if offset <= 0:
        while not cal.is_working_day(day):
            day -= dt.timedelta(days=1)
        for _ in range(-offset):
            day -= dt.timedelta(days=1)
            while not cal.is_working_day(day):
                day -= dt.timedelta(days=1)
        return day
    counted = 0
    while counted < offset:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            counted += 1
    return day


def rung_due(
    cal: WorkCalendar, due: dt.date, rungs: list[dict[str, Any]], today: dt.date
) -> dict[str, Any] | None:
    """The latest rung that has come due by `today` (a later rung supersedes earlier ones)."""
    found = None
    for rung in sorted(rungs, key=lambda r: r["offset"]):
        if fire_date(cal, due, int(rung["offset"])) <= today:
            found = rung
    return found


def _members(unit_ids: Sequence[int | None], roles: tuple[str, ...], day: dt.date) -> list[Any]:
    ids = [i for i in unit_ids if i is not None]
    if not ids:
        return []
    rows = (
        Membership.objects.active_on(day)
        .filter(unit_id__in=ids, role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    seen: dict[int, Any] = {}
    for m in rows:
        seen.setdefault(m.user_id, m.user)
    return list(seen.values())


def recipients(task: Task, audience: str, day: dt.date) -> list[Any]:
    """Who a rung reaches (people with an active membership on `day`).

    Specialists of the lead unit (else its leaders); its leaders; its leaders and the tracking
    office (provincial-office members of the lead's province); the issuer's leaders (the
    issuing unit, or the province's People's Committee for the Government and the PM).
    """
    from motcua.people.scope import current_graph

    lead = task.lead_unit
    leaders = _members([lead.pk], (Role.LEADER,), day)
    if audience == Audience.SPECIALISTS:
        return _members([lead.pk], (Role.SPECIALIST,), day) or leaders
    if audience == Audience.LEADERS:
        return leaders
    graph = current_graph()
    province = graph.root(lead.pk)
    if audience == Audience.LEADERS_AND_OFFICE:
        office = _members(sorted(graph.subtree(province)), (Role.PROVINCIAL_OFFICE,), day)
        known = {u.pk for u in leaders}
        return leaders + [u for u in office if u.pk not in known]
    return _members([task.document.issuer_unit_id or province], (Role.LEADER,), day)


def _fire(task_id: int, rung: dict[str, Any], due: dt.date, now: dt.datetime) -> bool:
    """Fire one rung for one obligation; False when it already fired or the task moved on."""
    from motcua.notices.services import queue_notice

    with transaction.atomic():
        task = (
            Task.objects.select_for_update(of=("self",))
            .select_related("lead_unit", "document")
            .filter(pk=task_id, status__in=REMINDED)
            .first()
        )
        if task is None:
            return False
        if rung["code"] != PROGRESS_RUNG and task.due_on != due:
            return False
        day = timezone.localtime(now).date()
        audience = rung.get("audience", Audience.LEADERS)
        people = recipients(task, audience, day)
        listed = [{"id": u.pk, "username": u.get_username()} for u in people]
        if rung["code"] == PROGRESS_RUNG:
            subject = PROGRESS_TEXT.format(code=task.code)
        else:
            subject = RUNG_TEXT[Audience(audience)].format(code=task.code, due=f"{due:%d/%m/%Y}")
        try:
            with transaction.atomic():
                TaskReminder.objects.create(
                    task=task, rung=rung["code"], due=due, fired_at=now, recipients=listed
                )
                TaskEvent.objects.create(
                    task=task,
                    kind="task.reminder_sent",
                    at=now,
                    actor_name="system",
                    from_status=task.status,
                    to_status=task.status,
                    note=subject,
                    data={
                        "rung": rung["code"],
                        "due": due.isoformat(),
                        "recipients": [r["username"] for r in listed],
                    },
                )
                body = (
                    f"{subject}.\n\nNhiệm vụ: {task.title}\n"
                    f"Văn bản giao: {task.document.number}\n"
                    f"Đơn vị chủ trì: {task.lead_unit.name}\n"
                    f"Thời hạn: {task.deadline_text or '-'}\n"
                )
                for person in people:
                    queue_notice(
                        channel="email",
                        address=person.email,
                        subject=subject,
                        body=body,
                        reference=task.code,
                        topic="task.reminder",
                    )
        except IntegrityError:
            return False
    return True


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Fire every rung that has come due; return how many fired."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    ladders = {row.issuer_code: row.rungs for row in ReminderLadder.objects.all()}
    cal = get_calendar()
    work: list[tuple[int, dict[str, Any], dt.date]] = []
    horizon = today + dt.timedelta(days=31)
    dated = (
        Task.objects.filter(status__in=REMINDED, due_on__isnull=False, due_on__lte=horizon)
        .select_related("document__issuer_unit")
        .order_by("due_on", "pk")
    )
    for task in dated:
        assert task.due_on is not None
        rung = rung_due(cal, task.due_on, ladder_for(task.document.issuer_code, ladders), today)
        if rung is not None:
            work.append((task.pk, rung, task.due_on))
    month = today.replace(day=1)
    undated = Task.objects.filter(
        status__in=REMINDED, due_on__isnull=True, assigned_on__lt=month
    ).exclude(deadline_kind="recurring", occurrences__isnull=False)
    for pk in undated.values_list("pk", flat=True).distinct():
        work.append((pk, {"code": PROGRESS_RUNG, "offset": 0, "audience": Audience.LEADERS}, month))
    if not work:
        return 0
    fired_before = set(
        TaskReminder.objects.filter(task_id__in={w[0] for w in work}).values_list(
            "task_id", "rung", "due"
        )
    )
    fired = 0
    for pk, rung, due in work:
        if (pk, rung["code"], due) in fired_before:
            continue
        if _fire(pk, rung, due, now):
            fired += 1
    return fired


# Queue entry point (motcua/worker/schedule.py enqueues it; `motcua tasks remind` still runs
# the same function from cron). Safe to run twice: a rung fires once (TaskReminder).
@queued_job()
def remind_tasks() -> int:
    """The reminder and escalation ladder of tasks, as a queued job; how many rungs fired."""
    return send_due_reminders()
