"""Citizen pages of appointments: booking without JavaScript, confirmation, look-up, cancel."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from motcua.portal.choices import AppointmentState
from motcua.portal.models import Appointment
from motcua.portal.tests.account_helpers import (  # noqa: F401 — fixtures
    client_for,
    media_fixture,
    setup_fixture,
)
from motcua.portal.tests.appointment_helpers import (  # noqa: F401 — fixtures
    Desks,
    at,
    book,
    clock_fixture,
    desks_fixture,
)

pytestmark = pytest.mark.django_db


def url(desks: Desks) -> str:
    return f"/thu-tuc/{desks.setup.procedure.code}/dat-lich/"


def post(desks: Desks, **changes: str) -> dict[str, str]:
    data = {
        "noi": str(desks.setup.centre.pk),
        "hinh_thuc": "tai-quay",
        "ngay": "29/04/2027",
        "gio": "08:00",
        "name": "Trần Văn Bình",
        "phone": "0987 654 321",
        "email": "binh@example.vn",
        "id_number": "",
        "address": "",
        "note": "",
    }
    data.update(changes)
    return data


def test_the_procedure_page_offers_booking(desks: Desks) -> None:
    page = Client().get(f"/thu-tuc/{desks.setup.procedure.code}/").content.decode()
    assert f'href="{url(desks)}"' in page and "Đặt lịch hẹn" in page


def test_booking_end_to_end_without_javascript(
    desks: Desks, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    first = client.get(url(desks)).content.decode()
    assert "Xem giờ còn trống" in first and "Thứ Năm, 29/04/2027" in first
    assert "30/04/2027" not in first and "01/05/2027" not in first  # holiday, weekend
    assert "Tiếp nhận hồ sơ tại nhà" in first
    # Choosing desk, kind and day shows that day's free slots.
    day = client.get(
        url(desks),
        {"noi": str(desks.setup.centre.pk), "hinh_thuc": "tai-quay", "ngay": "29/04/2027"},
    ).content.decode()
    assert 'name="gio" value="07:00"' in day and 'name="gio" value="16:30"' in day
    assert "Giờ còn trống ngày 29/04/2027" in day and "còn 2 chỗ" in day
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(desks), post(desks))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/lich-hen/{appointment.code}/da-dat/"
    assert (appointment.start, appointment.phone, appointment.kind) == (
        at(29, 8),
        "0987654321",
        "counter",
    )
    done = client.get(response["Location"]).content.decode()
    assert appointment.code in done and "08:00, 29/04/2027" in done
    assert "Thư xác nhận đã được gửi đến binh@example.vn" in done
    assert len(mail.outbox) == 1
    # Another browser cannot open the confirmation of this code.
    assert Client().get(response["Location"]).status_code == 404
    # The slot now has one place left.
    again = client.get(
        url(desks),
        {"noi": str(desks.setup.centre.pk), "hinh_thuc": "tai-quay", "ngay": "29/04/2027"},
    ).content.decode()
    assert '08:00–08:30</span> <small class="muted">còn 1 chỗ</small>' in again
    assert '08:30–09:00</span> <small class="muted">còn 2 chỗ</small>' in again


def test_a_full_slot_is_shown_as_full_and_refused_when_posted(desks: Desks, settings: Any) -> None:
    settings.MOTCUA_APPOINTMENT_SLOT_CAPACITY = 1
    book(desks.setup, at(29, 8))
    client = Client()
    page = client.get(
        url(desks),
        {"noi": str(desks.setup.centre.pk), "hinh_thuc": "tai-quay", "ngay": "29/04/2027"},
    ).content.decode()
    assert 'value="08:00" disabled' in page and "đã đủ" in page
    response = client.post(url(desks), post(desks))
    assert response.status_code == 400
    assert "Giờ này không còn chỗ; hãy chọn giờ khác." in response.content.decode()
    assert Appointment.objects.count() == 1


def test_a_home_visit_without_address_is_refused_in_vietnamese(desks: Desks) -> None:
    response = Client().post(url(desks), post(desks, hinh_thuc="tai-nha"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Cần nhập địa chỉ nơi cán bộ đến tiếp nhận hồ sơ tại nhà." in html
    assert 'name="address"' in html and not Appointment.objects.exists()


def test_a_signed_in_applicant_is_prefilled_and_sees_and_cancels_from_the_account(
    desks: Desks,
) -> None:
    client = client_for(desks.setup.mai)
    page = client.get(
        url(desks),
        {"noi": str(desks.setup.centre.pk), "hinh_thuc": "tai-quay", "ngay": "29/04/2027"},
    ).content.decode()
    assert 'value="Nguyễn Thị Mai"' in page and 'value="0912345678"' in page
    client.post(url(desks), post(desks, name="Nguyễn Thị Mai", phone="0912345678"))
    appointment = Appointment.objects.get()
    assert appointment.applicant_user == desks.setup.mai
    account = client.get("/tai-khoan/").content.decode()
    assert "Lịch hẹn của tôi" in account and appointment.code in account
    assert "08:00 29/04/2027" in account and "Đã đặt lịch" in account
    # Another applicant cannot cancel it from their account (404, like a missing code).
    other = client_for(desks.setup.lan)
    assert other.post(f"/tai-khoan/lich-hen/{appointment.code}/huy/").status_code == 404
    assert appointment.code not in other.get("/tai-khoan/").content.decode()
    response = client.post(f"/tai-khoan/lich-hen/{appointment.code}/huy/")
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED


def test_lookup_and_cancel_by_code_and_four_digits(desks: Desks) -> None:
    appointment = book(desks.setup, at(29, 8))
    client = Client()
    wrong = client.post("/lich-hen/", {"ma": appointment.code, "so": "1234"})
    assert wrong.status_code == 404 and "Không tìm thấy lịch hẹn" in wrong.content.decode()
    found = client.post("/lich-hen/", {"ma": appointment.code.lower(), "so": "5678"})
    html = found.content.decode()
    assert found.status_code == 200 and appointment.code in html and "Huỷ lịch hẹn" in html
    # A forged cancel with the wrong digits is refused and changes nothing.
    forged = client.post("/lich-hen/huy/", {"ma": appointment.code, "so": "0000"})
    assert forged.status_code == 404
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
    done = client.post("/lich-hen/huy/", {"ma": appointment.code, "so": "5678", "ly_do": "Ốm"})
    assert done.status_code == 302
    assert "5678" not in done["Location"]  # the digits never travel in a URL
    appointment.refresh_from_db()
    assert (appointment.state, appointment.cancel_reason) == ("cancelled", "Ốm")
    after = client.get(done["Location"]).content.decode()
    assert f"Đã huỷ lịch hẹn {appointment.code}" in after


def test_lookup_by_get_shows_only_the_form(desks: Desks) -> None:
    """An old link with the digits in its query string reveals nothing (POST only)."""
    appointment = book(desks.setup, at(29, 8))
    page = Client().get("/lich-hen/", {"ma": appointment.code, "so": "5678"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'method="post"' in html and f'value="{appointment.code}"' in html
    assert "Huỷ lịch hẹn" not in html  # no appointment shown, nothing to cancel


def test_lookup_is_rate_limited(desks: Desks, settings: Any) -> None:
    settings.MOTCUA_LOOKUP_RATE_COUNT = 2
    client = Client()
    for _ in range(2):
        assert client.post("/lich-hen/", {"ma": "LHAAAAAA", "so": "1234"}).status_code == 404
    assert client.post("/lich-hen/", {"ma": "LHAAAAAA", "so": "1234"}).status_code == 429


def test_a_code_is_locked_after_wrong_digits_from_any_address(desks: Desks, settings: Any) -> None:
    settings.MOTCUA_LOOKUP_CODE_FAILURES = 2
    appointment = book(desks.setup, at(29, 8))
    for i in range(2):
        client = Client(REMOTE_ADDR=f"203.0.113.{i + 1}")
        assert client.post("/lich-hen/", {"ma": appointment.code, "so": "0000"}).status_code == 404
    # A third address with the right digits: the code is locked for everyone for a while.
    locked = Client(REMOTE_ADDR="203.0.113.9").post(
        "/lich-hen/", {"ma": appointment.code, "so": "5678"}
    )
    assert locked.status_code == 429
    assert appointment.code not in locked.content.decode()
