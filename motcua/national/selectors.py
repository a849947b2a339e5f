"""Reads of the synchronisation state — đã đồng bộ lên Cổng Dịch vụ công quốc gia hay chưa.

`synchronised_q` and `sync_state` are used by other apps (the 766 index's "dossiers
synchronised" indicator, the dossier page): keep their signatures stable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils.translation import gettext as _

from motcua.national.choices import OutboxState
from motcua.national.models import OutboxRow
from motcua.workcalendar.engine import to_local


def _rows_of(prefix: str, state: str) -> Exists:
    return Exists(OutboxRow.objects.filter(dossier_id=OuterRef(f"{prefix}pk"), state=state))


def synchronised_q(prefix: str = "") -> Q:
    """A `Q` on `Dossier` (or on a model reaching it through `prefix`, e.g. "dossier__"):
    the portal has the dossier's current state.

    True when the dossier has at least one delivered outbox row and none waiting. Rows
    marked "not to be sent" (imported history) are neither: a dossier with only such rows
    is not synchronised by motcua.
    """
    delivered = _rows_of(prefix, OutboxState.DELIVERED)
    pending = _rows_of(prefix, OutboxState.PENDING)
    return Q(delivered) & ~Q(pending)


SYNCHRONISED = "synchronised"
PENDING = "pending"
FAILED = "failed"
NOT_SENT = "not_sent"
NONE = "none"


@dataclass(frozen=True)
class SyncState:
    """What the dossier page says about a dossier's synchronisation."""

    status: str  # synchronised | pending | failed | not_sent | none
    label: str  # Vietnamese sentence shown to officers
    delivered: int = 0
    pending: int = 0
    skipped: int = 0
    last_error: str = ""
    next_attempt_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    skip_reason: str = ""

    @property
    def synchronised(self) -> bool:
        """The portal has the dossier's current state."""
        return self.status == SYNCHRONISED


def sync_state(dossier: object) -> SyncState:
    """The synchronisation state of one dossier (two queries)."""
    pk = getattr(dossier, "pk", dossier)
    rows = OutboxRow.objects.filter(dossier_id=pk)
    counts = {
        row["state"]: row
        for row in rows.values("state").annotate(n=Count("id"), last=Max("delivered_at"))
    }
    delivered = counts.get(OutboxState.DELIVERED, {}).get("n", 0)
    pending = counts.get(OutboxState.PENDING, {}).get("n", 0)
    skipped = counts.get(OutboxState.SKIPPED, {}).get("n", 0)
    last_delivered = counts.get(OutboxState.DELIVERED, {}).get("last")
    common = {"delivered": delivered, "pending": pending, "skipped": skipped}
    if pending:
        # The head of the dossier's queue decides: nothing later goes before it.
        head = rows.filter(state=OutboxState.PENDING).order_by("sequence").first()
        assert head is not None
        if head.attempts and head.last_error:
            when = head.next_attempt_at
            label = _("Lỗi đồng bộ: %(error)s (thử lại lúc %(when)s)") % {
                "error": head.last_error,
                "when": f"{to_local(when):%H:%M %d/%m/%Y}" if when else _("chưa hẹn"),
            }
            return SyncState(
                FAILED, label, last_error=head.last_error, next_attempt_at=when, **common
            )
        return SyncState(
            PENDING, _("Đang chờ đồng bộ"), next_attempt_at=head.next_attempt_at, **common
        )
    if delivered:
        return SyncState(
            SYNCHRONISED,
            _("Đã đồng bộ lên Cổng Dịch vụ công quốc gia"),
            delivered_at=last_delivered,
            **common,
        )
    if skipped:
        reason = rows.filter(state=OutboxState.SKIPPED).aggregate(r=Min("skip_reason"))["r"] or ""
        label = _("Không gửi lên Cổng Dịch vụ công quốc gia: %(reason)s") % {"reason": reason}
        return SyncState(NOT_SENT, label, skip_reason=reason, **common)
    return SyncState(NONE, _("Chưa có dữ liệu đồng bộ lên Cổng Dịch vụ công quốc gia"), **common)
