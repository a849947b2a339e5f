"""Writes on the task queue made by people: retry a failed job (the admin's "Chạy lại")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.audit.models import ChangeAction
from motcua.audit.services import record_change


class JobRetryError(Exception):
    """A job that cannot be run again (not failed, or its function no longer exists)."""


@transaction.atomic
def retry_failed_job(result: DBTaskResult, *, actor: Any) -> str:
    """Enqueue a new run of failed job `result` with the same arguments; the new run's id.

    The failed row stays as it was (its traceback is history); the retry is in the change log.
    """
    current = DBTaskResult.objects.select_for_update().get(pk=result.pk)
    if current.status != TaskResultStatus.FAILED:
        raise JobRetryError("Chỉ chạy lại được công việc đã thất bại.")
    try:
        task = current.task
    except ImportError:
        raise JobRetryError(f"Không còn công việc {current.task_path}.") from None
    args = current.args_kwargs.get("args", [])
    kwargs = {k: v for k, v in current.args_kwargs.get("kwargs", {}).items() if k != "attempt"}
    new_id = str(task.enqueue(*args, **kwargs).id)
    record_change(
        obj=current,
        action=ChangeAction.UPDATE,
        actor=actor,
        before={"status": current.status},
        after={"retried_as": new_id},
        source="admin",
        reason="chạy lại công việc nền đã thất bại",
    )
    return new_id


def retry_failed_jobs(results: Iterable[DBTaskResult], *, actor: Any) -> tuple[int, int]:
    """Retry every failed job among `results`; (retried, skipped)."""
    retried = skipped = 0
    for result in results:
        try:
            retry_failed_job(result, actor=actor)
        except JobRetryError:
            skipped += 1
        else:
            retried += 1
    return retried, skipped
