"""Background work on the national outbox — gửi hộp thư đi lên Cổng Dịch vụ công quốc gia.

`deliver_national` is one pass of `delivery.deliver_pending` run by the task queue. It is
enqueued after the commit of every dossier change that wrote an outbox row (at most one
waiting pass at a time), and by the worker's schedule every minute (`motcua/worker/schedule.py`)
so rows left by a dead worker go again once their lease ends. The guarantees are the
outbox's (delivery.py): in order per dossier, claimed with a lease, sent with the row's
`Idempotency-Key`, never sent again once delivered — so running the pass twice, or in two
workers at once, sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from motcua.lib.jobqueue import enqueue_on_commit, has_waiting
from motcua.national.conf import ConfigError, is_configured, load_config
from motcua.national.delivery import deliver_pending


@task()
def deliver_national() -> dict[str, Any]:
    """Send every outbox row due now; when some failed, enqueue a pass for the earliest retry."""
    try:
        config = load_config()
    except ConfigError as exc:
        return {"configured": False, "error": str(exc)}
    report = deliver_pending(config=config)
    if report.failures and deliver_national.get_backend().supports_defer:
        first = min(f.next_attempt_at for f in report.failures)
        deliver_national.using(run_after=max(first, timezone.now())).enqueue()
    return {
        "configured": True,
        "delivered": report.delivered,
        "failed": report.failed,
        "waiting": report.waiting,
    }


def schedule_delivery() -> None:
    """After the current commit, make sure a delivery pass is queued (one is enough)."""
    if not is_configured() or has_waiting(deliver_national):
        return
    enqueue_on_commit(deliver_national)
