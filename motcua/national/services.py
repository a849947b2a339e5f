"""Writes to the outbox: one row per dossier state change, in the change's own transaction.

`record_state_change` listens to `motcua.dossiers.signals.state_changed`, which the dossier
services send from their single event writer inside their transaction: the row commits or
rolls back with the change. Bulk paths (the legacy importer, the demo builder) call
`outbox_rows_for` and `bulk_create` instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Max
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.national.choices import OutboxState
from motcua.national.mapping import base_payload, payload_for, status_code_for
from motcua.national.models import OutboxRow

# An apology keeps the state but moves NgayHenTra: the portal needs it too.
SAME_STATE_EVENTS = frozenset({"dossier.apology_issued"})

IMPORTED_REASON = "nhập từ hệ thống cũ, hệ thống cũ đã đồng bộ lịch sử này"


def record_state_change(
    sender: Any = None, *, dossier: Dossier, event: DossierEvent, **_: Any
) -> OutboxRow | None:
    """Queue the change `event` of `dossier` for the national portal (None: nothing to send).

    Called inside the service's transaction with the dossier row locked, so the per-dossier
    sequence cannot be taken twice (the unique constraint guards it anyway).
    """
    code = status_code_for(event.to_state or dossier.state)
    if code is None:
        return None  # draft: never synchronised
    if event.from_state == event.to_state and event.kind not in SAME_STATE_EVENTS:
        return None  # a transfer between steps, a file: the national status is unchanged
    last = OutboxRow.objects.filter(dossier=dossier).aggregate(n=Max("sequence"))["n"] or 0
    from motcua.national.jobs import schedule_delivery  # jobs imports the delivery machinery

    schedule_delivery()  # a delivery pass after the commit (docs/national-sync.md)
    return OutboxRow.objects.create(
        dossier=dossier,
        sequence=last + 1,
        event=event,
        event_kind=event.kind,
        dossier_state=dossier.state,
        status_code=code,
        payload=payload_for(dossier, status_code=code, event_kind=event.kind),
        created_at=timezone.now(),
        next_attempt_at=None,
    )


def outbox_rows_for(
    dossiers: Iterable[Dossier],
    *,
    state: str = OutboxState.SKIPPED,
    reason: str = IMPORTED_REASON,
    at: dt.datetime | None = None,
    event_kind: str = "dossier.imported",
) -> list[OutboxRow]:
    """One unsaved row per dossier holding its current state, for `bulk_create` by bulk paths.

    Imported history is not replayed to the portal (the previous system already sent it):
    the row is `skipped` with `reason` unless `state` says otherwise. A later change made in
    motcua numbers on from it and is sent normally. Each dossier must have its procedure
    loaded (or the procedure's code is read once per dossier).
    """
    at = at or timezone.now()
    rows = []
    for dossier in dossiers:
        code = status_code_for(dossier.state)
        if code is None:
            continue
        rows.append(
            OutboxRow(
                dossier=dossier,
                sequence=1,
                event_kind=event_kind,
                dossier_state=dossier.state,
                status_code=code,
                payload=base_payload(dossier, status_code=code, event_kind=event_kind),
                created_at=at,
                state=state,
                skip_reason=reason if state == OutboxState.SKIPPED else "",
                delivered_at=at if state == OutboxState.DELIVERED else None,
            )
        )
    return rows


def retry_now(rows: Iterable[OutboxRow], *, at: dt.datetime | None = None) -> int:
    """Make pending rows due at once (the administrator's "gửi lại ngay")."""
    ids = [r.pk for r in rows]
    return OutboxRow.objects.filter(pk__in=ids, state=OutboxState.PENDING).update(
        next_attempt_at=at or timezone.now()
    )
