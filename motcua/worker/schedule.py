"""The worker's schedule: periodic jobs enqueued by `motcua worker` (docs/architecture.md).

Each entry is a job and how often it runs. A scheduler thread in every worker enqueues an
entry when its period has passed and no run of it is already waiting, and enqueues every
entry once at start-up — so a worker restarted after a crash sweeps at once (the national
outbox rows a dead worker held go again when their lease ends). Two workers may both enqueue
an entry now and then: every periodic job is safe to run twice.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, close_old_connections
from django.utils.module_loading import import_string

from motcua.lib.jobqueue import has_waiting

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    """One scheduled job: dotted path of the task and its period in seconds."""

    path: str
    every: float
    only_if: str = ""  # dotted path of a no-argument predicate; empty: always

    def wanted(self) -> bool:
        """False when the job has nothing to do in this installation (e.g. no portal set)."""
        return not self.only_if or bool(import_string(self.only_if)())


SCHEDULE: tuple[Periodic, ...] = (
    Periodic("motcua.national.jobs.deliver_national", 60, "motcua.national.conf.is_configured"),
    Periodic("motcua.index766.jobs.warn_at_risk", 15 * 60),
    Periodic("motcua.feedback.jobs.remind_feedback", 15 * 60),
    Periodic("motcua.assignments.jobs.remind_tasks", 15 * 60),
    Periodic("motcua.feedback.jobs.close_feedback_due", 60 * 60),
)


def enqueue_due(last: dict[str, float], now: float, schedule: tuple[Periodic, ...]) -> list[str]:
    """Enqueue every entry whose period has passed since `last[path]`; the paths enqueued."""
    done = []
    for entry in schedule:
        if now - last.get(entry.path, float("-inf")) < entry.every:
            continue
        last[entry.path] = now
        if not entry.wanted():
            continue
        job: Any = import_string(entry.path)
        if has_waiting(job):
            continue
        job.enqueue()
        done.append(entry.path)
    return done


class Scheduler(threading.Thread):
    """A daemon thread that runs `enqueue_due` every `tick` seconds until stopped."""

    def __init__(self, tick: float, schedule: tuple[Periodic, ...] = SCHEDULE) -> None:
        super().__init__(name="motcua-schedule", daemon=True)
        self.tick = tick
        self.schedule = schedule
        self.stopped = threading.Event()
        self.last: dict[str, float] = {}

    def run(self) -> None:
        """Enqueue what is due, sleep, again; a database hiccup is retried at the next tick."""
        while not self.stopped.is_set():
            close_old_connections()
            try:
                for path in enqueue_due(self.last, time.monotonic(), self.schedule):
                    logger.info("scheduled %s", path)
            except DatabaseError:
                logger.warning("schedule: database busy, trying again in %ss", self.tick)
                self.last.clear()
            self.stopped.wait(self.tick)
        close_old_connections()
