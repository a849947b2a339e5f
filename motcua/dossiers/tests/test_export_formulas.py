"""User text in exported spreadsheets stays text, never a formula (docs/security.md): the
register XLSX with a walk-in named `=HYPERLINK(...)`, the shared helpers, the CSV of rejects."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.documents import render_register
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.lib.safecells import csv_cell, csv_row, is_formula_like, xlsx_append, xlsx_cell
from motcua.procedures.catalogue_import import SetAside, write_rejects

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "text", [HYPERLINK, "+84 912", "-2+3", "@SUM(A1)", "\tcmd", "\r=1", "=1+1"]
)
def test_formula_like_text(text: str) -> None:
    assert is_formula_like(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Trần Văn Bình", "0912345678", "", 5, -3, 2.5, None])
def test_other_values_are_left_alone(value: object) -> None:
    assert not is_formula_like(value)
    assert csv_cell(value) == value
    assert csv_row([value, "=x"]) == [value, "'=x"]


def test_xlsx_helpers_store_strings_never_formulas() -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    xlsx_append(ws, [HYPERLINK, 7, "Bình"])
    xlsx_cell(ws.cell(row=2, column=1), "=1+1")
    xlsx_cell(ws.cell(row=2, column=2), -4)
    out = io.BytesIO()
    book.save(out)
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet is not None
    assert (sheet["A1"].value, sheet["A1"].data_type, sheet["A1"].quotePrefix) == (
        HYPERLINK,
        "s",
        True,
    )
    assert (sheet["B1"].value, sheet["B1"].data_type) == (7, "n")
    assert (sheet["C1"].value, sheet["C1"].quotePrefix) == ("Bình", False)
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1", "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-4, "n")


def test_register_xlsx_keeps_a_formula_name_as_text(people: dict, province: Province) -> None:
    procedure = make_procedure(
        units=[province.commune_a], steps=[("Tiếp nhận", province.commune_a, 80)]
    )
    services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant={**APPLICANT, "name": HYPERLINK, "address": "@cmd|' /C calc'!A0"},
        at=local(2025, 3, 3, 9),
    )
    day = local(2025, 3, 3).date()
    _name, _type, data = render_register(province.commune_a, day, day, "xlsx")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" in xml
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value == HYPERLINK]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].quotePrefix
    address = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("@cmd")]
    assert len(address) == 1 and address[0].data_type == "s"


def test_rejects_csv_quotes_formula_text(tmp_path) -> None:
    path = tmp_path / "rejects.csv"
    write_rejects(path, [SetAside(file="a.xlsx", row=3, code="=1+1", reason="-bad")])
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[1] == ["a.xlsx", "3", "'=1+1", "'-bad"]
