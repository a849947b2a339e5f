"""Reads of the synchronisation state — đã đồng bộ lên Cổng Dịch vụ công quốc gia hay chưa.

`synchronised_q` and `sync_state` are used by other apps (the 766 index's "dossiers
synchronised" indicator, the dossier page): keep their signatures stable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.national.choices import OutboxState
from motcua.national.models import OutboxRow
from motcua.workcalendar.engine import to_local

IMPORTED_KIND = "dossier.imported"  # motcua.dossiers.importers.IMPORTED


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


def sync_state(dossier: Dossier | int) -> SyncState:
    """The synchronisation state of one dossier (one query; two for an imported dossier)."""
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    rows = list(
        OutboxRow.objects.filter(dossier_id=pk)
        .order_by("sequence")
        .values("state", "attempts", "last_error", "next_attempt_at", "delivered_at", "skip_reason")
    )
    delivered = [r for r in rows if r["state"] == OutboxState.DELIVERED]
    pending = [r for r in rows if r["state"] == OutboxState.PENDING]
    skipped = [r for r in rows if r["state"] == OutboxState.SKIPPED]
    common: dict[str, Any] = {
        "delivered": len(delivered),
        "pending": len(pending),
        "skipped": len(skipped),
    }
    if pending:
        # The head of the dossier's queue decides: nothing later goes before it.
        head = pending[0]
        when = head["next_attempt_at"]
        if head["attempts"] and head["last_error"]:
            label = _("Lỗi đồng bộ: %(error)s (thử lại lúc %(when)s)") % {
                "error": head["last_error"],
                "when": f"{to_local(when):%H:%M %d/%m/%Y}" if when else _("chưa hẹn"),
            }
            return SyncState(
                FAILED, label, last_error=head["last_error"], next_attempt_at=when, **common
            )
        return SyncState(PENDING, _("Đang chờ đồng bộ"), next_attempt_at=when, **common)
    if delivered:
        return SyncState(
            SYNCHRONISED,
            _("Đã đồng bộ lên Cổng Dịch vụ công quốc gia"),
            delivered_at=max(
                (r["delivered_at"] for r in delivered if r["delivered_at"]), default=None
            ),
            **common,
        )
    reason = skipped[0]["skip_reason"] if skipped else ""
    if not skipped and DossierEvent.objects.filter(dossier_id=pk, kind=IMPORTED_KIND).exists():
        # Legacy imports queue nothing (docs/national-sync.md): say so rather than "none".
        reason = _("nhập từ hệ thống cũ, hệ thống cũ đã đồng bộ lịch sử này")
    if reason:
        label = _("Không gửi lên Cổng Dịch vụ công quốc gia: %(reason)s") % {"reason": reason}
        return SyncState(NOT_SENT, label, skip_reason=reason, **common)
    return SyncState(NONE, _("Chưa có dữ liệu đồng bộ lên Cổng Dịch vụ công quốc gia"), **common)
