"""Web pages: sign-in, home per role, unit tree as of a date, scope on unit pages."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.conftest import Province


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_pages_need_sign_in(db: None) -> None:
    for url in ["/don-vi/", "/don-vi/C1/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")
    # "/" is the citizens' portal home for a visitor, the officer sign-in one link away.
    home = Client().get("/")
    assert home.status_code == 200
    assert 'href="/dang-nhap/"' in home.content.decode()


def test_sign_in_with_password_and_wrong_password(people: dict) -> None:
    client = Client()
    page = client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập" in page and 'lang="vi"' in page
    bad = client.post("/dang-nhap/", {"username": "alice", "password": "nope"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in bad.content.decode()
    good = client.post("/dang-nhap/", {"username": "alice", "password": "pw-alice"})
    assert good.status_code == 302
    home = client.get("/").content.decode()
    assert "Xin chào, Nguyễn Thị An" in home
    assert "Công chức tiếp nhận và trả kết quả" in home


def test_password_guessing_is_slowed_per_address(people: dict) -> None:
    from motcua.web import views

    limit = views.SIGN_IN_LIMIT
    client = Client()
    for i in range(limit.count):  # many accounts from one address (each under its own budget)
        response = client.post("/dang-nhap/", {"username": f"user{i}", "password": "nope"})
        assert response.status_code == 200
    refused = client.post("/dang-nhap/", {"username": "alice", "password": "pw-alice"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Quá nhiều lần đăng nhập" in refused.content.decode()
    # Even the right password is refused until the window ends: nothing signed in.
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert (
        other.post("/dang-nhap/", {"username": "alice", "password": "pw-alice"}).status_code == 302
    )


def test_home_differs_by_role(people: dict) -> None:
    admin_home = signed_in(people["adam"]).get("/").content.decode()
    assert "Cấu hình: đơn vị, người dùng, lịch làm việc" in admin_home
    officer_home = signed_in(people["alice"]).get("/").content.decode()
    assert "Cấu hình: đơn vị, người dùng" not in officer_home
    assert "Tra lịch làm việc" in officer_home
    nobody = signed_in(people["nora"]).get("/").content.decode()
    assert "Bạn chưa được phân công vai trò" in nobody


def test_unit_tree_as_of_dates_before_and_after_the_reform(people: dict) -> None:
    olga = signed_in(people["adam"])
    before = olga.get("/don-vi/?ngay=2024-06-30").content.decode()
    assert "Ủy ban nhân dân huyện Tháp Mười" in before
    assert "Ủy ban nhân dân xã Tháp Mười" not in before
    after = olga.get("/don-vi/?ngay=2025-07-01").content.decode()
    assert "Ủy ban nhân dân huyện Tháp Mười" not in after
    assert "Ủy ban nhân dân xã Tháp Mười" in after


def test_unit_tree_is_scoped(people: dict) -> None:
    page = signed_in(people["alice"]).get("/don-vi/?ngay=2024-06-30").content.decode()
    assert "Ủy ban nhân dân xã Mỹ An" in page
    assert "Ủy ban nhân dân xã Mỹ Hòa" not in page
    assert "Ủy ban nhân dân huyện Tháp Mười" not in page


def test_bad_date_shows_a_message(people: dict) -> None:
    page = signed_in(people["alice"]).get("/don-vi/?ngay=2024-02-30").content.decode()
    assert "Ngày “2024-02-30” không hợp lệ" in page


def test_unit_page_of_another_unit_is_404(people: dict) -> None:
    alice = signed_in(people["alice"])
    assert alice.get("/don-vi/C1/").status_code == 200
    assert alice.get("/don-vi/C2/").status_code == 404
    assert alice.get("/don-vi/NOPE/").status_code == 404


def test_unit_page_shows_successors_and_predecessors(people: dict, province: Province) -> None:
    adam = signed_in(people["adam"])
    old = adam.get("/don-vi/C1/").content.decode()
    assert "Đơn vị kế thừa" in old and "Ủy ban nhân dân xã Tháp Mười" in old
    new = adam.get("/don-vi/N1/").content.decode()
    assert "Kế thừa từ" in new and "Ủy ban nhân dân xã Mỹ Hòa" in new


@pytest.mark.parametrize("url", ["/", "/don-vi/", "/dang-nhap/"])
def test_english_is_switchable(people: dict, url: str) -> None:
    client = signed_in(people["alice"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302
    assert 'lang="en"' in client.get(url, follow=True).content.decode()


def test_admin_edit_writes_the_change_log(people: dict, province: Province) -> None:
    from motcua.audit.models import ObjectChange
    from motcua.conftest import make_user

    root = make_user("root", is_superuser=True, is_staff=True)
    client = signed_in(root)
    unit = province.commune_a
    response = client.post(
        f"/admin/units/unit/{unit.pk}/change/",
        {
            "code": unit.code,
            "name": "Ủy ban nhân dân xã Mỹ An (sửa)",
            "short_name": "",
            "level": unit.level,
            "kind": unit.kind,
            "parent": unit.parent_id,
            "valid_from": "",
            "valid_to": "2025-06-30",
            "admin_code": "",
            "names-TOTAL_FORMS": "0",
            "names-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = ObjectChange.objects.get(source="admin")
    assert change.actor == root
    assert change.before is not None and change.after is not None
    assert change.before["name"] == "Ủy ban nhân dân xã Mỹ An"
    assert change.after["name"] == "Ủy ban nhân dân xã Mỹ An (sửa)"


def test_vietnamese_first_whatever_the_browser_says(people: dict) -> None:
    page = signed_in(people["alice"]).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in page.content.decode()
    assert page["Content-Language"] == "vi"
