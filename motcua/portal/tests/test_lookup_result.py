"""The public status lookup says where to get the result: desk, account or post."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.files import attach_file
from motcua.dossiers.results import record_postal_delivery
from motcua.dossiers.tests.factories import local
from motcua.portal.tests.lookup_helpers import procedure_for, received

CODE = "C1-250303-0001"
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def procedure(province: Province) -> Any:
    return procedure_for(province)


def resolved(people: dict, province: Province, procedure: Any) -> Any:
    d = received(people, province, procedure)
    d = services.transfer_dossier(
        dossier=d, actor=people["alice"], to_unit=province.commune_a, at=local(2025, 3, 3, 9, 30)
    )
    return services.resolve_dossier(dossier=d, actor=people["dana"], at=local(2025, 3, 10, 9))


def where(client: Client) -> str:
    html = client.post("/tra-cuu/", {"ma": CODE, "so": "5678"}).content.decode()
    assert 'id="noi-nhan"' in html
    start = html.index('id="noi-nhan"')
    return html[start : html.index("</section>", start)]


def test_returned_at_the_desk_names_the_desk(
    client: Client, people: dict, province: Province, procedure: Any
) -> None:
    d = resolved(people, province, procedure)
    services.return_result(dossier=d, actor=people["alice"], recipient="Trần Văn Bình")
    text = where(client)
    assert "Kết quả đã được trả tại Bộ phận Một cửa" in text
    assert "Ủy ban nhân dân xã Mỹ An" in text and "Ủy ban nhân dân huyện Tháp Mười" in text
    assert "Trần Văn Bình" not in text  # no personal data


def test_resolved_tells_where_and_whether_the_account_has_it(
    client: Client, people: dict, province: Province, procedure: Any
) -> None:
    d = resolved(people, province, procedure)
    text = where(client)
    assert "Nhận kết quả tại Bộ phận Một cửa" in text and "đăng nhập tài khoản" not in text
    attach_file(
        dossier=d, actor=people["alice"], upload=SimpleUploadedFile("kq.pdf", PDF), kind="result"
    )
    text = where(client)
    assert "Kết quả bản điện tử đã có" in text and "/tai-khoan/dang-nhap/" in text


def test_electronic_return_sends_the_citizen_to_the_account(
    client: Client, people: dict, province: Province, procedure: Any
) -> None:
    d = resolved(people, province, procedure)
    attach_file(
        dossier=d, actor=people["alice"], upload=SimpleUploadedFile("kq.pdf", PDF), kind="result"
    )
    services.return_result(
        dossier=d, actor=people["alice"], recipient="Trần Văn Bình", delivery="electronic"
    )
    text = where(client)
    assert "bản điện tử" in text and "Đăng nhập tài khoản" in text
    assert "kq.pdf" not in text and "/tai-khoan/ket-qua/" not in text  # no download here


def test_postal_return_shows_the_consignment_and_delivery(
    client: Client, people: dict, province: Province, procedure: Any
) -> None:
    d = resolved(people, province, procedure)
    d = services.return_result(
        dossier=d,
        actor=people["alice"],
        recipient="Bưu điện xã Mỹ An",
        delivery="postal",
        postal_consignment="EK123456789VN",
        at=local(2025, 3, 10, 10),
    )
    text = where(client)
    assert "bưu chính" in text and "EK123456789VN" in text and "Chưa phát" in text
    record_postal_delivery(dossier=d, delivered_on=dt.date(2025, 3, 12), actor=people["alice"])
    text = where(client)
    assert "Đã phát ngày 12/03/2025" in text


def test_nothing_is_said_before_the_result_exists(
    client: Client, people: dict, province: Province, procedure: Any
) -> None:
    received(people, province, procedure)
    html = client.post("/tra-cuu/", {"ma": CODE, "so": "5678"}).content.decode()
    assert "Nơi nhận kết quả" not in html
