"""Recompute the due instants of an open dossier after the working calendar changed.

deadlines.md §2(a) "Calendar changes": while a dossier is open its due instants follow the
current calendar; when an appointment already given moves, the change is a timeline event
with its explanation and the applicant is notified. Finished dossiers keep theirs (frozen with
the calendar they ended under). `recompute_due` is the service (locks the row, same clock as
every dossier service, event and notices in the same transaction); `motcua/dossiers/jobs.py`
runs it over the open dossiers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.choices import RECEIVED_OPEN_STATES
from motcua.dossiers.clock import dossier_clock, due_fields
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.services import _locked, _save

DUE_RECOMPUTED = "dossier.due_recomputed"
_COMPARED = ("statutory_due", "promised_due")


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.datetime) else None


def recompute_due(dossier: Dossier, *, actor: Any, reason: str) -> bool:
    """Recompute the cached due instants of open `dossier`; True when one moved.

    Nothing is written when neither instant moved (so running it twice writes once).
    """
    with transaction.atomic():
        current = _locked(dossier)
        if current.state not in RECEIVED_OPEN_STATES:
            return False
        current = Dossier.objects.prefetch_related("pauses", "apologies").get(pk=current.pk)
        fields = due_fields(dossier_clock(current, explain=False))
        moved = {
            name: {"before": _iso(getattr(current, name)), "after": _iso(fields[name])}
            for name in _COMPARED
            if getattr(current, name) != fields[name]
        }
        if not moved:
            return False
        _save(current, current.lock_version, **fields)
        user = actor if getattr(actor, "is_authenticated", False) else None
        event = DossierEvent.objects.create(
            dossier=current,
            kind=DUE_RECOMPUTED,
            at=timezone.now(),
            actor=user,
            actor_name=user.get_username() if user else str(actor or "system"),
            unit=current.current_unit,
            from_state=current.state,
            to_state=current.state,
            note=reason,
            data={**moved, "reason": reason},
        )
        if "promised_due" in moved:
            notify_applicant(event)  # the appointment given to the applicant moved
        return True
