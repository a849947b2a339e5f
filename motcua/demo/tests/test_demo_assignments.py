"""Demo tasks: seed 003's letter proposed from the unit tree, seed 000's 47 = 4 + 27 + 16."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from motcua.assignments.models import SourceDocument, Task
from motcua.demo.assignments import build_assignments
from motcua.demo.tree import unit_rows
from motcua.units.importers import import_units

TODAY = dt.date(2026, 3, 16)


@pytest.fixture
def demo_tasks(db: None) -> dict[str, int]:
    import_units(unit_rows(), source="test")
    return build_assignments(seed=1, today=TODAY)


def test_demo_tasks(demo_tasks: dict[str, int]) -> None:
    assert demo_tasks["government_2023_q3"] == 47
    out = io.StringIO()
    call_command(
        "stats",
        "tasks",
        "--period",
        "2023-Q3",
        "--unit",
        "DT",
        "--issuer",
        "CP,TTg",
        "--format",
        "json",
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    assert (
        figures["in_scope"],
        figures["done_on_time"],
        figures["reported_done"],
        figures["in_progress_not_due"],
    ) == (47, 4, 27, 16)
    letter = Task.objects.filter(document__number="1449/UBND-NC")
    assert letter.count() == demo_tasks["letter_1449"] > 17
    report = letter.get(deadline_text="trước ngày 20/12/2024")
    assert (report.lead_unit.code, str(report.due_on)) == ("DT.SNV", "2024-12-19")
    cloud = letter.get(deadline_text__contains="trước ngày 10/12/2024")
    assert cloud.lead_unit.code == "DT.STTTT"
    assert letter.filter(group_code__gt="").values("group_code").distinct().count() >= 2
    assert Task.objects.filter(series__code="14-HCC-BC").count() == demo_tasks["monthly_report"] - 1
    assert build_assignments(seed=1, today=TODAY) == {}
    assert SourceDocument.objects.filter(number="1449/UBND-NC").count() == 1
