"""Background work on dossiers: recompute the due instants of open dossiers after the working
calendar changed (deadlines.md §2(a), docs/calendar.md).

A holiday, a swap or working hours added, edited or removed sends `calendar_changed` inside
the calendar's transaction; `on_calendar_changed` enqueues `recompute_open_dues` after the
commit. The job re-reads every open dossier received on or before the changed date and runs
the service `recompute.recompute_due` on each (one short transaction per dossier); a dossier
whose instants did not move is not written, so the job is safe to run twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django_tasks import task

from motcua.dossiers.choices import RECEIVED_OPEN_STATES
from motcua.dossiers.models import Dossier
from motcua.dossiers.recompute import recompute_due
from motcua.lib.jobqueue import retrying
from motcua.workcalendar.engine import TZ


@task()
@retrying(max_attempts=3, base_delay=60.0)
def recompute_open_dues(since: str | None, reason: str, attempt: int = 1) -> dict[str, int]:
    """Recompute every open dossier whose clock can cross `since` (ISO date; None: all)."""
    open_ = Dossier.objects.filter(state__in=RECEIVED_OPEN_STATES, received_at__isnull=False)
    if since:
        day = dt.date.fromisoformat(since) + dt.timedelta(days=1)
        open_ = open_.filter(received_at__lt=dt.datetime.combine(day, dt.time(), tzinfo=TZ))
    checked = moved = 0
    for pk in open_.order_by("pk").values_list("pk", flat=True).iterator():
        dossier = Dossier.objects.filter(pk=pk).first()
        if dossier is None:
            continue
        checked += 1
        moved += recompute_due(dossier, actor=None, reason=reason)
    return {"checked": checked, "moved": moved}


def on_calendar_changed(
    sender: Any = None, *, since: dt.date | None, reason: str, **_: Any
) -> None:
    """Enqueue the recomputation once the calendar's change commits (unless a waiting run
    already covers that date: a calendar import of 30 days enqueues one run, not 30)."""
    day = since.isoformat() if since else None

    def enqueue() -> None:
        if not _covered(day):
            recompute_open_dues.enqueue(day, reason)

    transaction.on_commit(enqueue)


def _covered(day: str | None) -> bool:
    """A run not yet started recomputes from `day` or earlier (it reads the calendar later)."""
    if not recompute_open_dues.get_backend().supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().filter(task_path=recompute_open_dues.module_path)
    for args in waiting.values_list("args_kwargs", flat=True):
        other = (args.get("args") or [None])[0]
        if other is None or (day is not None and other <= day):
            return True
    return False
