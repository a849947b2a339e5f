"""Test helpers: a published procedure with a process, and received dossiers."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from motcua.procedures.models import Component, Field, Procedure, ProcessStep
from motcua.procedures.services import publish_procedure, record_procedure_change
from motcua.units.models import Unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware local instant: local(2025, 3, 3, 9) is Mon 03/03/2025 09:00 in Vietnam."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def make_procedure(
    code: str = "1.001193",
    *,
    units: list[Unit],
    amount: int | None = 10,
    time_unit: str = "working_days",
    steps: list[tuple[str, Unit | None, int]] | None = None,
    **fields: Any,
) -> Procedure:
    """A published procedure; `steps` are (name, unit, budget in working hours)."""
    field, _ = Field.objects.get_or_create(code="ho-tich", defaults={"name": "Hộ tịch"})
    procedure = Procedure.objects.create(
        code=code,
        name=fields.pop("name", "Thủ tục đăng ký khai sinh"),
        field=field,
        level=fields.pop("level", "commune"),
        time_limit_amount=amount,
        time_limit_unit=time_unit,
        **fields,
    )
    procedure.competent_units.set(units)
    Component.objects.create(
        procedure=procedure, order=1, name="Tờ khai đăng ký khai sinh", originals=1
    )
    for order, (name, unit, hours) in enumerate(steps or [], start=1):
        ProcessStep.objects.create(
            procedure=procedure, order=order, name=name, unit=unit, budget_minutes=hours * 60
        )
    record_procedure_change(procedure, before=None, source="test")
    publish_procedure(procedure, source="test")
    return procedure


APPLICANT = {
    "name": "Trần Văn Bình",
    "id_number": "087095001234",
    "phone": "0912345678",
    "address": "Ấp 1, xã Mỹ An, Đồng Tháp",
}


def handed_in(procedure: Any) -> dict[str, str]:
    """The receipt form's fields ticking every component of `procedure`, one original each."""
    fields: dict[str, str] = {}
    for component in procedure.components.all():
        fields |= {f"tp{component.pk}": "on", f"tp{component.pk}-chinh": "1"}
    return fields
