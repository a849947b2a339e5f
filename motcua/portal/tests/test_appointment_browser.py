"""Appointments in a real Chromium: a citizen books a home visit on a phone without JavaScript,
the desk officer finds it in the day's book and records the outcome.

Screenshots: var/screenshots/<test name>/NN-step.png (360 px for the citizen, 1366 px for the
desk). The clock is fixed (`clock` fixture), in the live server's thread too.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.portal.models import Appointment
from motcua.portal.tests.account_helpers import (  # noqa: F401 — fixtures
    media_fixture,
    setup_fixture,
)
from motcua.portal.tests.appointment_helpers import (  # noqa: F401 — fixtures
    Desks,
    at,
    clock_fixture,
    desks_fixture,
)
from motcua.portal.tests.browser import NewPage, Shoot
from motcua.portal.tests.test_browser_journey import sign_in_officer

pytestmark = pytest.mark.browser


def test_a_home_visit_booked_on_a_phone_reaches_the_desks_day(
    desks: Desks, clock: dict[str, Any], new_page: NewPage, screenshots: Shoot
) -> None:
    citizen = new_page(java_script_enabled=False, viewport={"width": 360, "height": 740})
    citizen.goto(f"/thu-tuc/{desks.setup.procedure.code}/")
    citizen.get_by_role("button", name="Đặt lịch hẹn").click()
    citizen.get_by_label("Nơi tiếp nhận").select_option(
        label="Trung tâm Phục vụ hành chính công xã Tháp Mười"
    )
    citizen.get_by_label("Tiếp nhận hồ sơ tại nhà").check()
    citizen.get_by_label("Ngày hẹn").select_option(label="Thứ Năm, 29/04/2027")
    screenshots(citizen, "chon-noi-hinh-thuc-ngay")
    citizen.get_by_role("button", name="Xem giờ còn trống").click()
    expect(citizen.get_by_role("heading", name="Giờ còn trống ngày 29/04/2027")).to_be_visible()
    # Reunification Day is not offered.
    assert "30/04/2027" not in citizen.get_by_label("Ngày hẹn").inner_text()
    citizen.get_by_label("08:00–08:30").check()
    citizen.get_by_label("Họ và tên").fill("Trần Văn Bình")
    citizen.get_by_label("Số điện thoại").fill("0987 654 321")
    screenshots(citizen, "gio-trong")
    citizen.get_by_role("button", name="Đặt lịch", exact=True).click()
    expect(
        citizen.get_by_text("Cần nhập địa chỉ nơi cán bộ đến tiếp nhận hồ sơ tại nhà.")
    ).to_be_visible()
    assert not Appointment.objects.exists()
    citizen.get_by_label("08:00–08:30").check()
    citizen.get_by_label("Địa chỉ tiếp nhận tại nhà").fill("Số 7, ấp Mỹ Thạnh, xã Tháp Mười")
    citizen.get_by_role("button", name="Đặt lịch", exact=True).click()
    expect(citizen.get_by_role("heading", name="Đã đặt lịch hẹn")).to_be_visible()
    appointment = Appointment.objects.get()
    expect(citizen.locator(".notice strong.code")).to_have_text(appointment.code)
    assert (appointment.kind, appointment.start) == ("home", at(29, 8))
    screenshots(citizen, "da-dat")

    clock["now"] = at(29, 8, 40)
    officer = new_page(viewport={"width": 1366, "height": 900})
    sign_in_officer(officer, desks.setup.officer)
    officer.get_by_role("link", name="Lịch hẹn trong ngày", exact=False).click()
    expect(officer.get_by_role("heading", name="Lịch hẹn trong ngày")).to_be_visible()
    row = officer.get_by_role("row").filter(has_text=appointment.code)
    expect(row).to_contain_text("Số 7, ấp Mỹ Thạnh, xã Tháp Mười")
    href = row.get_by_role("button", name="Tiếp nhận", exact=True).get_attribute("href") or ""
    assert href.startswith("/ho-so/tiep-nhan/?thu-tuc=1.000893&")
    assert href.endswith(f"&noi-tiep-nhan=N1.TTPV&lich-hen={appointment.code}")
    screenshots(officer, "lich-hen-trong-ngay")
    row.get_by_role("button", name="Vắng mặt").click()
    expect(officer.get_by_text(f"Đã ghi vắng mặt cho lịch hẹn {appointment.code}.")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.state == "no_show"
    screenshots(officer, "vang-mat")
