"""django_tasks_db's app config under a Vietnamese name (INSTALLED_APPS names this class)."""

from django_tasks_db.apps import TasksAppConfig


class QueueStoreConfig(TasksAppConfig):
    """The table of jobs (the queue itself), shown in the admin as "Hàng đợi công việc nền"."""

    verbose_name = "Hàng đợi công việc nền"

    def ready(self) -> None:
        """Name the job rows in Vietnamese in the admin, then the package's own set-up."""
        from django_tasks_db.models import DBTaskResult

        DBTaskResult._meta.verbose_name = "công việc nền"
        DBTaskResult._meta.verbose_name_plural = "công việc nền"
        super().ready()
