"""The applicant's account lists their own dossiers (online, and desk dossiers with the same
ID number and phone) and downloads a result returned electronically; nobody else can."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.files import attach_file
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local
from motcua.dossiers.tests.test_api import in_progress, procedure  # noqa: F401
from motcua.people.models import User
from motcua.portal.accounts import register_applicant

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def citizen(name: str, *, id_number: str, phone: str) -> User:
    return register_applicant(
        full_name=name,
        email="",
        phone=phone,
        password="mat-khau-2025-dai",
        id_number=id_number,
        address="",
    )


def signed_in(user: User) -> Client:
    web = Client()
    web.force_login(user)
    return web


def resolved_with_result(people: dict, province: Province, procedure: Any, **kw: Any) -> Any:  # noqa: F811
    d = in_progress(people, province, procedure, **kw)
    d = services.resolve_dossier(dossier=d, actor=people["dana"], at=local(2025, 3, 5, 9))
    item = attach_file(
        dossier=d,
        actor=people["alice"],
        upload=SimpleUploadedFile("Giấy khai sinh <bản ký số>.pdf", PDF),
        kind="result",
    )
    return d, item


def returned(d: Dossier, people: dict, delivery: str) -> Dossier:
    return services.return_result(
        dossier=d, actor=people["alice"], recipient="Trần Văn Bình", delivery=delivery
    )


def test_a_desk_dossier_with_the_same_id_and_phone_is_listed_and_its_result_downloads(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d, item = resolved_with_result(people, province, procedure)
    binh = citizen("Trần Văn Bình", id_number=APPLICANT["id_number"], phone=APPLICANT["phone"])
    web = signed_in(binh)
    url = f"/tai-khoan/ket-qua/{d.code}/{item.pk}/"
    page = web.get("/tai-khoan/").content.decode()
    assert d.code in page and "Đã xử lý xong" in page and url in page  # resolved, file attached
    returned(d, people, "electronic")
    page = web.get("/tai-khoan/").content.decode()
    assert "Đã trả kết quả" in page and url in page
    response = web.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="ket-qua-{d.code}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_citizen_and_anonymous_get_404(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d, item = resolved_with_result(people, province, procedure)
    returned(d, people, "electronic")
    url = f"/tai-khoan/ket-qua/{d.code}/{item.pk}/"
    lan = citizen("Lê Thị Lan", id_number="087095009999", phone="0987654321")
    assert d.code not in signed_in(lan).get("/tai-khoan/").content.decode()
    assert signed_in(lan).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    # the same ID number with another phone is not enough: both must match
    twin = citizen("Trần Văn Bình", id_number=APPLICANT["id_number"], phone="0900000001")
    assert signed_in(twin).get(url).status_code == 404
    assert d.code not in signed_in(twin).get("/tai-khoan/").content.decode()
    # an officer who may see the dossier still gets nothing through the citizen's address
    assert signed_in(people["alice"]).get(url).status_code == 404


def test_a_result_returned_at_the_desk_is_not_downloadable(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d, item = resolved_with_result(people, province, procedure)
    returned(d, people, "desk")
    binh = citizen("Trần Văn Bình", id_number=APPLICANT["id_number"], phone=APPLICANT["phone"])
    web = signed_in(binh)
    url = f"/tai-khoan/ket-qua/{d.code}/{item.pk}/"
    page = web.get("/tai-khoan/").content.decode()
    assert d.code in page and url not in page and "Tại bộ phận một cửa" in page
    assert web.get(url).status_code == 404


def test_an_online_dossier_of_the_account_downloads_without_matching_details(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    other = {**APPLICANT, "id_number": "001099000111", "phone": "0911000111"}
    d, item = resolved_with_result(people, province, procedure, applicant=other)
    mai = citizen("Phạm Thị Mai", id_number="", phone="0933444555")
    Dossier.objects.filter(pk=d.pk).update(applicant_user=mai)
    returned(Dossier.objects.get(pk=d.pk), people, "electronic")
    web = signed_in(mai)
    assert web.get(f"/tai-khoan/ket-qua/{d.code}/{item.pk}/").status_code == 200
    # another file id of the same dossier (not a result) is a 404
    component = attach_file(
        dossier=d,
        actor=people["alice"],
        upload=SimpleUploadedFile("to-khai.pdf", PDF),
        kind="component",
    )
    assert web.get(f"/tai-khoan/ket-qua/{d.code}/{component.pk}/").status_code == 404
