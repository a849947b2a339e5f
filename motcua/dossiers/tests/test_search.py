"""The queue's search box: every tab and state, any case, with or without diacritics, by phone
or ID number; the same search in the API (`?q=`)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local
from motcua.dossiers.tests.test_api import in_progress, procedure, receive  # noqa: F401

HUYEN = {
    "name": "Lê Hồng Huyền",
    "id_number": "087195004321",
    "phone": "0987654321",
    "owner_name": "Trương Văn Đức",
}


def text_of(html: str) -> str:
    """The words a person reads on the page: tags dropped, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def found(people: dict, province: Province, procedure: Any) -> dict[str, Any]:  # noqa: F811
    """Huyền's dossier, returned yesterday, among two dossiers of other applicants."""
    returned = in_progress(people, province, procedure, applicant=HUYEN)
    returned = services.resolve_dossier(
        dossier=returned, actor=people["dana"], at=local(2025, 3, 6, 9)
    )
    returned = services.return_result(
        dossier=returned, actor=people["alice"], recipient="Lê Hồng Huyền", at=local(2025, 3, 6, 10)
    )
    other = receive(people, province, procedure, applicant=APPLICANT)
    waiting = in_progress(
        people, province, procedure, applicant={**APPLICANT, "name": "Lê Thị Hồng"}
    )
    services.request_supplement(
        dossier=waiting,
        actor=people["dana"],
        items=["Tờ khai"],
        reason="Thiếu",
        at=local(2025, 3, 4),
    )
    return {"returned": returned, "other": other, "waiting": waiting}


@pytest.mark.parametrize(
    "query",
    [
        "le hong huyen",
        "LÊ HỒNG HUYỀN",
        "Huyen",
        "truong",  # the owner's name
        "TRƯƠNG",
        "0987654321",
        "4321",  # last digits of the phone and of the ID number
        "087195004321",
    ],
)
def test_search_finds_a_returned_dossier_from_any_tab(
    people: dict, found: dict[str, Any], query: str
) -> None:
    client = Client()
    client.force_login(people["alice"])
    for tab in ("cua-toi", "cho-bo-sung"):
        page = text_of(client.get("/ho-so/", {"tab": tab, "q": query}).content.decode())
        assert found["returned"].code in page, (tab, query)
        assert found["other"].code not in page and found["waiting"].code not in page
        assert "Đã trả kết quả" in page  # the row says where the dossier is
        assert "kể cả hồ sơ đã trả kết quả: 1 hồ sơ." in page


def test_every_word_must_match_and_the_row_names_its_tab(
    people: dict, found: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(people["alice"])
    both = text_of(client.get("/ho-so/", {"q": "le hong"}).content.decode())
    assert found["returned"].code in both and found["waiting"].code in both
    assert found["other"].code not in both
    narrow = text_of(client.get("/ho-so/", {"q": "thi hong"}).content.decode())
    assert found["waiting"].code in narrow and found["returned"].code not in narrow
    assert "Ở nhóm" in narrow and "Chờ bổ sung" in narrow
    code = text_of(client.get("/ho-so/", {"q": found["other"].code.lower()}).content.decode())
    assert found["other"].code in code and found["returned"].code not in code


def test_search_stays_inside_the_scope(people: dict, found: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["bob"])
    page = text_of(client.get("/ho-so/", {"q": "le hong huyen"}).content.decode())
    assert found["returned"].code not in page and "Không có hồ sơ nào." in page


def test_search_box_is_visible_on_every_tab(people: dict, found: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["alice"])
    for tab in ("cua-toi", "cua-don-vi", "sap-den-han", "qua-han", "cho-bo-sung"):
        html = client.get("/ho-so/", {"tab": tab}).content.decode()
        box = html.index('id="queue-q"')
        assert "<details" not in html[html.rindex("<form", 0, box) : box]


def test_api_search_uses_the_folded_text(people: dict, found: dict[str, Any]) -> None:
    client = APIClient()
    client.force_authenticate(people["alice"])
    for query in ("le hong huyen", "TRƯƠNG", "4321"):
        body = client.get("/api/v1/dossiers/", {"q": query}).json()
        rows = body["results"] if isinstance(body, dict) else body
        assert [r["code"] for r in rows] == [found["returned"].code], query
