"""The home page leads to the day's work: the queue for everyone who sees dossiers, the counter
(the desk's tab, intake, the register) only for those who receive."""

from __future__ import annotations

from django.test import Client


def home(user: object) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client.get("/").content.decode()


def test_the_desk_finds_its_work_from_the_home_page(people: dict) -> None:
    desk = home(people["alice"])
    assert '<a href="/ho-so/">Danh sách hồ sơ</a>' in desk
    assert 'href="/ho-so/?tab=tai-quay"' in desk
    assert '<a href="/ho-so/tiep-nhan/">Tiếp nhận hồ sơ trực tiếp</a>' in desk
    assert '<a href="/thong-ke/">Thống kê hồ sơ</a>' in desk


def test_no_counter_links_for_who_does_not_receive(people: dict) -> None:
    leader = home(people["dana"])
    assert '<a href="/ho-so/">Danh sách hồ sơ</a>' in leader
    assert "/ho-so/tiep-nhan/" not in leader and "tab=tai-quay" not in leader
    nobody = home(people["nora"])
    assert "Danh sách hồ sơ" not in nobody
