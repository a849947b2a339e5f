"""The time-limit confirmation page in Chromium at 1366 and 360 px: the wording beside the
proposal, nothing wider than the screen, labels clear of fields, axe-clean; confirming works.
Screenshots: var/screenshots/<test name>/NN-step.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from motcua.conftest import Province
from motcua.portal.tests.browser import NewPage, Shoot, browser, new_page, screenshots  # noqa: F401
from motcua.portal.tests.test_browser_journey import sign_in_officer
from motcua.portal.tests.test_front_browser import SCREENS, check_layout
from motcua.procedures.models import Procedure
from motcua.procedures.tests.test_time_limit_confirmation import draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", SCREENS)
def test_confirm_a_time_limit_in_the_browser(
    province: Province,
    people: dict,
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
    screen: str,
) -> None:
    draft("1.002099")
    draft("2.002797")
    page = new_page(viewport=SCREENS[screen])
    sign_in_officer(page, people["adam"])
    page.goto("/danh-muc-thu-tuc/xac-nhan-thoi-han/")
    expect(page.get_by_role("heading", name="Xác nhận thời hạn giải quyết")).to_be_visible()
    check_layout(page)
    screenshots(page, f"danh-sach-{screen}")
    page.goto("/danh-muc-thu-tuc/1.002099/xac-nhan-thoi-han/")
    expect(page.get_by_text("Nguyên văn đã công bố")).to_be_visible()
    check_layout(page)
    screenshots(page, f"xac-nhan-{screen}")
    page.select_option("select[name=direct-unit]", "working_days")
    page.get_by_role("button", name="Xác nhận thời hạn").click()
    page.wait_for_url("**/danh-muc-thu-tuc/xac-nhan-thoi-han/")
    expect(
        page.get_by_text("Đã xác nhận thời hạn giải quyết của thủ tục 1.002099.")
    ).to_be_visible()
    procedure = Procedure.objects.get(code="1.002099")
    assert procedure.time_limit_confirmed and procedure.published
    assert (procedure.time_limit_amount, procedure.time_limit_unit) == (5, "working_days")
    assert procedure.time_limit_spec["channels"]["online"]["unit"] == "calendar_days"
    page.goto("/danh-muc-thu-tuc/2.002797/xac-nhan-thoi-han/")
    page.get_by_role("button", name="Xác nhận thời hạn").click()
    expect(page.get_by_text("hãy chọn đơn vị thời hạn").first).to_be_visible()
    check_layout(page)
    screenshots(page, f"thieu-don-vi-{screen}")
