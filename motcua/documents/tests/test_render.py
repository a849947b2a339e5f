"""Rendering primitives: DOCX templates, PDF through LibreOffice, QR codes, XLSX, dates."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from motcua.documents.formats import date_long, date_text, instant_text, short_instant
from motcua.documents.render import (
    ConversionFailed,
    DocumentError,
    DocxImage,
    LibreOfficeMissing,
    docx_to_pdf,
    qr_png,
    render_docx,
    render_xlsx,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A tiny docxtpl template: a greeting, an image and a paragraph loop."""
    doc = Document()
    doc.add_paragraph("Kính gửi: {{ name }}")
    doc.add_paragraph("{{ logo }}")
    doc.add_paragraph("{%p for item in items %}")
    doc.add_paragraph("- {{ item }}")
    doc.add_paragraph("{%p endfor %}")
    path = tmp_path / "template.docx"
    doc.save(str(path))
    return path


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_render_docx_fills_text_loops_and_images(template: Path) -> None:
    png = qr_png("C1-250303-0001")
    data = render_docx(
        template,
        {
            "name": "Ông Trần Văn Bình, xã Mỹ An, Đồng Tháp",
            "logo": DocxImage(png, 20),
            "items": ["Giấy chứng sinh", "Tờ khai <bản chính> & bản sao"],
        },
    )
    assert paragraphs(data) == [
        "Kính gửi: Ông Trần Văn Bình, xã Mỹ An, Đồng Tháp",
        "",
        "- Giấy chứng sinh",
        "- Tờ khai <bản chính> & bản sao",  # escaped in the XML, intact when read back
    ]
    doc = Document(io.BytesIO(data))
    blips = doc.element.body.findall(".//" + qn("a:blip"))
    assert len(blips) == 1
    assert doc.part.related_parts[blips[0].get(qn("r:embed"))].blob == png
    assert doc.inline_shapes[0].width == pytest.approx(20 * 36000, rel=0.01)


def test_render_docx_reports_a_missing_template(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="không tìm thấy mẫu"):
        render_docx(tmp_path / "missing.docx", {})


def test_qr_png_is_a_png_that_grows_with_its_content() -> None:
    small = qr_png("C1")
    large = qr_png("Mã hồ sơ: C1-250303-0001\n" * 8)
    assert small.startswith(PNG_SIGNATURE) and large.startswith(PNG_SIGNATURE)
    width = int.from_bytes(small[16:20], "big")
    assert width == (21 + 2 * 2) * 4  # version 1, border 2 modules, 4 px per module
    assert int.from_bytes(large[16:20], "big") > width
    with pytest.raises(DocumentError):
        qr_png("")


def test_render_xlsx_writes_heading_header_and_rows() -> None:
    data = render_xlsx(
        title="Sổ theo dõi hồ sơ",
        heading=["Ủy ban nhân dân xã Mỹ An"],
        header=["TT", "Mã hồ sơ"],
        rows=[[1, "C1-250303-0001"], [2, "C1-250303-0002"]],
        sheet="So",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Ủy ban nhân dân xã Mỹ An", None],
        ["TT", "Mã hồ sơ"],
        [1, "C1-250303-0001"],
        [2, "C1-250303-0002"],
    ]


def test_vietnamese_dates() -> None:
    at = dt.datetime(2025, 3, 3, 2, 0, tzinfo=dt.UTC)  # 09:00 in Vietnam
    assert instant_text(at) == "09 giờ 00 phút, ngày 03/03/2025"
    assert instant_text(None, "……") == "……"
    assert short_instant(at) == "03/03/2025 09:00"
    assert date_text(at) == "03/03/2025"
    assert date_long(dt.date(2023, 9, 14)) == "ngày 14 tháng 9 năm 2023"
    assert date_long(dt.date(2021, 6, 3)) == "ngày 03 tháng 6 năm 2021"
    assert date_long(dt.date(2023, 2, 27)) == "ngày 27 tháng 02 năm 2023"
    assert instant_text(dt.datetime(2025, 12, 31, 23, 59, tzinfo=TZ)).endswith("31/12/2025")


# -- LibreOffice ---------------------------------------------------------------------------------


def test_docx_to_pdf_with_the_real_libreoffice(template: Path, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice is required: apt-get install libreoffice-writer-nogui")
    docx = render_docx(
        template, {"name": "Ủy ban nhân dân tỉnh Đồng Tháp", "logo": "", "items": ["Hạnh phúc"]}
    )
    pdf = docx_to_pdf(docx)
    assert pdf.startswith(b"%PDF")
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext is required: apt-get install poppler-utils (.ci/run does)")
    (tmp_path / "out.pdf").write_bytes(pdf)
    text = subprocess.run(
        [exe, "-enc", "UTF-8", str(tmp_path / "out.pdf"), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    assert "Kính gửi: Ủy ban nhân dân tỉnh Đồng Tháp" in text
    assert "- Hạnh phúc" in text


def test_missing_libreoffice_is_a_clear_error(settings, tmp_path: Path) -> None:
    settings.MOTCUA_SOFFICE = str(tmp_path / "no-soffice")
    with pytest.raises(LibreOfficeMissing, match="libreoffice-writer-nogui"):
        docx_to_pdf(b"PK")


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return str(script)


def test_failed_conversion_reports_libreoffice_output(settings, tmp_path: Path) -> None:
    settings.MOTCUA_SOFFICE = fake_soffice(
        tmp_path, 'echo "Error: source file could not be loaded" >&2; exit 1'
    )
    with pytest.raises(ConversionFailed, match="could not be loaded"):
        docx_to_pdf(b"PK")


def test_conversion_has_a_time_limit(settings, tmp_path: Path) -> None:
    settings.MOTCUA_SOFFICE = fake_soffice(tmp_path, "exec sleep 30")
    with pytest.raises(ConversionFailed, match="1 giây"):
        docx_to_pdf(b"PK", timeout=1)


def test_each_conversion_uses_its_own_profile(settings, tmp_path: Path) -> None:
    log = tmp_path / "args.txt"
    settings.MOTCUA_SOFFICE = fake_soffice(
        tmp_path,
        f'echo "$@" >> {log}\n'
        "for last; do :; done\n"
        'out=$(dirname "$last")/out; mkdir -p "$out"; printf "%%PDF-1.4" > "$out/document.pdf"',
    )
    assert docx_to_pdf(b"PK") == b"%PDF-1.4"
    assert docx_to_pdf(b"PK") == b"%PDF-1.4"
    first, second = log.read_text().splitlines()
    profiles = [
        next(a for a in line.split() if a.startswith("-env:UserInstallation=file:///"))
        for line in (first, second)
    ]
    assert profiles[0] != profiles[1]
    assert "--headless" in first and "--convert-to" in first
