"""Registers of what motcua does not record (reports.md §3): entry with evidence, CSV/XLSX
import with line-numbered Vietnamese errors, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from motcua.audit.models import ObjectChange
from motcua.conftest import Province
from motcua.dossiers.tests.test_upload_hardening import CLEAN_PDF, JS_PDF
from motcua.lib.periods import parse_period
from motcua.reports.models import RegisterEntry
from motcua.reports.reform import checks
from motcua.reports.reform.build import assemble
from motcua.reports.reform.registers import (
    RegisterError,
    RegisterImportError,
    enter_register_entry,
    import_registers,
)

AS_OF = dt.date(2023, 9, 14)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_entry_with_a_checked_evidence_file_and_its_author(province: Province, root: Any) -> None:
    entry = enter_register_entry(
        key="budget.available",
        unit="DT",
        as_of=AS_OF,
        value="21.985.346.717",
        actor=root,
        evidence=ContentFile(CLEAN_PDF, name="du-toan-2023.pdf"),
    )
    entry.refresh_from_db()
    assert entry.value == 21_985_346_717 and entry.kind == "budget"
    assert entry.unit == province.old  # the version of DT in force on the date
    assert entry.entered_by == root and entry.entered_by_name == "root"
    assert entry.evidence_name == "du-toan-2023.pdf" and entry.evidence.read() == CLEAN_PDF
    change = ObjectChange.objects.get(object_id=str(entry.pk))
    assert (change.after or {})["key"] == "budget.available"
    # read into a report of the quarter, as entered, with its provenance
    figures = assemble(
        "DT", parse_period("2023-Q3"), cutoff=dt.datetime(2023, 9, 15, tzinfo=dt.UTC)
    )
    budget = next(f for f in figures if f.key == "budget.available")
    assert budget.value == 21_985_346_717 and budget.measure == "money"
    assert budget.window["kind"] == "as_of" and budget.window["as_of"] == "2023-09-14"
    assert budget.source["kind"] == "register" and budget.source["entered_by"] == "root"
    assert budget.source["evidence"] == "du-toan-2023.pdf"


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"evidence": ContentFile(JS_PDF, name="a.pdf")}, "tệp minh chứng"),
        ({"evidence": ContentFile(b"<script>", name="a.html")}, "không nhận tệp"),
        ({}, "cần minh chứng"),
        ({"evidence_reference": "X", "key": "budget.bogus"}, "không có trong danh mục"),
        ({"evidence_reference": "X", "value": "12,5"}, "không phải số nguyên"),
        ({"evidence_reference": "X", "unit": "ZZ"}, "không có đơn vị mã “ZZ”"),
    ],
)
def test_bad_entries_are_refused_and_write_nothing(
    province: Province, root: Any, fields: dict[str, Any], words: str
) -> None:
    arguments = {"key": "staffing.assigned", "unit": "DT", "as_of": AS_OF, "value": "59"}
    with pytest.raises(RegisterError, match=words):
        enter_register_entry(actor=root, **{**arguments, **fields})
    assert RegisterEntry.objects.count() == 0


def test_legal_documents_keep_three_categories_and_rates_keep_their_decimals(
    province: Province, root: Any
) -> None:
    for key, value in (
        ("legal_documents.in_force", 64),
        ("legal_documents.partly_expired", 2),
        ("legal_documents.fully_expired", 3),
    ):
        enter_register_entry(
            key=key, unit="DT", as_of=AS_OF, value=value, actor=root, evidence_reference="BC 106"
        )
    rate = enter_register_entry(
        key="digitisation.digitised",
        unit="DT",
        as_of=AS_OF,
        value="90,55",
        numerator="1.506",
        denominator="1663",
        actor=root,
        evidence_reference="Báo cáo tháng 02/2024",
    )
    assert (str(rate.value_decimal), rate.decimals, rate.numerator) == ("90.55", 2, 1506)
    keys = set(RegisterEntry.objects.values_list("key", flat=True))
    assert {"legal_documents.in_force", "legal_documents.partly_expired"} <= keys
    # seed 004's 90,55% for 1.506/1.663, read into the report: "rounding differs" (warning)
    figures = assemble(
        "DT", parse_period("2023-Q3"), cutoff=dt.datetime(2023, 9, 15, tzinfo=dt.UTC)
    )
    (found,) = checks.check_percentages([f.full() for f in figures if f.key.startswith("digit")])
    assert found["level"] == "warning" and "làm tròn khác" in found["message"]


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_csv_import_is_all_or_nothing_with_line_numbers(
    province: Province, root: Any, tmp_path: Path
) -> None:
    (tmp_path / "bien-che.pdf").write_bytes(CLEAN_PDF)
    bad = write_csv(
        tmp_path / "so-lieu.csv",
        [
            "key,unit,as_of,value,evidence,evidence_reference",
            "staffing.assigned,DT,14/09/2023,59,bien-che.pdf,",
            "staffing.actual,DT,31/02/2023,57,,QĐ 12",
            "staffing.contracts,DT,2023-09-14,17,,QĐ 12",
            "budget.allocated,DT,2023-09-14,21.042.000.000,,",
            "staffing.bogus,DT,2023-09-14,1,,QĐ 12",
        ],
    )
    with pytest.raises(RegisterImportError) as problem:
        import_registers(bad, actor=root)
    lines = [line for line, _reason in problem.value.errors]
    assert lines == [3, 5, 6]
    text = str(problem.value)
    assert "dòng 3: as_of" in text and "dòng 5: cần minh chứng" in text
    assert "dòng 6: mã số liệu “staffing.bogus” không có trong danh mục" in text
    assert RegisterEntry.objects.count() == 0
    header = write_csv(tmp_path / "thieu.csv", ["key,unit,value", "staffing.assigned,DT,59"])
    with pytest.raises(RegisterImportError, match="dòng 1: thiếu cột: as_of"):
        import_registers(header, actor=root)
    good = write_csv(
        tmp_path / "dung.csv",
        [
            "key,unit,as_of,value,evidence,evidence_reference",
            "staffing.assigned,DT,14/09/2023,59,bien-che.pdf,",
            "staffing.actual,DT,14/09/2023,57,,QĐ 12",
        ],
    )
    assert import_registers(good, actor=root) == 2
    assigned = RegisterEntry.objects.get(key="staffing.assigned")
    assert assigned.evidence_name == "bien-che.pdf" and assigned.source == "import"


def test_xlsx_import_reads_numbers_as_typed(province: Province, root: Any, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["key", "unit", "as_of", "value", "evidence_reference"])
    sheet.append(["budget.spent", "DT", dt.date(2023, 9, 14), 7226007903, "Sổ kế toán"])
    sheet.append(["indices.pci_rank", "DT", "2021-06-03", "2/63", "VCCI"])
    path = tmp_path / "so-lieu.xlsx"
    book.save(path)
    assert import_registers(path, actor=root) == 2
    assert RegisterEntry.objects.get(key="budget.spent").value == 7_226_007_903
    assert RegisterEntry.objects.get(key="indices.pci_rank").value == "2/63"
