"""Downloads from the report's pages: DOCX, PDF (LibreOffice), figures appendix XLSX and JSON
of the stored report, with a Vietnamese file name and the right content type."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import unquote

import docx
import openpyxl

from motcua.dossiers.tests.test_documents import needs_soffice
from motcua.reports.tests.test_reform_lifecycle import quarter  # noqa: F401 - shared fixture
from motcua.reports.tests.test_views import client_for, draft, staff  # noqa: F401

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(response: Any) -> str:
    header = response["Content-Disposition"]
    assert header.startswith("attachment;")
    return unquote(header.split("filename*=utf-8''")[-1])


def test_the_editor_links_every_paper_and_each_opens_with_the_reports_figures(
    quarter: dict,  # noqa: F811
    staff: dict,  # noqa: F811
) -> None:
    report = draft("C1", staff["chi"])
    chi = client_for(staff["chi"])
    chi.post(
        f"/bao-cao-cchc/{report.pk}/muc/",
        {"muc": "I.1", "noi_dung": "Ban hành Kế hoạch cải cách hành chính năm 2023."},
    )
    editor = chi.get(f"/bao-cao-cchc/{report.pk}/").content.decode()
    listing = chi.get("/bao-cao-cchc/").content.decode()
    for fmt in ("docx", "pdf", "xlsx", "json"):
        assert f'href="/bao-cao-cchc/{report.pk}/tai/{fmt}/"' in editor
    for fmt in ("docx", "pdf", "xlsx"):
        assert f'href="/bao-cao-cchc/{report.pk}/tai/{fmt}/"' in listing

    word = chi.get(f"/bao-cao-cchc/{report.pk}/tai/docx/")
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    assert file_name(word) == "Báo cáo CCHC Quý III-2023 - Ủy ban nhân dân xã Mỹ An.docx"
    paper = docx.Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in paper.paragraphs)
    cells = "\n".join(c.text for t in paper.tables for row in t.rows for c in row.cells)
    assert "BÁO CÁO" in text and "quý III năm 2023" in text
    assert "Ban hành Kế hoạch cải cách hành chính năm 2023." in text
    assert "Số hồ sơ giải quyết trước hạn" in cells  # a figure's row, printed
    report.refresh_from_db()
    received = next(f for f in report.figures if f["key"] == "dossiers.received")
    assert received["label"] in cells

    sheet = chi.get(f"/bao-cao-cchc/{report.pk}/tai/xlsx/")
    assert sheet.status_code == 200 and sheet["Content-Type"] == XLSX
    assert file_name(sheet).endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert received["label"] in values

    data = chi.get(f"/bao-cao-cchc/{report.pk}/tai/json/")
    assert data["Content-Type"] == "application/json"
    contract = json.loads(data.content)
    got = {f["key"]: f["value"] for f in contract["figures"]}
    assert got["dossiers.received"] == received["value"] == 3
    assert chi.get(f"/bao-cao-cchc/{report.pk}/tai/odt/").status_code == 404

    needs_soffice()
    pdf = chi.get(f"/bao-cao-cchc/{report.pk}/tai/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and file_name(pdf).endswith(".pdf")
    # nothing was written by downloading
    assert report.events.count() == 2
