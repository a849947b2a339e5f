"""Every write to the catalogue: change-logged, versioned, with the process validated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from motcua.audit.services import record_change, snapshot
from motcua.lib.vntext import fold, nfc
from motcua.procedures.choices import MINUTES_PER, WORKING_TIME_UNITS, TimeLimitUnit
from motcua.procedures.models import Field, Procedure, ProcedureVersion
from motcua.units.models import Unit


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
                "form_name": c.form_name,
                "condition": c.condition,
            }
            for c in procedure.components.all()
        ],
        **catalogue_content(procedure),
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


def catalogue_content(procedure: Procedure) -> dict[str, Any]:
    """The national catalogue's wording a dossier freezes too (no queries)."""
    decided = procedure.publication_decision_date
    return {
        "levels": list(procedure.levels or []),
        "executing_bodies": list(procedure.executing_bodies or []),
        "is_reference": procedure.is_reference,
        "time_limit_confirmed": procedure.time_limit_confirmed,
        "time_limit_as_written": procedure.time_limit_as_written,
        "time_limit_spec": dict(procedure.time_limit_spec or {}),
        "fee_as_written": procedure.fee_as_written,
        "fee_spec": dict(procedure.fee_spec or {}),
        "channels_as_written": list(procedure.channels_as_written or []),
        "result_documents": list(procedure.result_documents or []),
        "legal_documents": list(procedure.legal_documents or []),
        "publication_decision": procedure.publication_decision,
        "publication_decision_date": decided.isoformat() if decided else None,
        "portal_uuid": procedure.portal_uuid,
    }


def process_problem(procedure: Procedure, budgets: Iterable[int] | None = None) -> str:
    """Why the internal process cannot be published ('' when it adds up).

    `budgets` are the steps' budgets in working minutes; by default the saved steps'. The
    admin passes the budgets of the form being submitted, before anything is saved.
    """
    if budgets is None:
        budgets = [s.budget_minutes for s in procedure.steps.all()]
    budgets = list(budgets)
    if not budgets:
        return ""
    if procedure.time_limit_unit not in WORKING_TIME_UNITS:
        return ""
    total = sum(budgets)
    budget = 0
    if procedure.time_limit_amount:
        budget = procedure.time_limit_amount * MINUTES_PER[TimeLimitUnit(procedure.time_limit_unit)]
    if total != budget:
        unit = TimeLimitUnit(procedure.time_limit_unit).label
        return (
            f"tổng thời gian các bước ({total / 60:g} giờ làm việc) khác thời hạn giải quyết "
            f"({procedure.time_limit_amount} {unit} = {budget / 60:g} giờ làm việc)"
        )
    return ""


def procedure_state(procedure: Procedure) -> dict[str, Any]:
    """What the change log keeps of a procedure: its row and its frozen content."""
    return {**snapshot(procedure), "content": procedure_content(procedure)}


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
    """After an edit: check the process, bump the version if the content changed, log it.

    `before` is `procedure_state()` taken before the edit (None for a new procedure). A
    change outside the frozen content (published, validity) is logged without a new version.
    """
    problem = process_problem(procedure)
    if problem and procedure.published:
        raise ProcedureError(problem, field="steps")
    content = procedure_content(procedure)
    latest = procedure.versions.order_by("-number").first()
    with transaction.atomic():
        if latest is not None and latest.data == content:
            after = {**snapshot(procedure), "content": content}
            if before is not None and _without_noise(before) != _without_noise(after):
                record_change(
                    obj=procedure,
                    action="update",
                    actor=actor,
                    before=before,
                    after=after,
                    source=source,
                    reason=reason,
                )
            return latest
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


def _without_noise(state: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in state.items()
        if k not in {"updated_at", "version", "search_text", "search_body"}
    }


def save_procedure(
    procedure: Procedure | None,
    *,
    code: str,
    unit_ids: Iterable[int] | None = None,
    actor: Any = None,
    source: str = "",
    reason: str = "",
    **fields: Any,
) -> tuple[Procedure, str]:
    """Create or update a procedure's own fields and competent units; versioned and logged.

    Returns the procedure and 'created', 'updated' or 'unchanged'. Components and steps are
    left alone. Raises ProcedureError when a published procedure's process stops adding up.
    """
    with transaction.atomic():
        if procedure is None:
            procedure = Procedure(code=code, **fields)
            procedure.full_clean(validate_unique=True, validate_constraints=True)
            procedure.save()
            if unit_ids is not None:
                procedure.competent_units.set(list(unit_ids))
            record_procedure_change(
                procedure, before=None, actor=actor, source=source, reason=reason
            )
            return procedure, "created"
        before = procedure_state(procedure)
        row_before = _without_noise(snapshot(procedure))
        old_units = set(procedure.competent_units.values_list("pk", flat=True))
        for name, value in fields.items():
            setattr(procedure, name, value)
        changed_fields = _without_noise(snapshot(procedure)) != row_before
        changed_units = unit_ids is not None and set(unit_ids) != old_units
        if not changed_fields and not changed_units:
            return procedure, "unchanged"
        procedure.full_clean(validate_unique=False, validate_constraints=True)
        procedure.save()
        if changed_units:
            procedure.competent_units.set(list(unit_ids or []))
        record_procedure_change(procedure, before=before, actor=actor, source=source, reason=reason)
        return procedure, "updated"


def get_or_create_field(name: str, *, actor: Any = None, source: str = "") -> tuple[Field, bool]:
    """The field called `name` (NFC), created with a slug code if missing."""
    name = nfc(name)
    field = Field.objects.filter(name=name).first()
    if field is not None:
        return field, False
    base = slugify(fold(name))[:60] or "linh-vuc"
    code, n = base, 1
    while Field.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    with transaction.atomic():
        field = Field.objects.create(code=code, name=name)
        record_change(obj=field, action="create", actor=actor, after=snapshot(field), source=source)
    return field, True


def resolve_unit(code: str, *, on: dt.date | None = None) -> Unit | None:
    """The version of unit `code` in force on `on` (default today), else its latest version."""
    day = on or timezone.localdate()
    return Unit.objects.version_of(code, on=day) or Unit.objects.version_of(code)


def publish_procedure(procedure: Procedure, *, actor: Any = None, source: str = "") -> Procedure:
    """Publish to applicants; refused while the internal process does not add up."""
    problem = process_problem(procedure)
    if problem:
        raise ProcedureError(problem, field="steps")
    if procedure.is_reference:
        raise ProcedureError(
            "thủ tục tham khảo của cơ quan ngoài tỉnh không được công khai để tiếp nhận",
            field="is_reference",
        )
    if not procedure.time_limit_confirmed:
        raise ProcedureError(
            "thời hạn giải quyết chưa được xác nhận (nguyên văn: "
            f"{procedure.time_limit_as_written or 'không có thông tin'})",
            field="time_limit_amount",
        )
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
