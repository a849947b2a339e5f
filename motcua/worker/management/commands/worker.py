"""`motcua worker`: run background jobs from the database queue (django_tasks_db's worker).

    motcua worker                    every queue, with the schedule (reminders, national sync)
    motcua worker --no-schedule      jobs only (a second worker, or the schedule from cron)
    motcua worker --batch            run what is due, then exit

Run it beside the web server (docs/installation.md): as many workers as you like; a job is
taken by one worker only (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive
transaction on SQLite). Stop it with SIGTERM: it finishes the job it is running, then exits.
Exit status 2 when the settings run jobs in the web process (MOTCUA_TASKS_BACKEND=immediate).
"""

from __future__ import annotations

import argparse
from typing import Any

from django_tasks import InvalidTaskBackendError, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.worker.schedule import Scheduler


class Command(MotcuaCommand, DbWorkerCommand):
    """Chạy công việc nền — run background jobs (wraps django_tasks_db's db_worker)."""

    help = "Chạy công việc nền (background worker): motcua worker [--no-schedule] [--batch]"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """db_worker's options (every queue, no reload by default) and the schedule's."""
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)
        for action in parser._actions:
            if action.dest == "backend_name":
                action.type = str  # checked in handle, with a message in Vietnamese
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="do not enqueue the periodic jobs (reminders, national sync sweep)",
        )
        parser.add_argument(
            "--tick", type=float, default=30.0, help="seconds between schedule checks (30)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Refuse the immediate backend, start the schedule thread, then db_worker's loop."""
        name = options.get("backend_name") or "default"
        try:
            backend = task_backends[name]
        except InvalidTaskBackendError:
            raise CommandFailure(f"--backend {name}: không có trong TASKS", code=2) from None
        if not isinstance(backend, DatabaseBackend):
            raise CommandFailure(
                "MOTCUA_TASKS_BACKEND=immediate: công việc chạy ngay trong tiến trình web, "
                "không cần worker (đặt MOTCUA_TASKS_BACKEND=database để dùng hàng đợi)",
                code=2,
            )
        tick = options.pop("tick")
        if tick <= 0:
            raise CommandFailure(f"--tick {tick:g}: phải lớn hơn 0", code=2)
        scheduler = None
        if not options.pop("no_schedule") and not options.get("batch"):
            scheduler = Scheduler(tick)
            scheduler.start()
        try:
            super().handle(*args, **options)
        finally:
            if scheduler is not None:
                scheduler.stopped.set()
