"""The dossier clock: due instants derived from the ledger (receipt, pauses, extension)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from motcua.workcalendar.engine import DueResult, WorkCalendar, compute_due
from motcua.workcalendar.selectors import get_calendar

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier


def dossier_clock(
    dossier: Dossier, *, calendar: WorkCalendar | None = None, explain: bool = True
) -> DueResult | None:
    """Statutory and promised due of a received dossier (None before receipt, and while a
    clock that starts at another event waits for it: `Dossier.clock_start_event`).

    Uses the calendar and hours of the receiving centre (deadlines.md §2(b)). Payment pauses
    count only when recorded as clock pauses (the procedure decides, dossiers.md §3).
    """
    if dossier.received_at is None:
        return None
    if dossier.clock_start_event and dossier.clock_started_at is None:
        return None  # "kể từ ngày nhận được văn bản …": no due instant before the event
    cal = calendar or get_calendar(dossier.receiving_unit)
    pauses = [(p.opened_at, p.closed_at) for p in dossier.pauses.all()]
    granted = next((a for a in dossier.apologies.all() if a.grants_extension), None)
    return compute_due(
        cal,
        dossier.clock_started_at or dossier.received_at,
        dossier.time_limit_amount,
        dossier.time_limit_unit,
        pauses=pauses,
        cutoff=dossier.same_day_cutoff,
        extension_to=granted.new_due if granted else None,
        apology_at=granted.issued_at if granted else None,
        explain=explain,
    )


def due_fields(result: DueResult | None) -> dict[str, dt.datetime | int | None]:
    """The cached due columns of a dossier row from a clock result."""
    if result is None:
        return {"statutory_due": None, "promised_due": None, "remaining_minutes": None}
    return {
        "statutory_due": result.statutory_due,
        "promised_due": result.promised_due,
        "remaining_minutes": result.remaining_minutes,
    }
