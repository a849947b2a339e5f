"""Public procedure pages: search with or without diacritics, filters, one procedure, 404s."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.conftest import Province
from motcua.portal.tests.lookup_helpers import procedure_for
from motcua.procedures.models import Component, Field, Procedure


@pytest.fixture
def catalogue(province: Province) -> dict[str, Procedure]:
    """Three published procedures in two fields, and one not published."""
    building, _ = Field.objects.get_or_create(code="xay-dung", defaults={"name": "Xây dựng"})
    permit = procedure_for(
        province,
        code="1.009972",
        name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        level="district",
        online_level="full",
        fee=75000,
    )
    permit.field = building
    permit.legal_basis = "Luật Xây dựng số 50/2014/QH13\nNghị định 15/2021/NĐ-CP"
    permit.publication_decision = "Quyết định 123/QĐ-UBND ngày 01/02/2024"
    permit.save()
    Component.objects.create(
        procedure=permit,
        order=2,
        name="Bản vẽ thiết kế xây dựng",
        copies=2,
        certified_copies=1,
        required=False,
        form_name="Mẫu số 01",
    )
    birth = procedure_for(province, code="1.001193", fee=0)
    marriage = procedure_for(
        province, code="1.000894", name="Đăng ký kết hôn", online_level="partial", fee=1000000
    )
    hidden = Procedure.objects.create(
        code="9.999999",
        name="Cấp giấy phép xây dựng thử nghiệm chưa công bố",
        level="province",
        time_limit_amount=5,
        published=False,
    )
    for procedure in (permit, birth, marriage):  # received by today's commune too
        procedure.competent_units.add(province.new_commune)
    return {"permit": permit, "birth": birth, "marriage": marriage, "hidden": hidden}


def names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_search_without_diacritics_finds_the_procedure(client: Client, catalogue) -> None:
    response = client.get("/thu-tuc/", {"q": "cap giay phep xay dung"})
    assert response.status_code == 200
    assert names(response) == ["Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"]
    assert "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ" in response.content.decode()
    # upper case and with diacritics find the same, the unpublished twin never appears
    for text in ("CẤP GIẤY PHÉP XÂY DỰNG", "Cấp giấy phép xây dựng", "1.009972"):
        assert names(client.get("/thu-tuc/", {"q": text})) == [catalogue["permit"].name]
    assert "thử nghiệm" not in client.get("/thu-tuc/", {"q": "xay dung"}).content.decode()


def test_filters_by_field_level_and_online_level(client: Client, catalogue) -> None:
    assert names(client.get("/thu-tuc/", {"field": "xay-dung"})) == [catalogue["permit"].name]
    assert names(client.get("/thu-tuc/", {"level": "commune"})) == [
        "Đăng ký kết hôn",
        "Thủ tục đăng ký khai sinh",
    ]
    assert names(client.get("/thu-tuc/", {"online_level": "partial"})) == ["Đăng ký kết hôn"]
    assert names(client.get("/thu-tuc/", {"q": "dang ky", "online_level": "none"})) == [
        "Thủ tục đăng ký khai sinh"
    ]
    # the public cannot ask for unpublished procedures through the catalogue's own filter
    everything = names(client.get("/thu-tuc/", {"published": "false"}))
    assert "Cấp giấy phép xây dựng thử nghiệm chưa công bố" not in everything
    assert len(everything) == 3


def test_bad_filter_shows_everything_with_a_message(client: Client, catalogue) -> None:
    response = client.get("/thu-tuc/", {"level": "galaxy"})
    assert response.status_code == 200
    assert len(names(response)) == 3
    assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_list_is_paginated_and_keeps_the_query(client: Client, province: Province) -> None:
    for n in range(25):
        procedure_for(province, code=f"2.{n:06d}", name=f"Thủ tục thử số {n:02d}")
    first = client.get("/thu-tuc/", {"q": "thu tuc thu"})
    assert first.context["page"].paginator.count == 25
    assert len(names(first)) == 20
    assert "?q=thu+tuc+thu&amp;trang=2" in first.content.decode()
    second = client.get("/thu-tuc/", {"q": "thu tuc thu", "trang": "2"})
    assert names(second) == [f"Thủ tục thử số {n:02d}" for n in range(20, 25)]


def test_list_answers_get_only(client: Client, catalogue) -> None:
    assert client.post("/thu-tuc/", {"q": "x"}).status_code == 405


def test_procedure_page_shows_what_the_catalogue_holds(client: Client, catalogue) -> None:
    response = client.get("/thu-tuc/1.009972/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "1.009972",
        "Xây dựng",
        "Cấp huyện",
        "10 ngày làm việc",
        "75.000 đồng",
        "Trực tuyến toàn trình",
        "Tờ khai đăng ký khai sinh",
        "Bản chính: 1 · Bản sao chứng thực: 0 · Bản sao: 0",
        "Bản vẽ thiết kế xây dựng",
        "Bản chính: 0 · Bản sao chứng thực: 1 · Bản sao: 2",
        "Mẫu số 01",
        "Luật Xây dựng số 50/2014/QH13<br>Nghị định 15/2021/NĐ-CP",
        "Quyết định 123/QĐ-UBND ngày 01/02/2024",
        "Nơi nộp hồ sơ",
    ):
        assert text in html, text
    assert 'href="/nop-ho-so/1.009972/"' in html
    assert "Nộp trực tuyến" in html
    assert "@media print" in (
        # the page is printable: the portal stylesheet it links has print rules
        client.get("/static/portal/portal.css").getvalue().decode()
    )


def test_fees_in_words_and_no_online_link_without_an_online_service(
    client: Client, catalogue
) -> None:
    birth = client.get("/thu-tuc/1.001193/").content.decode()
    assert "Miễn phí" in birth and "Không thu phí" not in birth
    assert "/nop-ho-so/" not in birth
    marriage = client.get("/thu-tuc/1.000894/").content.decode()
    assert "1.000.000 đồng" in marriage
    assert 'href="/nop-ho-so/1.000894/"' in marriage


def test_where_to_submit_lists_units_in_force_and_their_desks(
    client: Client, province: Province
) -> None:
    from motcua.units.models import Unit

    centre = Unit.objects.create(
        code="N1.TT",
        name="Bộ phận Một cửa xã Tháp Mười",
        level="subunit",
        kind="one_stop",
        parent=province.new_commune,
        valid_from=province.new_commune.valid_from,
    )
    procedure = procedure_for(province, code="1.004227", name="Đăng ký kết hôn")
    procedure.competent_units.set([province.commune_a, province.new_commune])
    html = client.get("/thu-tuc/1.004227/").content.decode()
    assert centre.name in html
    assert "Ủy ban nhân dân xã Tháp Mười" in html
    assert "Ủy ban nhân dân xã Mỹ An" not in html  # dissolved on 30/06/2025


def test_unpublished_and_unknown_procedures_are_404(client: Client, catalogue) -> None:
    assert client.get("/thu-tuc/9.999999/").status_code == 404
    assert client.get("/thu-tuc/0.000000/").status_code == 404
