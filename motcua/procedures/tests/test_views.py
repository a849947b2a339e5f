"""Officer catalogue pages: login required, search, filters, the detail page in Vietnamese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from motcua.procedures.models import Component, Field, ProcessStep
from motcua.procedures.tests.factories import make_procedure

BIRTH = 'href="/danh-muc-thu-tuc/1.001193/"'
BRANCH = 'href="/danh-muc-thu-tuc/1.002099/"'


@pytest.fixture
def catalogue(province: object) -> None:
    civil = Field.objects.create(code="ho-tich", name="Hộ tịch")
    birth = make_procedure(
        "1.001193",
        name="Thủ tục đăng ký khai sinh",
        level="commune",
        field=civil,
        time_limit_amount=None,
        time_limit_unit="same_day",
        same_day_cutoff=dt.time(15, 0),
        online_level="full",
    )
    Component.objects.create(
        procedure=birth, order=1, name="Tờ khai đăng ký khai sinh", originals=1, copies=2
    )
    branch = make_procedure(
        "1.002099", name="Đăng ký hoạt động của chi nhánh", fee=50000, online_level="partial"
    )
    ProcessStep.objects.create(procedure=branch, order=1, name="Tiếp nhận", budget_minutes=240)
    ProcessStep.objects.create(procedure=branch, order=2, name="Thẩm định", budget_minutes=2160)
    make_procedure("9.999999", name="Thủ tục dự thảo", published=False)


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
def test_pages_need_a_login(catalogue: None) -> None:
    for url in ("/danh-muc-thu-tuc/", "/danh-muc-thu-tuc/1.001193/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.django_db
def test_list_searches_without_diacritics_and_filters(catalogue: None, people: dict) -> None:
    client = signed_in(people["alice"])
    page = client.get("/danh-muc-thu-tuc/").content.decode()
    assert "Danh mục thủ tục hành chính" in page
    assert "Thủ tục đăng ký khai sinh" in page and "Thủ tục dự thảo" not in page
    assert "2 thủ tục." in page
    found = client.get("/danh-muc-thu-tuc/?q=dang+ky+khai+sinh").content.decode()
    assert BIRTH in found and BRANCH not in found
    partial = client.get("/danh-muc-thu-tuc/?online_level=partial").content.decode()
    assert BRANCH in partial and BIRTH not in partial
    assert "50.000 đồng" in partial


@pytest.mark.django_db
def test_detail_page_in_words(catalogue: None, people: dict) -> None:
    client = signed_in(people["alice"])
    birth = client.get("/danh-muc-thu-tuc/1.001193/").content.decode()
    assert "trong ngày (nhận sau 15:00 thì trả trong ngày làm việc tiếp theo)" in birth
    assert "Tờ khai đăng ký khai sinh" in birth
    assert "Trực tuyến toàn trình" in birth and "Miễn phí" in birth
    branch = client.get("/danh-muc-thu-tuc/1.002099/").content.decode()
    assert "50.000 đồng" in branch and "5 ngày làm việc" in branch
    assert "4 giờ làm việc" in branch and "4 ngày 4 giờ làm việc" in branch
    assert "Phiên bản 1" in branch


@pytest.mark.django_db
def test_drafts_are_404_except_for_configurators(catalogue: None, people: dict) -> None:
    assert signed_in(people["alice"]).get("/danh-muc-thu-tuc/9.999999/").status_code == 404
    assert signed_in(people["adam"]).get("/danh-muc-thu-tuc/9.999999/").status_code == 200
    listing = signed_in(people["adam"]).get("/danh-muc-thu-tuc/").content.decode()
    assert "chưa công khai" in listing
