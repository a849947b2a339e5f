"""The leader's journey in Chromium at 1366 and 360 px: read the report in review, approve it
with a note, issue it (number, symbol, date, signer, recipients), download the issued paper,
send it and see the reporting task done on time; nothing wider than the screen, axe-clean.
Screenshots: var/screenshots/<test name>/NN-step.png."""

from __future__ import annotations

import io

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from motcua.conftest import Province, make_user
from motcua.people.choices import Role
from motcua.portal.tests.browser import NewPage, Shoot, browser, new_page, screenshots  # noqa: F401
from motcua.portal.tests.test_front_browser import SCREENS, check_layout
from motcua.reports.choices import ReportState
from motcua.reports.models import Report, ReportSnapshot
from motcua.reports.reform import services
from motcua.reports.tests.test_reform_lifecycle import quarter  # noqa: F401

pytestmark = pytest.mark.browser


def sign_in(tab: Page, username: str) -> None:
    tab.goto("/dang-nhap/")
    tab.get_by_label("Tên đăng nhập").fill(username)
    tab.get_by_label("Mật khẩu").fill(f"pw-{username}")
    tab.get_by_role("button", name="Đăng nhập").click()
    expect(tab.get_by_role("button", name=f"Đăng xuất ({username})")).to_be_visible()


@pytest.mark.parametrize("screen", SCREENS)
def test_leader_approves_issues_and_sends(
    quarter: dict,  # noqa: F811
    province: Province,
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
    screen: str,
) -> None:
    root = quarter["root"]
    make_user("lanhdao", (province.old, Role.LEADER), full_name="Nguyễn Văn An")
    report = services.generate_report(unit_code="DT", period="2023-Q3", actor=root)
    report = services.write_section(
        report=report, key="I.1", text="Tiếp nhận {{dossiers.received}} hồ sơ.", actor=root
    )
    report = services.submit_report(report=report, actor=root)
    tab = new_page(viewport=SCREENS[screen], accept_downloads=True)
    sign_in(tab, "lanhdao")
    tab.goto(f"/bao-cao-cchc/{report.pk}/duyet/")
    expect(tab.locator("h1")).to_have_text("Báo cáo cải cách hành chính Quý III/2023")
    expect(tab.get_by_text("Tiếp nhận 3 hồ sơ.")).to_be_visible()
    check_layout(tab)
    screenshots(tab, f"duyet-{screen}")
    tab.get_by_label("Ghi chú khi duyệt").fill("Đã xem xét các cảnh báo về số liệu.")
    tab.get_by_role("button", name="Phê duyệt").click()
    tab.wait_for_url(f"**/bao-cao-cchc/{report.pk}/ban-hanh/")
    expect(tab.get_by_role("status")).to_contain_text("Đã phê duyệt báo cáo")
    tab.get_by_label("Số văn bản").fill("166")
    tab.get_by_label("Ký hiệu").fill("BC-UBND")
    tab.get_by_label("Ngày ban hành").fill("18/09/2023")
    tab.get_by_label("Quyền hạn ký").select_option("KT.")
    tab.get_by_label("Chức vụ người ký").fill("Phó Chủ tịch")
    tab.get_by_label("Họ và tên người ký").fill("Nguyễn Văn An")
    tab.get_by_label("Địa danh").fill("Đồng Tháp")
    recipients = "UBND tỉnh (b/c);\nSở Nội vụ;\nLưu: VT, NC."
    tab.get_by_label("Nơi nhận (mỗi dòng một nơi)").fill(recipients)
    check_layout(tab)
    screenshots(tab, f"ban-hanh-{screen}")
    tab.get_by_role("button", name="Ban hành").click()
    expect(tab.get_by_role("status")).to_contain_text("Đã ban hành báo cáo")
    snapshot = ReportSnapshot.objects.get(report=report)
    expect(tab.locator("code.content-hash")).to_have_text(snapshot.content_hash)
    with tab.expect_download() as downloaded:
        tab.get_by_role("button", name="Tải bản Word (DOCX)").click()
    docx = Document(io.BytesIO(downloaded.value.path().read_bytes()))
    assert any("166/BC-UBND" in p.text for p in docx.paragraphs)
    check_layout(tab)
    screenshots(tab, f"da-ban-hanh-{screen}")
    tab.get_by_label("Thời điểm gửi").fill("19/09/2023 10:00")
    tab.get_by_role("button", name="Gửi báo cáo").click()
    expect(tab.locator(".sent-status")).to_have_text("Đã gửi lúc 19/09/2023 10:00 — đúng hạn")
    check_layout(tab)
    screenshots(tab, f"da-gui-{screen}")
    assert Report.objects.get(pk=report.pk).state == ReportState.SENT
