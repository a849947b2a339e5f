"""Signed results (issue 16): a result PDF is signed with the issuing unit's key when stored,
its signature is checked on the dossier page and on download, and tampering is detected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.conftest import Province
from motcua.documents import signing
from motcua.documents.tests.pki import PASSPHRASE, make_ca, tiny_pdf
from motcua.dossiers.files import attach_file
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile
from motcua.dossiers.signatures import SIGNATURE_HEADER, SigningFailed
from motcua.dossiers.tests.test_api import in_progress, procedure  # noqa: F401

RESULT_TEXT = "Ket qua 2025-0001"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def c1_key(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commune C1 signs with a certificate of a CA made here; that CA is trusted."""
    ca = make_ca(tmp_path)
    p12 = ca.issue(tmp_path, "UBND xã Mỹ An")
    monkeypatch.setenv("MOTCUA_SIGNING_PASS_C1", PASSPHRASE)
    settings.MOTCUA_SIGNING_KEYS = {
        "C1": {"pkcs12": str(p12), "passphrase_env": "MOTCUA_SIGNING_PASS_C1"}
    }
    settings.MOTCUA_SIGNING_TRUST_ROOTS = str(ca.root_pem)
    return p12


def _page(user: Any, d: Dossier) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("dossiers:detail", args=[d.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_result_uploaded_on_the_page_is_signed_verified_and_tampering_shown(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    c1_key: Path,
) -> None:
    d = in_progress(people, province, procedure)
    client = Client()
    client.force_login(people["alice"])
    upload = SimpleUploadedFile("Giấy khai sinh.pdf", tiny_pdf(RESULT_TEXT))
    response = client.post(
        reverse("dossiers:upload", args=[d.code]), {"kind": "result", "upload": upload}
    )
    assert response.status_code == 302
    item = DossierFile.objects.get(dossier=d, kind="result")
    stored = item.file.read()
    item.file.close()
    # The stored bytes are the signed ones, and the timeline's checksum is theirs.
    assert stored.startswith(tiny_pdf(RESULT_TEXT)) and len(stored) > len(tiny_pdf(RESULT_TEXT))
    check = signing.verify_pdf(stored)
    assert check.valid and check.signer == "UBND xã Mỹ An"
    event = DossierEvent.objects.get(dossier=d, kind="dossier.file_attached")
    assert event.data["sha256"] == item.sha256 and event.data["size"] == len(stored)

    html = _page(people["alice"], d)
    assert check.label in html and "Đã ký số — UBND xã Mỹ An, " in check.label
    download = client.get(reverse("dossiers:download", args=[d.code, item.pk]))
    assert download[SIGNATURE_HEADER] == "valid"
    assert b"".join(download.streaming_content) == stored  # type: ignore[attr-defined]

    # One byte changed in storage: the page and the download say so.
    path = Path(item.file.path)
    path.write_bytes(
        stored.replace(RESULT_TEXT.encode(), RESULT_TEXT.replace("0001", "0009").encode())
    )
    html = _page(people["alice"], d)
    assert "Chữ ký không hợp lệ" in html and "nội dung đã bị thay đổi sau khi ký" in html
    assert "hợp lệ</span>" not in html.replace("không hợp lệ</span>", "")
    download = client.get(reverse("dossiers:download", args=[d.code, item.pk]))
    assert download[SIGNATURE_HEADER] == "invalid"


def test_a_unit_without_a_key_stores_the_result_unsigned(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    settings: Any,
) -> None:
    settings.MOTCUA_SIGNING_KEYS = {}
    d = in_progress(people, province, procedure)
    upload = SimpleUploadedFile("ket-qua.pdf", tiny_pdf(RESULT_TEXT))
    item = attach_file(dossier=d, actor=people["alice"], upload=upload, kind="result")
    assert item.file.read() == tiny_pdf(RESULT_TEXT)
    item.file.close()
    html = _page(people["alice"], d)
    assert 'data-signature="unsigned">Chưa ký số</span>' in html


def test_a_key_that_cannot_sign_refuses_the_upload_and_writes_nothing(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    c1_key: Path,
    monkeypatch: pytest.MonkeyPatch,
    media: Path,
) -> None:
    monkeypatch.setenv("MOTCUA_SIGNING_PASS_C1", "sai")
    d = in_progress(people, province, procedure)
    upload = SimpleUploadedFile("ket-qua.pdf", tiny_pdf(RESULT_TEXT))
    with pytest.raises(SigningFailed, match="không ký số được tệp kết quả") as refused:
        attach_file(dossier=d, actor=people["alice"], upload=upload, kind="result")
    assert refused.value.status == 503
    assert not DossierFile.objects.filter(dossier=d).exists()
    assert not DossierEvent.objects.filter(dossier=d, kind="dossier.file_attached").exists()
    assert not any(p.is_file() for p in media.rglob("*"))
    # A component PDF is not a result: it is stored as handed in, never signed.
    component = attach_file(
        dossier=d,
        actor=people["alice"],
        upload=SimpleUploadedFile("to-khai.pdf", tiny_pdf()),
        kind="component",
    )
    assert component.size == len(tiny_pdf())
