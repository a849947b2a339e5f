"""The worker's schedule and the national delivery pass enqueued after a state change."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.conftest import Province
from motcua.national.tests.helpers import dossier_with_rows, procedure_for
from motcua.worker.schedule import SCHEDULE, enqueue_due

pytestmark = pytest.mark.django_db

NATIONAL = "motcua.national.jobs.deliver_national"


@pytest.fixture(autouse=True)
def database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_everything_at_start_then_each_after_its_period_never_twice_waiting(
    settings: Any,
) -> None:
    settings.MOTCUA_NATIONAL_URL = ""  # no portal: no delivery pass is scheduled
    last: dict[str, float] = {}
    enqueue_due(last, 1000.0, SCHEDULE)
    assert queued() == sorted(p.path for p in SCHEDULE if p.path != NATIONAL)

    enqueue_due(last, 1000.0 + 15 * 60, SCHEDULE)  # periods passed, but runs still waiting
    assert len(queued()) == 4

    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    settings.MOTCUA_NATIONAL_URL = "https://dvc.example.vn/api"
    enqueue_due(last, 1000.0 + 30 * 60, SCHEDULE)
    fresh = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    # The 15-minute jobs again; the hourly one not yet; the national pass every minute.
    assert sorted(fresh.values_list("task_path", flat=True)) == [
        "motcua.assignments.jobs.remind_tasks",
        "motcua.feedback.jobs.remind_feedback",
        "motcua.index766.jobs.warn_at_risk",
        NATIONAL,
    ]


def test_state_changes_enqueue_one_delivery_pass_after_the_commit(
    province: Province, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MOTCUA_NATIONAL_URL = "https://dvc.example.vn/api"
    procedure = procedure_for(province)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_with_rows(province, procedure, 1)
        assert DBTaskResult.objects.filter(task_path=NATIONAL).count() == 0  # not yet
    assert DBTaskResult.objects.filter(task_path=NATIONAL).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        dossier_with_rows(province, procedure, 3)  # three more rows
    assert DBTaskResult.objects.filter(task_path=NATIONAL).count() == 1  # one pass is enough


def test_a_calendar_import_enqueues_one_recomputation_from_its_earliest_day(
    django_capture_on_commit_callbacks: Any,
) -> None:
    import datetime as dt

    from motcua.workcalendar.services import add_calendar_entry

    with django_capture_on_commit_callbacks(execute=True):
        for day in (10, 3, 20):
            add_calendar_entry(
                date=dt.date(2030, 3, day), kind="day_off", name=f"Nghỉ {day}", actor="test"
            )
    runs = DBTaskResult.objects.filter(task_path="motcua.dossiers.jobs.recompute_open_dues")
    # 10/03 is enqueued; 03/03 is earlier (not covered): enqueued; 20/03 is covered.
    days = sorted(a["args"][0] for a in runs.values_list("args_kwargs", flat=True))
    assert days == ["2030-03-03", "2030-03-10"]
