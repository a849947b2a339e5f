from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """Công việc nền — the task queue's worker, schedule and admin (no models of its own)."""

    name = "motcua.worker"
    label = "worker"
    verbose_name = "Công việc nền"
