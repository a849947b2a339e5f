"""Tasks handed down in Chromium at 1366 and 360 px, as their users do them (issue 13):
the tracking office filters the list and opens a task, the lead unit's officer reports
progress (with an evidence file) and completion, the office confirms and the timeline shows
each step, a leader reads the board and clicks a figure of the statistics through to its list,
and the office pastes a letter to see the proposed drafts.

On every page: nothing wider than the screen, no serious accessibility fault, no internal key
on the page. Screenshots: var/screenshots/<test name>/.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from motcua.assignments.choices import Authority
from motcua.assignments.models import SourceDocument, Task
from motcua.assignments.services import assign_task, create_document
from motcua.assignments.tests.support import row, write_csv
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

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Internal keys (statuses, deadline kinds, figures) are snake_case; none may reach the page.
INTERNAL = re.compile(r"\b[a-z]+_[a-z_]+\b")
ENGLISH = re.compile(
    r"\b(?:None|True|False|overdue|pending|status|deadline|task|submit|report)\b", re.IGNORECASE
)
PDF = b"%PDF-1.4\n%%EOF\n"
EVIDENCE_LINK = re.compile(r"Tải tệp minh chứng \(bao-cao.*\.pdf\)")
LETTER = (
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\n\n"
    "Số: 77/UBND-KSTT\n"
    "V/v triển khai số hóa hồ sơ thủ tục hành chính\n\n"
    "Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:\n\n"
    "1. Giao Văn phòng Ủy ban nhân dân tỉnh thường xuyên đôn đốc việc số hóa hồ sơ, "
    "kết quả giải quyết thủ tục hành chính.\n\n"
    "2. Giao Văn phòng Ủy ban nhân dân tỉnh rà soát quy trình nội bộ giải quyết thủ tục "
    "hành chính, hoàn thành trước ngày 10/01/2027.\n"
)


def look(tab: Page, shoot: Any, step: str) -> str:
    """Screenshot, then the checks every page passes; returns the visible text."""
    tab.wait_for_load_state("networkidle")
    shoot(tab, step)
    assert tab.evaluate(OVERFLOW) <= 0, (step, tab.url, tab.evaluate(OVERFLOW))
    assert axe_violations(tab) == [], (step, tab.url)
    text = tab.locator("body").inner_text()
    assert not INTERNAL.findall(text), (step, INTERNAL.findall(text))
    assert not ENGLISH.findall(text), (step, ENGLISH.findall(text))
    assert "---" not in text, step  # a select's empty choice says what it means
    assert re.search(r"[ạảãàáâậầấẩẫăắằặẳẵêềếểễệôồốổỗộơờớởỡợưừứửữựđ]", text), step
    return text


def journey_data(province: Province, tmp_path: Path) -> dict[str, Any]:
    """The people and the tasks: a letter of the province with an overdue and a current
    obligation of district D1, one of district D2; the Prime Minister's 2023 tasks imported
    (for the issuer filter and the 2023-Q3 statistics)."""
    p = province
    people = {
        "olga": make_user("olga", (p.office, Role.PROVINCIAL_OFFICE), full_name="Lê Thị Oanh"),
        "sang": make_user("sang", (p.district, Role.SPECIALIST), full_name="Trần Văn Sang"),
        "lan": make_user("lan", (p.old, Role.LEADER), full_name="Phạm Thị Lan"),
    }
    today = timezone.localdate()
    doc: SourceDocument = create_document(
        number="1449/UBND-NC",
        issued_on=today - dt.timedelta(days=40),
        issuer_unit=p.old,
        summary="Về việc nâng cao Chỉ số cải cách hành chính",
        actor=None,
    )
    assign_task(
        document=doc,
        code="NV-TRE",
        title="Công khai thủ tục hành chính trên Cổng dịch vụ công",
        lead_unit=p.district,
        due_on=today - dt.timedelta(days=3),
        actor=None,
    )
    assign_task(
        document=doc,
        code="NV-SO-HOA",
        title="Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        lead_unit=p.district,
        deadline_text=f"trước ngày {(today + dt.timedelta(days=20)):%d/%m/%Y}",
        coordinating_units=[p.commune_a],
        actor=None,
    )
    assign_task(
        document=doc,
        code="NV-DOI-THOAI",
        title="Tổ chức đối thoại với người dân, doanh nghiệp",
        lead_unit=p.other_district,
        deadline_text="thường xuyên",
        actor=None,
    )
    done = {"due_on": "2023-08-01", "reported_done_on": "2023-07-20", "confirmed_on": "2023-07-30"}
    rows = [row(f"TTG-A{i}", lead_unit_code="D1", **done) for i in range(2)]
    rows += [row(f"TTG-B{i}", due_on="2023-09-01", reported_done_on="2023-08-25") for i in range(3)]
    rows += [row("TTG-C0", due_on="2023-12-31", lead_unit_code="C1")]
    call_command("import", "tasks", str(write_csv(tmp_path / "ttg.csv", rows)))
    return people


@pytest.mark.parametrize("screen", SCREENS)
def test_the_task_journey(
    province: Province,
    tmp_path: Path,
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
    screen: str,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the evidence file lands here
    journey_data(province, tmp_path)
    viewport = SCREENS[screen]

    # 1. The tracking office: the list, overdue first, filtered by issuer, one task opened.
    office = new_page(viewport=viewport)
    sign_in(office, "olga")
    office.get_by_role("link", name="Nhiệm vụ", exact=True).first.click()
    expect(office).to_have_url(re.compile(r"/nhiem-vu/$"))
    look(office, screenshots, f"danh-sach-{screen}")
    rows = office.locator("table tbody tr")
    assert rows.count() == 9
    late = [rows.nth(i).locator(".badge-late").count() > 0 for i in range(rows.count())]
    assert late == sorted(late, reverse=True) and late[0] and not late[-1], late
    office.get_by_text("Lọc nhiệm vụ").click()
    office.get_by_label("Cơ quan giao").select_option(label=str(Authority.PRIME_MINISTER.label))
    office.get_by_role("button", name="Lọc", exact=True).click()
    expect(office.locator("table tbody tr")).to_have_count(6)
    text = look(office, screenshots, f"loc-thu-tuong-{screen}")
    assert "6 nhiệm vụ." in text and "1449/UBND-NC" not in text
    office.get_by_label("Cơ quan giao").select_option("DT")
    office.get_by_role("button", name="Lọc", exact=True).click()
    expect(office.locator("table tbody tr")).to_have_count(3)
    codes = office.locator("table tbody tr td:first-child").all_inner_texts()
    assert codes == ["NV-TRE", "NV-SO-HOA", "NV-DOI-THOAI"]
    office.get_by_role("link", name="NV-SO-HOA").click()
    text = look(office, screenshots, f"nhiem-vu-van-phong-{screen}")
    # the wording as written, its kind, the last day it allows (not "Trước ngày: <last day>")
    due = timezone.localdate() + dt.timedelta(days=20)
    last = due - dt.timedelta(days=1)
    assert f"«trước ngày {due:%d/%m/%Y}» — Trước ngày, hạn cuối {last:%d/%m/%Y}" in text
    # the office decides (cancel, extend) but does not report; nothing to confirm yet
    assert office.locator("summary").all_inner_texts() == ["Hủy nhiệm vụ", "Gia hạn"]
    assert office.locator("form[action$='/thao-tac/progress/']").count() == 0

    # 2. The lead unit's officer: my unit's obligations, progress with a file, completion.
    officer = new_page(viewport=viewport)
    sign_in(officer, "sang")
    officer.goto("/nhiem-vu/")
    officer.get_by_role("link", name="Nhiệm vụ của đơn vị tôi").click()
    look(officer, screenshots, f"don-vi-toi-{screen}")
    lead_table = officer.locator("table").first
    mine = lead_table.locator("tbody td:first-child").all_inner_texts()
    assert mine[0] == "NV-TRE" and "NV-SO-HOA" in mine and "NV-DOI-THOAI" not in mine, mine
    lead_table.get_by_role("link", name="NV-SO-HOA").click()
    look(officer, screenshots, f"nhiem-vu-don-vi-{screen}")
    progress = officer.locator("form[action$='/thao-tac/progress/']")
    progress.get_by_label("Nội dung báo cáo").fill("Đã số hóa 120 trên 300 hồ sơ tồn.")
    progress.get_by_label("Tỷ lệ hoàn thành (%)").fill("40")
    progress.get_by_label("Tệp minh chứng").set_input_files(
        files=FilePayload(name="bao-cao.pdf", mimeType="application/pdf", buffer=PDF)
    )
    progress.get_by_role("button", name="Ghi nhận").click()
    expect(officer.get_by_text("Đã ghi báo cáo tiến độ.")).to_be_visible()
    text = look(officer, screenshots, f"tien-do-{screen}")
    assert "Đã số hóa 120 trên 300 hồ sơ tồn." in text and "40%" in text
    with officer.expect_download() as download:
        officer.get_by_role("link", name=EVIDENCE_LINK).click()
    assert Path(download.value.path()).read_bytes() == PDF
    officer.get_by_text("Báo cáo hoàn thành", exact=True).first.click()
    complete = officer.locator("form[action$='/thao-tac/complete/']")
    complete.get_by_label("Nội dung báo cáo").fill("Đã số hóa toàn bộ hồ sơ tồn.")
    complete.get_by_label("Minh chứng (số, ký hiệu văn bản đã ban hành)").fill("Báo cáo 15/BC-UBND")
    complete.get_by_role("button", name="Ghi nhận").click()
    expect(officer.get_by_text("Đã gửi báo cáo hoàn thành, chờ xác nhận.")).to_be_visible()
    look(officer, screenshots, f"hoan-thanh-{screen}")
    assert officer.locator("form[action$='/thao-tac/confirm/']").count() == 0
    task = Task.objects.get(code="NV-SO-HOA")
    assert task.status == "reported_done"
    assert task.reports.get(is_final=False).file.name.endswith(".pdf")

    # 3. The confirmer: confirms; the timeline shows each step, in order.
    office.reload()
    office.get_by_role("button", name="Ghi nhận").first.click()  # confirm is the open form
    expect(office.get_by_text("Đã xác nhận hoàn thành.")).to_be_visible()
    text = look(office, screenshots, f"xac-nhan-{screen}")
    timeline = office.locator("h2:has-text('Diễn biến') + ol li").all_inner_texts()
    steps = ["Giao nhiệm vụ", "Báo cáo tiến độ", "Báo cáo hoàn thành", "Xác nhận hoàn thành"]
    assert [next(s for s in steps if s in li) for li in timeline] == steps, timeline
    assert "Trần Văn Sang" in timeline[1] and "Lê Thị Oanh" in timeline[3], timeline
    assert Task.objects.get(code="NV-SO-HOA").status == "done"

    # 4. A leader: the board, the statistics, a figure clicked through to its list.
    leader = new_page(viewport=viewport)
    sign_in(leader, "lan")
    leader.goto("/nhiem-vu/bang-theo-doi/")
    text = look(leader, screenshots, f"bang-theo-doi-{screen}")
    total = leader.locator("table tfoot td").first.inner_text()
    assert total == "9", total
    leader.goto("/thong-ke/nhiem-vu/?unit=DT&period=2023-Q3")
    look(leader, screenshots, f"thong-ke-{screen}")
    figure = leader.locator("table tbody tr", has_text="Đã báo cáo hoàn thành").locator("a")
    assert figure.inner_text() == "3"
    figure.click()
    text = look(leader, screenshots, f"thong-ke-danh-sach-{screen}")
    assert "— 3 nhiệm vụ." in text
    expect(leader.locator("table tbody tr")).to_have_count(3)

    # 5. The paste-a-letter page: two assignments, two drafts.
    office.goto("/nhiem-vu/de-xuat/")
    look(office, screenshots, f"de-xuat-{screen}")
    office.get_by_label("Số, ký hiệu văn bản").fill("77/UBND-KSTT")
    office.get_by_label("Ngày ban hành").fill(f"{timezone.localdate():%Y-%m-%d}")
    office.get_by_label("Nội dung văn bản").fill(LETTER)
    office.get_by_role("button", name="Đề xuất nhiệm vụ").click()
    expect(office.get_by_text("2 nhiệm vụ được đề xuất")).to_be_visible()
    text = look(office, screenshots, f"de-xuat-ket-qua-{screen}")
    assert "Hạn tính được: 09/01/2027" in text and "Không có ngày hạn cụ thể" in text
    assert "chưa nhận ra đơn vị chủ trì" not in text
    office_name = "Văn phòng Ủy ban nhân dân tỉnh"
    for i in (1, 2):
        chosen = office.locator(f"select[name='chu-tri-{i}'] option:checked").all_inner_texts()
        assert chosen == [office_name], (i, chosen)
    assert office.locator("select[name='phoi-hop-2'] option:checked").count() == 0
    # No issuer is chosen for the officer (it was «Chính phủ», silently): creating asks for one.
    office.get_by_role("button", name="Xác nhận và tạo nhiệm vụ").click()
    expect(office.get_by_text("Hãy chọn cơ quan giao.")).to_be_visible()
    office.get_by_label("Cơ quan giao").select_option(label=office_name)
    office.get_by_role("button", name="Xác nhận và tạo nhiệm vụ").click()
    expect(office.get_by_text("Đã tạo 2 nhiệm vụ.")).to_be_visible()
    text = look(office, screenshots, f"de-xuat-da-tao-{screen}")
    assert "2 nhiệm vụ." in text and "77/UBND-KSTT" in text
