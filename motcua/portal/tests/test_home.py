"""The portal's front door: `/` is the citizens' home for a visitor and an applicant; an
officer signed in still gets the officer home."""

from __future__ import annotations

from django.test import Client

from motcua.portal.tests.account_helpers import applicant


def test_a_visitor_gets_the_citizens_home_with_every_door(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cổng dịch vụ công của tỉnh" in html
    for door in (
        'action="/thu-tuc/"',  # search procedures
        'action="/tra-cuu/"',  # look up a dossier
        'href="/phan-anh/gui/"',  # send feedback
        'href="/lich-hen/"',  # appointments booked
        'href="/tai-khoan/dang-nhap/"',  # citizens sign in
        'href="/tai-khoan/dang-ky/"',
        'href="/dang-nhap/"',  # officers, one link away
    ):
        assert door in html, door
    assert "<script" not in html


def test_the_home_search_and_lookup_forms_work(db: None) -> None:
    client = Client()
    assert client.get("/thu-tuc/", {"q": "cap ban sao"}).status_code == 200
    response = client.post("/tra-cuu/", {"ma": "C1-250303-0001", "so": "1234"})
    assert response.status_code == 404  # unknown dossier: the same answer as a wrong pair
    assert "Mã hồ sơ" in response.content.decode()


def test_an_applicant_gets_the_citizens_home_with_the_account(db: None) -> None:
    client = Client()
    client.force_login(applicant("Lê Thị Hoa", email="hoa@example.vn"))
    html = client.get("/").content.decode()
    assert 'href="/tai-khoan/"' in html and "Vào tài khoản" in html
    assert 'href="/tai-khoan/dang-nhap/"' not in html


def test_an_officer_still_gets_the_officer_home(people: dict) -> None:
    client = Client()
    client.force_login(people["alice"])
    html = client.get("/").content.decode()
    assert "Xin chào, Nguyễn Thị An" in html
    assert "Cổng dịch vụ công của tỉnh" not in html
