"""Uploads: checksum and sniffed type stored, size limit, executables refused, scoped download."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.conftest import Province
from motcua.dossiers.files import UploadRefused, attach_file, sniff_content_type
from motcua.dossiers.models import DossierEvent, DossierFile
from motcua.dossiers.services import ActionForbidden
from motcua.dossiers.tests.test_api import client_for, procedure, receive  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(member: str, extra: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
        if extra:
            archive.writestr(extra, "macro")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF, "to-khai.pdf", "application/pdf"),
        (PNG, "anh.png", "image/png"),
        (JPEG, "anh.jpg", "image/jpeg"),
        (
            office("word/document.xml"),
            "don.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            office("xl/workbook.xml"),
            "bang.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("Ghi chú tiếng Việt\n".encode(), "ghi-chu.txt", "text/plain"),
    ],
)
def test_content_type_is_read_from_the_bytes(data: bytes, name: str, expected: str) -> None:
    assert sniff_content_type(data, name) == expected


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 20, "scan.pdf", "ELF"),
        (b"MZ\x90\x00" + b"\x00" * 20, "scan.pdf", "Windows"),
        (b"\xcf\xfa\xed\xfe" + b"\x00" * 20, "scan.pdf", "Mach-O"),
        (b"#!/bin/sh\nrm -rf /\n", "ghi-chu.txt", "script"),
        (PDF, "virus.exe", ".exe"),
        (b"echo hi", "run.bat", ".bat"),
        (b"echo hi", "run.cmd", ".cmd"),
        (b"alert(1)", "a.js", ".js"),
        (b"echo", "a.sh", ".sh"),
        (b"Get-Item", "a.ps1", ".ps1"),
        (PDF, "to-khai.pdf.exe", ".exe"),
        (b"<html><body><script>alert(1)</script></body></html>", "a.txt", "HTML/SVG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "a.svg", ".svg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>", "hinh.svg", ".svg"),
        (PDF, "misnamed.png", "không khớp"),  # the name and the bytes must agree
        (office("word/document.xml", "word/vbaProject.bin"), "don.docx", "macro"),
        (office("other.xml"), "a.docx", "DOCX"),
        (office("other.xml"), "a.zip", "đuôi .zip"),
        (b"\x00\x01\x02\x03binary", "a.pdf", "không được hỗ trợ"),
    ],
)
def test_executable_and_unknown_content_is_refused(data: bytes, name: str, message: str) -> None:
    with pytest.raises(UploadRefused, match=message) as refused:
        sniff_content_type(data, name)
    assert refused.value.field == "upload"


def test_attach_stores_checksum_size_type_and_a_timeline_event(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    media: Path,
) -> None:
    d = receive(people, province, procedure)
    upload = SimpleUploadedFile("../../etc/Tờ khai.pdf", PDF, content_type="text/html")
    item = attach_file(
        dossier=d, actor=people["alice"], upload=upload, kind="component", component_name="Tờ khai"
    )
    item.refresh_from_db()
    assert item.sha256 == hashlib.sha256(PDF).hexdigest()
    assert item.size == len(PDF)
    assert item.content_type == "application/pdf"  # not the browser's claim
    assert item.original_name == "Tờ khai.pdf"
    assert item.digitized is True and item.reused is False
    assert item.file.name.startswith(f"dossiers/{item.sha256[:2]}/")
    assert Path(item.file.path).read_bytes() == PDF
    assert Path(item.file.path).is_relative_to(media)
    event = DossierEvent.objects.get(dossier=d, kind="dossier.file_attached")
    assert event.data["sha256"] == item.sha256 and event.actor == people["alice"]


def test_oversize_file_is_refused_and_nothing_is_written(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    media: Path,
    settings: Any,
) -> None:
    settings.MOTCUA_MAX_UPLOAD_MB = 1
    d = receive(people, province, procedure)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(UploadRefused, match="1 MB"):
        attach_file(dossier=d, actor=people["alice"], upload=big, kind="component")
    just_fits = SimpleUploadedFile("ok.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    attach_file(dossier=d, actor=people["alice"], upload=just_fits, kind="component")
    assert DossierFile.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_refused_upload_through_the_api_stores_nothing(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    media: Path,
) -> None:
    d = receive(people, province, procedure)
    alice = client_for(people["alice"])
    for name, data in [("a.exe", b"MZ\x90"), ("a.pdf", b"\x7fELF"), ("a.txt", b"#!/bin/sh")]:
        response = alice.post(
            f"/api/v1/dossiers/{d.code}/files/",
            {"upload": SimpleUploadedFile(name, data), "kind": "component"},
            format="multipart",
        )
        assert response.status_code == 400
        assert "không nhận" in response.json()["upload"][0]
    assert DossierFile.objects.count() == 0
    assert stored_files(media) == []
    assert not DossierEvent.objects.filter(kind="dossier.file_attached").exists()


def test_api_upload_and_scoped_download(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = receive(people, province, procedure)
    alice = client_for(people["alice"])
    response = alice.post(
        f"/api/v1/dossiers/{d.code}/files/",
        {"upload": SimpleUploadedFile("to-khai.pdf", PDF), "kind": "component"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["download_url"] == f"/api/v1/dossiers/{d.code}/files/{body['id']}/"
    download = alice.get(body["download_url"])
    assert download.status_code == 200
    assert streamed(download) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    # Another unit: 404 for the API and the web download, like a missing file.
    assert client_for(people["bob"]).get(body["download_url"]).status_code == 404
    bob = Client()
    bob.force_login(people["bob"])
    assert bob.get(f"/ho-so/{d.code}/tep/{body['id']}/").status_code == 404
    web = Client()
    web.force_login(people["alice"])
    page = web.get(f"/ho-so/{d.code}/tep/{body['id']}/")
    assert page.status_code == 200 and streamed(page) == PDF
    assert web.get(f"/ho-so/{d.code}/tep/{body['id'] + 99}/").status_code == 404
    # The detail lists it.
    files = alice.get(f"/api/v1/dossiers/{d.code}/").json()["files"]
    assert [f["original_name"] for f in files] == ["to-khai.pdf"]


def test_viewers_may_not_attach(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    media: Path,
) -> None:
    d = receive(people, province, procedure)
    with pytest.raises(ActionForbidden):
        attach_file(
            dossier=d,
            actor=people["olga"],
            upload=SimpleUploadedFile("a.pdf", PDF),
            kind="component",
        )
    response = client_for(people["olga"]).post(
        f"/api/v1/dossiers/{d.code}/files/",
        {"upload": SimpleUploadedFile("a.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 403
    assert stored_files(media) == []


def test_upload_form_on_the_dossier_page(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    media: Path,
) -> None:
    d = receive(people, province, procedure)
    web = Client()
    web.force_login(people["alice"])
    page = web.get(f"/ho-so/{d.code}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and "Đính kèm tệp" in page
    refused = web.post(
        f"/ho-so/{d.code}/tep/",
        {"upload": SimpleUploadedFile("a.exe", b"MZ"), "kind": "component"},
    )
    assert refused.status_code == 400
    assert "không nhận tệp có đuôi .exe" in refused.content.decode()
    assert stored_files(media) == []
    done = web.post(
        f"/ho-so/{d.code}/tep/",
        {"upload": SimpleUploadedFile("to-khai.pdf", PDF), "kind": "component", "digitized": "on"},
    )
    assert done.status_code == 302
    assert "to-khai.pdf" in web.get(f"/ho-so/{d.code}/").content.decode()
    assert DossierFile.objects.get().digitized is True
