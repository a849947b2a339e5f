"""Helpers for background jobs on Django's task queue (docs/decisions/0002-task-queue.md).

Every job in a `jobs.py` module is a `django_tasks` task that takes primary keys (never model
instances), re-reads the state it acts on and is safe to run twice. Three helpers:

- `enqueue_on_commit(job, ...)`: enqueue only once the current transaction commits, so a
  change that rolls back enqueues nothing and a worker never reads a row not yet visible.
- `retrying(...)`: on failure the job enqueues its next attempt `base × 2^(attempt−1)`
  seconds later (capped), up to `max_attempts`, then lets the failure stand for the
  administrator (Django admin → Kết quả công việc nền → "Chạy lại").
- `has_waiting(job)`: a run of `job` is already queued and not started (used to avoid
  piling up identical sweeps).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_ATTEMPTS = 5
DEFAULT_BASE_DELAY = 30.0  # seconds before the second attempt
DEFAULT_MAX_DELAY = 3600.0


def enqueue_on_commit(job: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue `job(*args, **kwargs)` after the current transaction commits (now if none)."""
    transaction.on_commit(lambda: job.enqueue(*args, **kwargs))


def retry_delay(attempt: int, *, base: float, cap: float) -> dt.timedelta:
    """The wait after failed attempt number `attempt` (1-based): base × 2^(attempt−1), capped."""
    return dt.timedelta(seconds=min(base * (2 ** max(attempt - 1, 0)), cap))


def _supports_delay(job: Task[Any, Any]) -> bool:
    return bool(job.get_backend().supports_defer)


def retrying(
    *,
    max_attempts: int = DEFAULT_ATTEMPTS,
    base_delay: float = DEFAULT_BASE_DELAY,
    max_delay: float = DEFAULT_MAX_DELAY,
) -> Callable[[F], F]:
    """Decorate a job function (under `@task()`) taking an `attempt: int = 1` keyword.

    When the function raises and attempts remain, the next attempt is enqueued with a delay
    and the exception is raised again (so this run shows as failed, with its traceback).
    A backend without delayed runs (the immediate backend) gets no retry.
    """

    def decorate(func: F) -> F:
        path = f"{func.__module__}.{func.__qualname__}"

        @functools.wraps(func)
        def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, attempt=attempt, **kwargs)
            except Exception:
                job: Task[Any, Any] = import_string(path)
                if attempt < max_attempts and _supports_delay(job):
                    later = timezone.now() + retry_delay(attempt, base=base_delay, cap=max_delay)
                    job.using(run_after=later).enqueue(*args, attempt=attempt + 1, **kwargs)
                    logger.warning("%s: attempt %d failed, next at %s", path, attempt, later)
                else:
                    logger.error("%s: attempt %d failed, no attempt left", path, attempt)
                raise

        return run  # type: ignore[return-value]

    return decorate


def has_waiting(job: Task[Any, Any]) -> bool:
    """True when a run of `job` is due and not yet started (database backend only)."""
    if not _supports_delay(job):
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=job.module_path).exists()
