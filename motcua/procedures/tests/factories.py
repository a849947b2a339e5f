"""Small builders for catalogue tests."""

from __future__ import annotations

from typing import Any

from motcua.procedures.models import Procedure, ProcessStep
from motcua.procedures.services import record_procedure_change


def make_procedure(
    code: str = "1.000001", *, steps: list[int] | None = None, **kw: Any
) -> Procedure:
    """A procedure (published unless told otherwise) with steps of the given budgets, version 1."""
    values: dict[str, Any] = {
        "name": "Thủ tục đăng ký hoạt động",
        "level": "province",
        "time_limit_amount": 5,
        "time_limit_unit": "working_days",
        "published": True,
        **kw,
    }
    procedure = Procedure.objects.create(code=code, **values)
    for order, minutes in enumerate(steps or [], start=1):
        ProcessStep.objects.create(
            procedure=procedure, order=order, name=f"Bước {order}", budget_minutes=minutes
        )
    record_procedure_change(procedure, before=None, source="test")
    return procedure
