"""The task queue in the admin: queued, running, failed and finished jobs; retry a failed one.

django_tasks_db ships a read-only admin for its `DBTaskResult`; it is replaced here by the
same list with Vietnamese column names, the arguments shown and a "Chạy lại" action that goes
through `services.retry_failed_jobs` (a new run with the same arguments, in the change log).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from motcua.worker.services import retry_failed_jobs

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    """Công việc nền: what the worker has to do, is doing, did, and what failed."""

    list_display = (
        "job",
        "status",
        "arguments",
        "enqueued_at",
        "run_after_shown",
        "started_at",
        "finished_at",
        "tries",
    )
    list_filter = ("status", "queue_name", "priority")
    search_fields = ("task_path",)
    actions = ["retry"]

    @admin.display(description=gettext_lazy("công việc"))
    def job(self, obj: DBTaskResult) -> str:
        """The job's function, e.g. national.jobs.deliver_national."""
        return obj.task_path.removeprefix("motcua.")

    @admin.display(description=gettext_lazy("tham số"))
    def arguments(self, obj: DBTaskResult) -> str:
        """Positional and keyword arguments as given (primary keys, dates)."""
        data = obj.args_kwargs or {}
        parts = [repr(a) for a in data.get("args", [])]
        parts += [f"{k}={v!r}" for k, v in data.get("kwargs", {}).items()]
        return ", ".join(parts)[:120]

    @admin.display(description=gettext_lazy("chạy từ"))
    def run_after_shown(self, obj: DBTaskResult) -> Any:
        """When a delayed run (a retry) may start; empty for "now"."""
        return self.display_run_after(obj)

    @admin.display(description=gettext_lazy("số lần chạy"))
    def tries(self, obj: DBTaskResult) -> int:
        """Workers that took this row (more than one: a worker died while running it)."""
        return len(obj.worker_ids or [])

    @admin.action(description=gettext_lazy("Chạy lại các công việc thất bại đã chọn"))
    def retry(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        """Enqueue a new run of each selected failed job with the same arguments."""
        retried, skipped = retry_failed_jobs(queryset, actor=request.user)
        self.message_user(
            request,
            _("Đã đưa %(n)d công việc vào hàng đợi để chạy lại.") % {"n": retried},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                _("%(n)d công việc không chạy lại được (chưa thất bại).") % {"n": skipped},
                messages.WARNING,
            )
