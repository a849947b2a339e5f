"""The calendar page at /lich/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client):
    client.force_login(User.objects.create_user("canbo", password="x-very-long-pw"))
    return client


def test_year_page_lists_days_with_reasons(user_client):
    response = user_client.get(reverse("workcalendar:year"), {"year": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Lịch làm việc năm 2026",
        "Ngày nghỉ lễ",
        "Nghỉ bù",
        "Ngày làm bù",
        "Nghỉ hoán đổi",
        "Thứ Hai",
        "Thứ Bảy",
        "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)",
        "Ngày Văn hóa Việt Nam",
        "Nghị quyết 80-NQ/TW",
        "chưa xác nhận",
        "22/08/2026",
    ]:
        assert text in html, text
    assert len(response.context["days"]) == 14


def test_year_page_shows_2024_swap_document(user_client):
    html = user_client.get(reverse("workcalendar:year"), {"year": "2024"}).content.decode()
    assert "Công văn 2450/VPCP-KGVX" in html
    assert "04/05/2024" in html


def test_year_page_due_form(user_client):
    response = user_client.get(
        reverse("workcalendar:year"),
        {"year": "2024", "start": "2024-04-26T10:00", "amount": "5", "time_unit": "working_days"},
    )
    html = response.content.decode()
    assert response.context["result"].statutory_due.isoformat() == "2024-05-07T10:00:00+07:00"
    assert "Ngày Chiến thắng" in html and "2024-05-07T10:00:00+07:00" in html


def test_year_page_bad_input_is_reported(user_client):
    response = user_client.get(
        reverse("workcalendar:year"),
        {
            "year": "abc",
            "unit": "NOPE",
            "start": "2024-13-01",
            "amount": "1",
            "time_unit": "working_days",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Năm không hợp lệ" in html and "NOPE" in html
    assert "is not an ISO 8601 date-time" in html


def test_year_page_requires_login(client):
    response = client.get(reverse("workcalendar:year"))
    assert response.status_code == 302
    assert "next=" in response["Location"]
