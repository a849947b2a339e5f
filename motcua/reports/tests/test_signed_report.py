"""Issued reports are signed (issue 16): Biểu 06 as PDF — LibreOffice's output — carries the
reporting unit's PAdES signature, checked on download; the statistics page says who signs."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from motcua.documents import signing
from motcua.documents.tests.pki import PASSPHRASE, make_ca
from motcua.stats.tests.test_desk_view import PERIOD, centre, signed_in  # noqa: F401

QUERY = {"unit": "HCC", "period": PERIOD, "view": "desk"}


@pytest.fixture
def hcc_key(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    ca = make_ca(tmp_path)
    p12 = ca.issue(tmp_path, "Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp")
    monkeypatch.setenv("MOTCUA_SIGNING_PASS_HCC", PASSPHRASE)
    settings.MOTCUA_SIGNING_KEYS = {
        "HCC": {"pkcs12": str(p12), "passphrase_env": "MOTCUA_SIGNING_PASS_HCC"}
    }
    settings.MOTCUA_SIGNING_TRUST_ROOTS = str(ca.root_pem)
    return p12


def test_the_libreoffice_pdf_of_bieu06_is_signed_end_to_end(
    centre: dict[str, Any],  # noqa: F811
    hcc_key: Path,
    tmp_path: Path,
) -> None:
    client = signed_in(centre["lead"])
    page = client.get("/thong-ke/", QUERY).content.decode()
    assert "Bản PDF được ký số bởi Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp" in page
    response = client.get("/thong-ke/bieu-06/pdf/", QUERY)
    assert response.status_code == 200 and response["X-Motcua-Signature"] == "valid"
    check = signing.verify_pdf(response.content)
    assert check.valid and check.count == 1
    assert check.signer == "Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp"
    assert b"/ETSI.CAdES.detached" in response.content and b"/Producer" in response.content
    # Still the report a reader opens: the text is LibreOffice's.
    out = tmp_path / "bieu06.pdf"
    out.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Tổng cộng" in text and "nơi tiếp nhận" in " ".join(text.split())
    # One byte of the report changed: no longer valid.
    data = bytearray(response.content)
    at = response.content.index(b"/Producer")
    data[at + 1] = ord("p")
    assert signing.verify_pdf(bytes(data)).state == signing.SignatureState.INVALID


def test_a_unit_without_a_key_is_told_its_pdf_is_unsigned(
    centre: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.MOTCUA_SIGNING_KEYS = {}
    page = signed_in(centre["lead"]).get("/thong-ke/", QUERY).content.decode()
    assert "data-pdf-signing>Chưa ký số</small>" in page
    # Without the export right there are no links and nothing is said about signing.
    desk_page = signed_in(centre["desk"]).get("/thong-ke/", QUERY).content.decode()
    assert "data-pdf-signing" not in desk_page
