"""The dossier page's "Thời hạn theo thủ tục" panel in Chromium at 1366 and 360 px: it fits the
screen, is axe-clean, and recording the start event gives the dossier its due instant."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from motcua.conftest import Province, make_user
from motcua.dossiers.tests.factories import local
from motcua.dossiers.tests.test_time_limits_as_written import WD, configured, receive
from motcua.portal.tests.browser import (  # noqa: F401
    NewPage,
    Shoot,
    axe_violations,
    browser,
    new_page,
    screenshots,
)
from motcua.portal.tests.test_browser_journey import sign_in_officer
from motcua.portal.tests.test_front_browser import OVERFLOW, SCREENS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_panel(page: Page) -> None:
    """Nothing wider than the screen; the panel's tables and forms are axe-clean."""
    assert page.evaluate(OVERFLOW) <= 0
    width = page.evaluate("() => document.documentElement.clientWidth")
    box = page.locator("section[aria-labelledby=h-time-limit]").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert axe_violations(page) == []


@pytest.mark.parametrize("screen", SCREENS)
def test_the_time_limit_panel_fits_and_records_the_start_event(
    province: Province,
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
    screen: str,
) -> None:
    root = make_user("root", is_superuser=True, full_name="Quản trị")
    stages = [
        {
            "body": "Sở Tư pháp thẩm định, có văn bản đề nghị",
            "amount": 2,
            "unit": WD,
            "start": "kể từ ngày nhận đủ hồ sơ hợp lệ",
        },
        {
            "body": "Chủ tịch Ủy ban nhân dân cấp tỉnh quyết định",
            "amount": 1,
            "unit": WD,
            "start": "kể từ ngày nhận được văn bản đề nghị của Sở Tư pháp",
        },
    ]
    procedure = configured(
        province,
        {"direct": {"amount": 3, "unit": WD}},
        start_event="nhận được văn bản đề nghị của Sở Tư pháp",
        ceiling={"amount": 10, "unit": WD, "condition": "trường hợp phức tạp"},
        stages=stages,
    )
    dossier = receive(province, procedure, root, local(2025, 4, 28, 9), "direct")
    page = new_page(viewport=SCREENS[screen])
    sign_in_officer(page, root)
    page.goto(f"/ho-so/{dossier.code}/")
    expect(page.get_by_role("heading", name="Thời hạn theo thủ tục")).to_be_visible()
    check_panel(page)
    screenshots(page, f"cho-su-kien-{screen}")
    page.fill("#id_clock_at", "29/04/2025 14:00")
    page.fill("#id_clock_note", "Công văn số 12/STP")
    page.get_by_role("button", name="Ghi nhận sự kiện").click()
    expect(page.get_by_text("Đã ghi nhận sự kiện bắt đầu tính thời hạn.")).to_be_visible()
    expect(page.get_by_text("07/05/2025 14:00").first).to_be_visible()
    check_panel(page)
    screenshots(page, f"da-ghi-nhan-{screen}")
