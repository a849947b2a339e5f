"""The demo province's synchronisation history, written in bulk by the demo builder.

Demo dossiers are bulk-inserted, not made through the services, so no state change writes an
outbox row for them. Replaying every demo change would cost a row per event; instead each
demo dossier gets one row holding its current state: delivered for almost all, waiting for
those changed in the last hour, and a few failed (the portal answered 503) so that the
dossier page shows each of the three states. One `bulk_create` per 1,000 dossiers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from motcua.dossiers.models import Dossier
from motcua.national.choices import OutboxState
from motcua.national.models import OutboxRow
from motcua.national.services import outbox_rows_for

DEMO_ERROR = "Cổng trả lời lỗi HTTP 503"


def _last_change(d: Dossier) -> dt.datetime | None:
    instants = [d.submitted_at, d.received_at, d.finished_at, d.returned_at]
    return max((i for i in instants if i is not None), default=None)


def build_demo_outbox(dossier_ids: Iterable[int], *, as_of: dt.datetime, seed: int) -> int:
    """One outbox row per demo dossier (its current state); returns the number written."""
    rng = random.Random(f"national-{seed}")
    ids = list(dossier_ids)
    written = 0
    for start in range(0, len(ids), 1000):
        dossiers = list(
            Dossier.objects.filter(pk__in=ids[start : start + 1000])
            .select_related("procedure")
            .order_by("pk")
        )
        rows = outbox_rows_for(dossiers, state=OutboxState.DELIVERED, event_kind="demo")
        by_pk = {d.pk: d for d in dossiers}
        for row in rows:
            changed = _last_change(by_pk[row.dossier_id]) or as_of
            row.created_at = changed
            if as_of - changed < dt.timedelta(hours=1):
                row.state, row.delivered_at = OutboxState.PENDING, None
            elif rng.random() < 0.01:
                row.state, row.delivered_at = OutboxState.PENDING, None
                row.attempts = 3
                row.last_attempt_at = as_of - dt.timedelta(minutes=5)
                row.next_attempt_at = as_of + dt.timedelta(minutes=15)
                row.last_error = DEMO_ERROR
            else:
                row.delivered_at = min(changed + dt.timedelta(minutes=2), as_of)
        OutboxRow.objects.bulk_create(rows)
        written += len(rows)
    return written
