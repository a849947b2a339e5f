"""The applicant downloads a signed result from the account; the download says whether its
signature still holds (issue 16, signed papers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.conftest import Province
from motcua.documents import signing
from motcua.documents.tests.pki import PASSPHRASE, make_ca, tiny_pdf
from motcua.dossiers import services
from motcua.dossiers.files import attach_file
from motcua.dossiers.signatures import SIGNATURE_HEADER
from motcua.dossiers.tests.factories import APPLICANT, local
from motcua.dossiers.tests.test_api import in_progress, procedure  # noqa: F401
from motcua.portal.tests.test_account_results import citizen, media, signed_in  # noqa: F401


def test_the_applicant_downloads_the_signed_result_and_sees_tampering(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    tmp_path: Path,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ca = make_ca(tmp_path)
    p12 = ca.issue(tmp_path, "UBND xã Mỹ An")
    monkeypatch.setenv("PASS_C1", PASSPHRASE)
    settings.MOTCUA_SIGNING_KEYS = {"C1": {"pkcs12": str(p12), "passphrase_env": "PASS_C1"}}
    settings.MOTCUA_SIGNING_TRUST_ROOTS = str(ca.root_pem)
    d = in_progress(people, province, procedure)
    d = services.resolve_dossier(dossier=d, actor=people["dana"], at=local(2025, 3, 5, 9))
    item = attach_file(
        dossier=d,
        actor=people["alice"],
        upload=SimpleUploadedFile("ket-qua.pdf", tiny_pdf("Ban sao trich luc")),
        kind="result",
    )
    binh = citizen("Trần Văn Bình", id_number=APPLICANT["id_number"], phone=APPLICANT["phone"])
    web = signed_in(binh)
    url = f"/tai-khoan/ket-qua/{d.code}/{item.pk}/"
    response = web.get(url)
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response[SIGNATURE_HEADER] == "valid"
    assert signing.verify_pdf(data).signer == "UBND xã Mỹ An"
    Path(item.file.path).write_bytes(data.replace(b"Ban sao", b"Ban SAO"))
    assert web.get(url)[SIGNATURE_HEADER] == "invalid"
