"""Every write to the catalogue: change-logged, versioned, with the process validated."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from motcua.audit.services import record_change, snapshot
from motcua.procedures.choices import WORKING_TIME_UNITS, TimeLimitUnit
from motcua.procedures.models import Procedure, ProcedureVersion


class ProcedureError(Exception):
    """A catalogue change the rules forbid; `field` names the offending input."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def procedure_content(procedure: Procedure) -> dict[str, Any]:
    """Everything a dossier freezes from its procedure: limits, fees, components, steps."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.name if procedure.field_id and procedure.field else "",
        "level": procedure.level,
        "time_limit_amount": procedure.time_limit_amount,
        "time_limit_unit": procedure.time_limit_unit,
        "same_day_cutoff": (
            procedure.same_day_cutoff.strftime("%H:%M") if procedure.same_day_cutoff else None
        ),
        "time_limit_text": procedure.time_limit_text,
        "fee": procedure.fee,
        "online_level": procedure.online_level,
        "result_is_paper": procedure.result_is_paper,
        "legal_basis": procedure.legal_basis,
        "competent_units": sorted(procedure.competent_units.values_list("code", flat=True)),
        "components": [
            {
                "order": c.order,
                "name": c.name,
                "originals": c.originals,
                "certified_copies": c.certified_copies,
                "copies": c.copies,
                "required": c.required,
            }
            for c in procedure.components.all()
        ],
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "unit": s.unit.code if s.unit_id and s.unit else None,
                "role": s.role,
                "budget_minutes": s.budget_minutes,
            }
            for s in procedure.steps.select_related("unit")
        ],
    }


def process_problem(procedure: Procedure) -> str:
    """Why the internal process cannot be published ('' when it adds up)."""
    steps = list(procedure.steps.all())
    if not steps:
        return ""
    if procedure.time_limit_unit not in WORKING_TIME_UNITS:
        return ""
    total = sum(s.budget_minutes for s in steps)
    budget = procedure.budget_minutes or 0
    if total != budget:
        unit = TimeLimitUnit(procedure.time_limit_unit).label
        return (
            f"tổng thời gian các bước ({total / 60:g} giờ làm việc) khác thời hạn giải quyết "
            f"({procedure.time_limit_amount} {unit} = {budget / 60:g} giờ làm việc)"
        )
    return ""


def current_version(procedure: Procedure) -> ProcedureVersion:
    """The frozen version matching the procedure's current content (created if missing)."""
    version = procedure.versions.filter(number=procedure.version).first()
    if version is None:
        version = ProcedureVersion.objects.create(
            procedure=procedure, number=procedure.version, data=procedure_content(procedure)
        )
    return version


def record_procedure_change(
    procedure: Procedure,
    *,
    before: dict[str, Any] | None,
    actor: Any = None,
    source: str = "",
    reason: str = "",
) -> ProcedureVersion:
    """After an edit: check the process, bump the version if the content changed, log it."""
    problem = process_problem(procedure)
    if problem and procedure.published:
        raise ProcedureError(problem, field="steps")
    content = procedure_content(procedure)
    latest = procedure.versions.order_by("-number").first()
    if latest is not None and latest.data == content:
        return latest
    with transaction.atomic():
        number = (latest.number + 1) if latest is not None else procedure.version
        Procedure.objects.filter(pk=procedure.pk).update(version=number)
        procedure.version = number
        version = ProcedureVersion.objects.create(procedure=procedure, number=number, data=content)
        record_change(
            obj=procedure,
            action="create" if before is None else "update",
            actor=actor,
            before=before,
            after={**snapshot(procedure), "content": content},
            source=source,
            reason=reason,
        )
        return version


def publish_procedure(procedure: Procedure, *, actor: Any = None, source: str = "") -> Procedure:
    """Publish to applicants; refused while the internal process does not add up."""
    problem = process_problem(procedure)
    if problem:
        raise ProcedureError(problem, field="steps")
    with transaction.atomic():
        before = snapshot(procedure)
        procedure.published = True
        procedure.save(update_fields=["published", "updated_at"])
        record_change(
            obj=procedure,
            action="update",
            actor=actor,
            before=before,
            after=snapshot(procedure),
            source=source,
            reason="công khai thủ tục",
        )
        current_version(procedure)
    return procedure
