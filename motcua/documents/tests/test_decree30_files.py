"""Decree 30 renderer: the PDF through LibreOffice and the figures appendix as XLSX."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from motcua.documents.decree30 import Paragraph, appendix_xlsx, render_docx, render_pdf
from motcua.documents.tests.decree30_samples import periodic_report, plan


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The NFC text of each page (pdftotext -layout)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext is required: apt-get install poppler-utils (.ci/run does)")
    (tmp_path / "out.pdf").write_bytes(pdf)
    text = subprocess.run(
        [exe, "-layout", "-enc", "UTF-8", str(tmp_path / "out.pdf"), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    return [unicodedata.normalize("NFC", page) for page in text.split("\f") if page.strip()]


def test_pdf_keeps_every_diacritic_and_numbers_pages_from_page_two(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice is required: apt-get install libreoffice-writer-nogui")
    report = periodic_report()
    filler = tuple(
        Paragraph(
            f"Đoạn {n}: Ủy ban nhân dân các xã, phường tiếp tục rà soát, đơn giản hóa thủ tục "
            "hành chính, nâng cao chất lượng phục vụ người dân và doanh nghiệp; kịp thời "
            "khắc phục những tồn tại, hạn chế được nêu trong kỳ đánh giá trước."
        )
        for n in range(1, 13)
    )
    report = replace(report, body=report.body + filler)
    pages = pdf_pages(render_pdf(report), tmp_path)
    assert len(pages) >= 3  # two pages of body, then the appendix

    def top_line(page: str) -> str:
        return next(line.strip() for line in page.splitlines() if line.strip())

    assert top_line(pages[0]).startswith("UBND TỈNH ĐỒNG THÁP")  # no number on page 1
    assert top_line(pages[1]) == "2"
    assert top_line(pages[-1]) == "Phụ lục"  # the appendix starts its own numbering
    text = " ".join(pages)
    words = set(text.split())
    doc = Document(io.BytesIO(render_docx(report)))
    written = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        written += [c.text for row in table.rows for c in row.cells]
    missing = {w for line in written for w in unicodedata.normalize("NFC", line).split()} - words
    assert missing == set()
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Đồng Tháp, ngày 14 tháng 9 năm 2025" in text


def test_figures_appendix_as_xlsx_keeps_numbers_as_numbers_and_text_as_text() -> None:
    document = plan()
    data = appendix_xlsx(document.appendices[0], document=document)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    assert ws.title == "Phụ lục I"
    assert [ws.cell(row=r, column=1).value for r in (1, 2, 3)] == [
        "Phụ lục I",
        "CHỈ TIÊU NĂM 2025",
        "(Kèm theo Kế hoạch số 07/KH-BDT ngày 03 tháng 02 năm 2025 của Ban Dân tộc tỉnh "
        "Quảng Ngãi)",
    ]
    assert [c.value for c in ws[5]] == ["STT", "Chỉ tiêu", "Số lượng", "Tỷ lệ"]
    received, resolved = ws[6], ws[7]
    assert received[2].value == 184027 and received[2].number_format == "#,##0"
    assert resolved[3].value == pytest.approx(0.8824) and resolved[3].number_format == "0.00%"
    typed = ws[10][1]  # "=Tổng số …" typed by a user stays text, never a formula
    assert typed.value == "=Tổng số (ghi chú của đơn vị)"
    assert typed.data_type == "s" and typed.quotePrefix
    # without the document: the bare label, no caption
    bare = load_workbook(io.BytesIO(appendix_xlsx(document.appendices[1]))).active
    assert bare is not None
    assert [bare.cell(row=r, column=1).value for r in (1, 2, 3)] == [
        "Phụ lục",
        "PHÂN CÔNG NHIỆM VỤ",
        None,
    ]
