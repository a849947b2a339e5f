"""Uploads (issue 16 item 2): an allowlist that must agree with the whole content, PDFs that
run code, Office files with macros, OLE objects or executables, and safe download names."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from motcua.conftest import Province
from motcua.dossiers.files import UploadRefused, attach_file, sniff_content_type
from motcua.dossiers.models import DossierFile
from motcua.dossiers.tests.test_api import procedure, receive  # noqa: F401
from motcua.lib.filecheck import DOCX, PDF, XLSX, download_name


def pdf_with(*objects: bytes) -> bytes:
    """A well-formed PDF (xref offsets included) with the given extra objects."""
    body = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(body, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, xref)
    return bytes(out)


CLEAN_PDF = pdf_with()
JS_PDF = pdf_with(b"<< /Type /Action /S /JavaScript /JS (app.alert\\('x'\\)) >>")
HEX_JS_PDF = pdf_with(b"<< /Type /Action /S /Java#53cript /J#53 (app.alert(1)) >>")
LAUNCH_PDF = pdf_with(b"<< /Type /Action /S /Launch /F (cmd.exe) >>")
_hidden = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
STREAM_JS_PDF = pdf_with(
    b"<< /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length %d >>\nstream\n" % len(_hidden)
    + _hidden
    + b"\nendstream"
)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Tờ khai đăng ký khai sinh")
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    return zipped({**members, **(extra or {})})


def xlsx(text: str = "Bảng kê") -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_macro_content_type(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
    )
    return zipped(members)


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00\x03" + b"\x00" * 59


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_real_documents_are_accepted_under_their_own_extension() -> None:
    assert sniff_content_type(CLEAN_PDF, "Tờ khai.pdf") == PDF
    assert sniff_content_type(CLEAN_PDF, "TỜ KHAI.PDF") == PDF
    assert sniff_content_type(docx(), "đơn.docx") == DOCX
    assert sniff_content_type(xlsx(), "bảng kê.xlsx") == XLSX
    # A chart's workbook embedded in a Word file is ordinary and checked one level deep.
    assert sniff_content_type(docx({"word/embeddings/Chart.xlsx": xlsx()}), "bao-cao.docx") == DOCX


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        # PDFs that run code, in plain sight, hex-escaped and inside a compressed object stream.
        (JS_PDF, "to-khai.pdf", "JavaScript"),
        (HEX_JS_PDF, "to-khai.pdf", "JavaScript"),
        (STREAM_JS_PDF, "to-khai.pdf", "JavaScript"),
        (LAUNCH_PDF, "to-khai.pdf", "/Launch"),
        (CLEAN_PDF + b"<html><script>alert(1)</script></html>", "to-khai.pdf", "HTML"),
        # The extension decides what may be kept, the whole content what it is: both must agree.
        (b"%PDF-1.4\n<html><script>alert(1)</script>", "to-khai.html", ".html"),
        (CLEAN_PDF, "to-khai.html", ".html"),
        (b"<html><body><p>To khai</p></body></html>", "to-khai.pdf", "không khớp"),
        (
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "to-khai.pdf",
            "HTML/SVG",
        ),
        (CLEAN_PDF, "to-khai.docx", "không khớp"),
        (docx(), "to-khai.pdf", "không khớp"),
        (b"On Error Resume Next\r\nCreateObject(1)", "x.vbe", ".vbe"),
        (b"Windows Registry Editor Version 5.00\r\n", "x.reg", ".reg"),
        (b"[InternetShortcut]\r\nURL=file:///c:/x.exe\r\n", "x.url", ".url"),
        (b"<svg/>", "x.svg", ".svg"),
        (CLEAN_PDF, "to-khai", "không có đuôi"),
        (CLEAN_PDF, "to-khai.zip", ".zip"),
        # Office files that carry code.
        (docx({"word/vbaProject.bin": OLE}), "don.docx", "macro"),
        (with_macro_content_type(xlsx()), "bang.xlsx", "macro"),
        (docx({"word/embeddings/oleObject1.bin": OLE}), "don.docx", "OLE"),
        (docx({"word/activeX/activeX1.xml": b"<ax/>"}), "don.docx", "ActiveX"),
        (docx({"word/embeddings/setup.exe": EXE}), "don.docx", "setup.exe"),
        (docx({"word/media/image1.png": EXE}), "don.docx", "image1.png"),  # by its bytes
        (
            docx({"word/embeddings/Chart.xlsx": docx({"word/vbaProject.bin": OLE})}),
            "x.docx",
            "macro",
        ),
        (OLE, "don-cu.pdf", "Office đời cũ"),
        (zipped({"word/document.xml": b"<w/>"}), "don.docx", "không phải DOCX"),
        (b"PK\x03\x04broken", "don.docx", "hỏng"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16 + b"<script>alert(1)</script>", "a.png", "HTML"),
    ],
)
def test_dangerous_or_mismatched_files_are_refused(data: bytes, name: str, message: str) -> None:
    with pytest.raises(UploadRefused, match=message):
        sniff_content_type(data, name)


def test_a_refused_upload_writes_nothing(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    media: Path,
) -> None:
    d = receive(people, province, procedure)
    for data, name in [(JS_PDF, "to-khai.pdf"), (docx({"word/vbaProject.bin": OLE}), "don.docx")]:
        upload = SimpleUploadedFile(name, data, content_type="application/pdf")
        with pytest.raises(UploadRefused):
            attach_file(dossier=d, actor=people["alice"], upload=upload, kind="component")
    assert not DossierFile.objects.exists()
    assert not d.events.filter(kind="dossier.file_attached").exists()
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_the_upload_form_shows_the_refusal_in_vietnamese(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = receive(people, province, procedure)
    client = Client()
    client.force_login(people["alice"])
    response = client.post(
        f"/ho-so/{d.code}/tep/",
        {"kind": "component", "upload": SimpleUploadedFile("to-khai.pdf", LAUNCH_PDF)},
    )
    assert response.status_code == 400
    assert "không nhận tệp PDF có lệnh mở chương trình" in response.content.decode()
    assert not DossierFile.objects.exists()


@pytest.mark.parametrize(
    ("original", "content_type", "expected"),
    [
        ("to-khai.html", PDF, "to-khai.pdf"),
        ("Tờ khai.pdf", PDF, "Tờ khai.pdf"),
        ("ảnh.jpeg", "image/jpeg", "ảnh.jpeg"),
        ("bảng", XLSX, "bảng.xlsx"),
        ("đơn.exe", DOCX, "đơn.docx"),
        (".htaccess", PDF, ".htaccess.pdf"),
    ],
)
def test_download_name_follows_the_stored_type(
    original: str, content_type: str, expected: str
) -> None:
    assert download_name(original, content_type) == expected


def test_download_uses_the_stored_type_and_a_safe_disposition(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = receive(people, province, procedure)
    # A row from before the allowlist (legacy import): the name says HTML, the bytes are a PDF.
    item = DossierFile(
        dossier=d,
        kind="component",
        original_name='Tờ khai "gốc".html',
        content_type=PDF,
        size=len(CLEAN_PDF),
        sha256="0" * 64,
        uploaded_at=timezone.now(),
    )
    item.file.save("x", ContentFile(CLEAN_PDF), save=False)
    item.save()
    client = Client()
    client.force_login(people["alice"])
    response = client.get(f"/ho-so/{d.code}/tep/{item.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''T%E1%BB%9D%20khai%20%22g%E1%BB%91c%22.pdf" in disposition
    assert ".html" not in disposition and "\n" not in disposition
