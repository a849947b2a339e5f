"""The reminder ladder: rungs per issuer, exactly once per (obligation, rung, due date), re-armed
by an extension, none for finished tasks, occurrences with their own ladders, two workers."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from motcua.assignments.jobs import fire_date, send_due_reminders
from motcua.assignments.jobs import send_due_reminders as send
from motcua.assignments.models import ReminderLadder, Task, TaskEvent, TaskReminder
from motcua.assignments.services import (
    assign_task,
    create_document,
    create_occurrence,
    extend_deadline,
    report_completion,
)
from motcua.conftest import make_user, run_in_threads
from motcua.notices.choices import NoticeState
from motcua.notices.models import Notice
from motcua.notices.services import send_notice
from motcua.people.choices import Role
from motcua.workcalendar.engine import WorkCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=TZ)


@pytest.fixture
def staff(province: Any) -> dict[str, Any]:
    return {
        "spec": make_user("spec", (province.office, Role.SPECIALIST), email="spec@vp.vn"),
        "boss": make_user("boss", (province.office, Role.LEADER), email="boss@vp.vn"),
        "chair": make_user("chair", (province.old, Role.LEADER), email="chair@dt.vn"),
        "tracker": make_user("tracker", (province.office, Role.PROVINCIAL_OFFICE), email="t@vp.vn"),
    }


def make_task(province: Any, code: str = "R1", text: str = "chậm nhất ngày 15/12/2024") -> Task:
    doc = create_document(
        number=f"{code}/CĐ-TTg", issued_on=dt.date(2024, 10, 15), issuer_authority="TTg", actor=None
    )
    return assign_task(
        document=doc,
        code=code,
        title="Kết nối dữ liệu",
        lead_unit=province.office,
        deadline_text=text,
        actor=None,
    )


def fired(task: Task) -> list[tuple[str, dt.date]]:
    return list(TaskReminder.objects.filter(task=task).order_by("id").values_list("rung", "due"))


def test_rung_days_on_a_sunday_due_date() -> None:
    cal = WorkCalendar()
    due = dt.date(2024, 12, 15)  # a Sunday: not moved; reminders fire on the working day before
    assert fire_date(cal, due, 0) == dt.date(2024, 12, 13)
    assert fire_date(cal, due, -2) == dt.date(2024, 12, 11)
    assert fire_date(cal, due, -5) == dt.date(2024, 12, 6)
    assert fire_date(cal, due, 3) == dt.date(2024, 12, 18)


def test_each_rung_fires_once_and_reaches_its_audience(
    province: Any, staff: dict, django_capture_on_commit_callbacks: Any
) -> None:
    task = make_task(province)

    def send_due_reminders(now: dt.datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send(now=now)

    assert send_due_reminders(now=at(2024, 12, 5)) == 0
    assert send_due_reminders(now=at(2024, 12, 6)) == 1
    assert send_due_reminders(now=at(2024, 12, 6, 15)) == 0  # same day, already fired
    assert send_due_reminders(now=at(2024, 12, 11)) == 1
    assert send_due_reminders(now=at(2024, 12, 13)) == 1
    assert send_due_reminders(now=at(2024, 12, 18)) == 1
    assert send_due_reminders(now=at(2024, 12, 19)) == 0
    due = dt.date(2024, 12, 15)
    assert fired(task) == [
        ("before_5", due),
        ("before_2", due),
        ("at_due", due),
        ("overdue_3", due),
    ]
    ledger = {r.rung: [p["username"] for p in r.recipients] for r in TaskReminder.objects.all()}
    assert ledger == {
        "before_5": ["spec"],
        "before_2": ["boss"],
        "at_due": ["boss", "tracker"],
        "overdue_3": ["chair"],  # the Prime Minister's task: the province's leaders
    }
    assert TaskEvent.objects.filter(task=task, kind="task.reminder_sent").count() == 4
    assert Notice.objects.filter(reference="R1", topic="task.reminder").count() == 5
    assert len(mail.outbox) == 5


def test_an_extension_rearms_the_ladder_and_done_tasks_get_none(province: Any, staff: dict) -> None:
    task = make_task(province)
    other = make_task(province, "R2")
    assert send_due_reminders(now=at(2024, 12, 13)) == 2  # at_due supersedes the earlier rungs
    extend_deadline(
        task=task,
        new_due=dt.date(2024, 12, 31),
        document="9/VPCP-KSTT",
        decided_on=dt.date(2024, 12, 13),
        actor=None,
    )
    report_completion(
        task=other,
        text="Xong",
        evidence="Báo cáo 1/BC",
        reported_on=dt.date(2024, 12, 13),
        actor=None,
    )
    assert send_due_reminders(now=at(2024, 12, 31)) == 1
    assert fired(task) == [("at_due", dt.date(2024, 12, 15)), ("at_due", dt.date(2024, 12, 31))]
    assert fired(other) == [("at_due", dt.date(2024, 12, 15))]


def test_per_issuer_ladder(province: Any, staff: dict) -> None:
    ReminderLadder.objects.create(
        issuer_code="TTg", rungs=[{"code": "week", "offset": -10, "audience": "leaders"}]
    )
    task = make_task(province)
    assert send_due_reminders(now=at(2024, 12, 2)) == 1
    assert fired(task) == [("week", dt.date(2024, 12, 15))]
    assert send_due_reminders(now=at(2024, 12, 20)) == 0


def test_occurrences_have_their_own_ladder_and_undated_tasks_a_monthly_one(
    province: Any, staff: dict
) -> None:
    series = make_task(province, "M", "báo cáo tháng trước ngày 20")
    jan = create_occurrence(series=series, period_end=dt.date(2024, 12, 31), actor=None)
    feb = create_occurrence(series=series, period_end=dt.date(2025, 1, 31), actor=None)
    cont = make_task(province, "C", "thường xuyên")
    assert send_due_reminders(now=at(2025, 1, 17)) == 2  # jan's at_due (19/01 is a Sunday) + cont
    assert fired(jan) == [("at_due", dt.date(2025, 1, 19))]
    assert fired(cont) == [("progress", dt.date(2025, 1, 1))]
    assert fired(series) == [] and fired(feb) == []
    assert send_due_reminders(now=at(2025, 2, 19)) == 3  # feb at_due, jan overdue, cont February
    assert fired(feb) == [("at_due", dt.date(2025, 2, 19))]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_fire_each_rung_once(province: Any, staff: dict) -> None:
    tasks = [make_task(province, f"W{i}") for i in range(4)]
    mail.outbox = []

    def work(_i: int) -> int:
        total = 0
        for _attempt in range(60):
            try:
                return total + send_due_reminders(now=at(2024, 12, 13))
            except Exception as exc:
                # The in-memory SQLite test database answers "table is locked" instead of
                # waiting; PostgreSQL waits. The job is safe to run again.
                if "locked" not in str(exc):
                    raise
                time.sleep(0.05)
        raise AssertionError("could not write")

    results = run_in_threads(2, work)
    assert all(isinstance(r, int) for r in results), results
    assert TaskReminder.objects.count() == 4
    for task in tasks:
        assert fired(task) == [("at_due", dt.date(2024, 12, 15))]
        assert TaskEvent.objects.filter(task=task, kind="task.reminder_sent").count() == 1
        assert Notice.objects.filter(reference=task.code).count() == 2  # boss and tracker
    # On the in-memory SQLite test database a sending after commit can meet "table is
    # locked" (the worker then retries): its notice stays pending, or is sent but not marked
    # sent. The outbox sends what is pending later. The ladder itself wrote each notice once
    # (above); on PostgreSQL, which waits for locks, each also leaves exactly once.
    for pk in Notice.objects.filter(state=NoticeState.PENDING).values_list("pk", flat=True):
        send_notice(pk)
    assert Notice.objects.filter(state=NoticeState.SENT).count() == 8
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 8
    if connection.vendor == "postgresql":
        assert len(mail.outbox) == 8
    assert send_due_reminders(now=at(2024, 12, 13)) == 0
