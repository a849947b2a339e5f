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

# The package ships no Vietnamese catalogue (and motcua/locale is generated after merge):
# the statuses the admin shows are named here.
STATUS_NAMES = {
    "READY": gettext_lazy("Chờ chạy"),
    "RUNNING": gettext_lazy("Đang chạy"),
    "FAILED": gettext_lazy("Thất bại"),
    "SUCCESSFUL": gettext_lazy("Đã xong"),
}

# What each job does, as the administrator reads it (an unknown job shows its path).
JOB_NAMES = {
    "motcua.notices.jobs.deliver_notice": gettext_lazy("Gửi thông báo"),
    "motcua.national.jobs.deliver_national": gettext_lazy("Gửi lên Cổng Dịch vụ công quốc gia"),
    "motcua.dossiers.jobs.recompute_open_dues": gettext_lazy(
        "Tính lại hạn hồ sơ theo lịch làm việc"
    ),
    "motcua.feedback.jobs.remind_feedback": gettext_lazy("Nhắc hạn phản ánh, kiến nghị"),
    "motcua.feedback.jobs.close_feedback_due": gettext_lazy("Đóng phản ánh hết hạn đánh giá"),
    "motcua.assignments.jobs.remind_tasks": gettext_lazy("Nhắc hạn nhiệm vụ được giao"),
    "motcua.index766.jobs.warn_at_risk": gettext_lazy("Cảnh báo hồ sơ sắp quá hạn"),
}


class StatusFilter(admin.SimpleListFilter):
    """Filter by status, in Vietnamese."""

    title = gettext_lazy("trạng thái")
    parameter_name = "trang_thai"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        """The four statuses of a job."""
        return list(STATUS_NAMES.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Jobs in the chosen status."""
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    """Công việc nền: what the worker has to do, is doing, did, and what failed."""

    list_display = (
        "job",
        "state",
        "arguments",
        "enqueued",
        "run_after_shown",
        "started",
        "finished",
        "tries",
    )
    list_filter = (StatusFilter,)  # type: ignore[assignment]
    search_fields = ("task_path",)
    actions = ["retry"]
    shown = (
        "job",
        "state",
        "arguments",
        "enqueued",
        "run_after_shown",
        "started",
        "finished",
        "tries",
        "result",
        "error",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        """Every field read-only, under a Vietnamese name."""
        return list(self.shown)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        """The detail page shows the same, plus the result or the error."""
        return list(self.shown)

    @admin.display(description=gettext_lazy("trạng thái"), ordering="status")
    def state(self, obj: DBTaskResult) -> str:
        """Chờ chạy, Đang chạy, Thất bại, Đã xong."""
        return str(STATUS_NAMES.get(obj.status, obj.status))

    @admin.display(description=gettext_lazy("vào hàng đợi lúc"), ordering="enqueued_at")
    def enqueued(self, obj: DBTaskResult) -> Any:
        """When the job was enqueued."""
        return obj.enqueued_at

    @admin.display(description=gettext_lazy("bắt đầu lúc"), ordering="started_at")
    def started(self, obj: DBTaskResult) -> Any:
        """When a worker took it (last time)."""
        return obj.started_at

    @admin.display(description=gettext_lazy("kết thúc lúc"), ordering="finished_at")
    def finished(self, obj: DBTaskResult) -> Any:
        """When it finished, successfully or not."""
        return obj.finished_at

    @admin.display(description=gettext_lazy("kết quả"))
    def result(self, obj: DBTaskResult) -> str:
        """What the job returned (counts, True/False)."""
        return "" if obj.return_value is None else repr(obj.return_value)

    @admin.display(description=gettext_lazy("lỗi"))
    def error(self, obj: DBTaskResult) -> str:
        """The exception's traceback of a failed run."""
        return self.formatted_traceback(obj)

    @admin.display(description=gettext_lazy("công việc"))
    def job(self, obj: DBTaskResult) -> str:
        """What the job does, e.g. "Gửi thông báo"."""
        return str(JOB_NAMES.get(obj.task_path, obj.task_path))

    @admin.display(description=gettext_lazy("tham số"))
    def arguments(self, obj: DBTaskResult) -> str:
        """Positional and keyword arguments as given (primary keys, dates)."""
        data = obj.args_kwargs or {}
        parts = [str(a) for a in data.get("args", []) if a is not None]
        for name, value in data.get("kwargs", {}).items():
            parts.append(_("lần thử %(n)s") % {"n": value} if name == "attempt" else str(value))
        return "; ".join(parts)[:160]

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
        if retried:
            self.message_user(
                request,
                _("Đã đưa %(n)d công việc vào hàng đợi để chạy lại.") % {"n": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _("%(n)d công việc không chạy lại được: chỉ chạy lại được công việc thất bại.")
                % {"n": skipped},
                messages.WARNING,
            )
