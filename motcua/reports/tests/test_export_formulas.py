"""Biểu 06 XLSX: a unit name that looks like a formula is written as text (docs/security.md)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.core.management import call_command
from openpyxl import load_workbook

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.units.models import Unit

NAME = '=HYPERLINK("http://x","Ủy ban")'


def test_unit_name_stays_text(people: dict, province: Province, tmp_path: Path) -> None:
    procedure = make_procedure(
        units=[province.commune_a], steps=[("Tiếp nhận", province.commune_a, 80)]
    )
    services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 9),
    )
    Unit.objects.filter(pk=province.commune_a.pk).update(name=NAME)
    out = tmp_path / "b.xlsx"
    args = ["--period", "2025-M03", "--unit", "DT", "--rows", "unit", "--format", "xlsx"]
    call_command("report", "dossiers", *args, "--out", str(out), stdout=io.StringIO())
    data = out.read_bytes()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value == NAME]
    assert cells and all(c.data_type == "s" for c in cells)
    numbers = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, int)]
    assert numbers and all(c.data_type == "n" for c in numbers)  # figures stay numbers
