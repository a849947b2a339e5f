"""The unit's report pages in Chromium: the commune's officer signs in, generates the Q3 2025
report from the menu, writes a section (the checks beside it change without a reload), inserts
a figure's reference, enters a register figure and downloads the paper. Each page at 1366 and
360 px: nothing wider than the screen, no serious accessibility fault, no internal key shown.
Screenshots: var/screenshots/<test name>/.
"""

from __future__ import annotations

import io
import re

import docx
import pytest
from playwright.sync_api import Page, ViewportSize, expect

from motcua.conftest import Province, make_user
from motcua.dossiers.tests.test_papers_browser import sign_in
from motcua.people.choices import Role
from motcua.portal.tests.browser import (  # noqa: F401
    NewPage,
    Shoot,
    axe_violations,
    browser,
    new_page,
    screenshots,
)
from motcua.reports.choices import ReportState
from motcua.reports.models import RegisterEntry, Report

pytestmark = pytest.mark.browser

DESKTOP = ViewportSize(width=1366, height=900)
PHONE = ViewportSize(width=360, height=740)
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Codes and English words that must never reach a Vietnamese page (figure keys, states).
INTERNAL = re.compile(
    r"\b(?:draft|editing|in_review|approved|issued|error|warning|computed|entered|written)\b"
    r"|\b(?:dossiers|staffing|budget|tasks|feedback)\.[a-z_]+"
)


def check(tab: Page, screenshots: Shoot, step: str) -> None:  # noqa: F811
    """The page at 1366 and at 360 px: fits, accessible, Vietnamese only; screenshots."""
    for name, size in (("1366", DESKTOP), ("360", PHONE)):
        tab.set_viewport_size(size)
        assert tab.evaluate(OVERFLOW) <= 0, f"{step} at {name} px is wider than the screen"
        screenshots(tab, f"{step}-{name}")
    assert axe_violations(tab) == []
    shown = tab.locator("main").inner_text()
    # a written text may quote a figure as {{key}}: that is the user's own text
    assert not INTERNAL.search(re.sub(r"\{\{[\w.]+\}\}", "", shown)), INTERNAL.search(shown)
    tab.set_viewport_size(DESKTOP)


def test_officer_generates_writes_sees_checks_enters_a_figure_and_downloads(
    province: Province,
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
) -> None:
    make_user("nhu", (province.new_commune, Role.SPECIALIST), full_name="Lê Thị Như")
    tab = new_page(viewport=DESKTOP)
    sign_in(tab, "nhu")
    tab.get_by_role("link", name="Báo cáo CCHC").click()
    expect(tab.get_by_role("heading", name="Báo cáo cải cách hành chính định kỳ")).to_be_visible()
    tab.get_by_text("Lập báo cáo", exact=True).first.click()
    units = tab.get_by_label("Đơn vị báo cáo")
    expect(units.locator("option").first).to_have_text("Ủy ban nhân dân xã Tháp Mười")
    units.select_option("N1")
    tab.get_by_label("Kỳ báo cáo").fill("Quý III/2025")
    check(tab, screenshots, "danh-sach")
    tab.get_by_role("button", name="Lập báo cáo").click()

    expect(
        tab.get_by_role("heading", name="Báo cáo cải cách hành chính Quý III/2025")
    ).to_be_visible()
    report = Report.objects.get()
    assert (report.unit_code, report.period_code) == ("N1", "2025-Q3")
    checks = tab.locator("#report-checks")
    expect(checks.locator("[data-state]")).to_have_text("Dự thảo")
    expect(checks.locator("[data-finding=canh-bao]")).to_have_count(0)
    check(tab, screenshots, "du-thao")

    # A typed number in the text: a warning appears beside it, without reloading the page.
    tab.evaluate("() => { window.__same = true; }")
    section = tab.locator("#muc-III-2-text")
    section.get_by_label("Nội dung mục III.2").fill("Còn 12 hồ sơ trễ hạn do thiếu nhân lực.")
    section.get_by_role("button", name="Lưu mục III.2").click()
    expect(tab.locator("#muc-III-2-text [data-saved]")).to_be_visible()
    expect(checks.locator("[data-finding=canh-bao]")).to_contain_text(
        "Mục III.2 có số gõ trong lời văn: 12"
    )
    expect(checks.locator("[data-state]")).to_have_text("Đang soạn")
    assert tab.evaluate("() => window.__same") is True  # an HTMX swap, not a new page

    # Quote the figure instead: the warning goes away.
    area = tab.locator("#muc-II-2-noi-dung")
    area.fill("Tổng số hồ sơ tiếp nhận trong kỳ: ")
    tab.locator('#muc-II-2 tr[data-figure="dossiers.received"]').get_by_role(
        "button", name="Chèn vào lời văn"
    ).click()
    expect(area).to_have_value("Tổng số hồ sơ tiếp nhận trong kỳ: {{dossiers.received}}")
    tab.locator("#muc-II-2-text").get_by_role("button", name="Lưu mục II.2").click()
    expect(tab.locator("#muc-II-2-text [data-saved]")).to_be_visible()
    section = tab.locator("#muc-III-2-text")
    section.get_by_label("Nội dung mục III.2").fill("Còn hồ sơ trễ hạn do thiếu nhân lực.")
    section.get_by_role("button", name="Lưu mục III.2").click()
    expect(checks.locator("[data-finding=canh-bao]")).to_have_count(0)

    # A hand-entered figure with its evidence reference.
    staffing = tab.locator("#muc-II-3")
    expect(staffing.locator("[data-missing]")).to_contain_text("Biên chế được giao")
    staffing.get_by_label("Số liệu", exact=True).select_option(label="Biên chế được giao")
    staffing.get_by_label("Giá trị").fill("25")
    staffing.get_by_label("Số liệu tính đến ngày").fill("14/09/2025")
    staffing.get_by_label("Hoặc số, ký hiệu văn bản nguồn").fill("Quyết định 15/QĐ-UBND")
    staffing.get_by_role("button", name="Ghi số liệu mục II.3").click()
    expect(tab.get_by_text("Đã nhập “Biên chế được giao”: 25.")).to_be_visible()
    row = tab.locator('#muc-II-3 tr[data-figure="staffing.assigned"]')
    expect(row.locator("[data-value]")).to_have_text("25")
    expect(row).to_contain_text("Nhập tay bởi nhu")
    assert RegisterEntry.objects.get().value_int == 25
    check(tab, screenshots, "dang-soan")

    # The paper, one click away.
    with tab.expect_download() as info:
        tab.get_by_role("link", name="Tải Word (DOCX)").click()
    download = info.value
    assert download.suggested_filename == (
        "Báo cáo CCHC Quý III-2025 - Ủy ban nhân dân xã Tháp Mười.docx"
    )
    paper = docx.Document(io.BytesIO(download.path().read_bytes()))
    body = "\n".join(p.text for p in paper.paragraphs)
    assert "Còn hồ sơ trễ hạn do thiếu nhân lực." in body
    assert "Tổng số hồ sơ tiếp nhận trong kỳ: 0" in body

    tab.get_by_role("button", name="Trình duyệt").click()
    expect(tab.locator("#report-checks [data-state]")).to_have_text("Chờ duyệt")
    assert Report.objects.get().state == ReportState.IN_REVIEW
    expect(tab.locator("textarea")).to_have_count(0)
    check(tab, screenshots, "cho-duyet")
