"""Test helpers: dossier rows written directly (bulk_create) with the fields the index reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TZ, make_procedure
from motcua.procedures.models import Procedure, ProcedureVersion
from motcua.units.models import Unit

AUG_START = dt.datetime(2026, 8, 1, tzinfo=TZ)
SEP_START = dt.datetime(2026, 9, 1, tzinfo=TZ)


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> dt.datetime:
    """An aware local instant in 2026."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def procedure(units: list[Unit], code: str = "1.000001", **fields: Any) -> Procedure:
    """A published procedure of `units` (a 10-working-day limit unless told otherwise)."""
    return make_procedure(code, units=units, **fields)


def dossier(
    proc: Procedure,
    unit: Unit,
    *,
    received: dt.datetime | None,
    due: dt.datetime | None,
    state: str = "in_progress",
    finished: dt.datetime | None = None,
    channel: str = "direct",
    supplements: int = 0,
    version: ProcedureVersion | None = None,
    **fields: Any,
) -> Dossier:
    """An unsaved dossier row handled by `unit` (competent and receiving)."""
    return Dossier(
        procedure=proc,
        procedure_version=version or proc.versions.get(),
        time_limit_amount=proc.time_limit_amount,
        time_limit_unit=proc.time_limit_unit,
        rule_version="nd118_2025",
        state=state,
        channel=channel,
        receiving_unit=unit,
        competent_unit=unit,
        applicant_name="Nguyễn Văn An",
        submitted_at=received,
        received_at=received,
        finished_at=finished,
        statutory_due=due,
        promised_due=due,
        supplement_count=supplements,
        **fields,
    )
