"""A commune officer's day at the one-stop desk, in a real Chromium, page by page.

The desk officer of commune N1 receives a birth registration at the counter (procedure found by
typing "khai sinh", two papers ticked), prints the receipt, finds the dossier again in the
queue by the applicant's name typed without diacritics, assigns it to the commune's civil
status officer and hands it to the first step. The civil status officer asks for a missing
paper and resumes when it comes; the chairwoman apologises for the delay with a new date typed
as `dd/mm/yyyy HH:MM` and resolves; the desk uploads the signed result and returns it
electronically; the applicant signs in on the portal and downloads it from their account.

Every step goes through the pages a person uses; the database is read only to check what the
pages claim. Each step fits a 1366 and a 360 px wide screen, screenshots of both:
var/screenshots/<test name>/NN-step-1366.png and NN-step-360.png.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, ViewportSize, expect

from motcua.conftest import Province, make_user
from motcua.dossiers.choices import Delivery, State
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_procedure
from motcua.dossiers.tests.test_documents import needs_soffice
from motcua.people.choices import Role
from motcua.people.models import User
from motcua.portal.accounts import register_applicant
from motcua.portal.tests.browser import (  # noqa: F401
    NewPage,
    Shoot,
    browser,
    new_page,
    screenshots,
)
from motcua.portal.tests.test_browser_journey import write_pdf
from motcua.procedures.models import Component, Procedure
from motcua.procedures.services import record_procedure_change

pytestmark = pytest.mark.browser

DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 360, "height": 740}
BIRTH = "Thủ tục đăng ký khai sinh"
TICKED = ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
UNTICKED = [
    "Văn bản ủy quyền theo quy định của pháp luật",
    "Giấy tờ chứng minh nơi cư trú",
]
APPLICANT = {
    "name": "Lê Hồng Huyền",
    "id_number": "087190002468",
    "phone": "0913579246",
    "address": "Ấp Mỹ Thạnh, xã Tháp Mười, Đồng Tháp",
    "password": "Khai-sinh-be-Na-2026",
}


def birth_registration(province: Province) -> Procedure:
    """The commune's birth registration, its papers as the catalogue lists them, and its
    near namesakes the search must rank below it."""
    commune = province.new_commune
    commune.has_one_stop = True
    commune.save(update_fields=["has_one_stop"])
    make_procedure("1.004884", units=[commune], name="Thủ tục đăng ký lại khai sinh")
    make_procedure("1.000656", units=[commune], name="Thủ tục đăng ký kết hôn")
    procedure = make_procedure(
        "1.001193",
        units=[commune],
        name=BIRTH,
        amount=1,
        steps=[("Thẩm định, trình ký", commune, 6), ("Ký giấy khai sinh", commune, 2)],
    )
    Component.objects.create(procedure=procedure, order=2, name=TICKED[1], originals=1)
    Component.objects.create(
        procedure=procedure, order=3, name=UNTICKED[0], originals=1, required=False
    )
    Component.objects.create(procedure=procedure, order=4, name=UNTICKED[1], copies=1)
    record_procedure_change(procedure, before=None, source="test")  # freeze the papers
    return procedure


def commune_staff(province: Province) -> dict[str, User]:
    """The people of a commune's one-stop work (passwords 'pw-<username>')."""
    commune = province.new_commune
    return {
        "desk": make_user(
            "motcua.thapmuoi",
            (commune, Role.ONE_STOP_OFFICER),
            full_name="Nguyễn Thị Thu Trang",
        ),
        "civil": make_user(
            "tuphap.thapmuoi", (commune, Role.SPECIALIST), full_name="Trần Minh Khoa"
        ),
        "leader": make_user(
            "chutich.thapmuoi", (commune, Role.LEADER), full_name="Phạm Thị Bích Vân"
        ),
    }


class Shots:
    """Each step at 1366 px, then the same page at 360 px, then back to the desktop."""

    def __init__(self, shoot: Shoot) -> None:
        self.shoot = shoot

    def __call__(self, page: Page, step: str) -> None:
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            self.shoot(page, f"{step}-{size['width']}")
            # The page fits the screen: nothing widens it (a table may scroll inside itself).
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], f"{step}: {width} px wide at {size['width']} px"
        page.set_viewport_size(DESKTOP)


def sign_in(page: Page, user: User) -> None:
    """The officer login form."""
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(f"pw-{user.username}")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=f"Đăng xuất ({user.username})")).to_be_visible()


def action_form(page: Page, label: str) -> Locator:
    """Unfold one action form of the dossier page (its <summary> is the action's name)."""
    summary = page.locator("summary", has_text=re.compile(rf"^{re.escape(label)}$"))
    form = page.locator("details.action-form").filter(has=summary)
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    return form


def open_in_queue(page: Page, code: str, tab: str) -> None:
    """The work queue from the menu, one of its tabs, and the dossier by its code."""
    page.get_by_role("link", name="Hồ sơ", exact=True).click()
    page.get_by_role("navigation", name="Nhóm hồ sơ").get_by_role("link", name=tab).click()
    page.locator("#queue").get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", name=f"Hồ sơ {code}")).to_be_visible()


def pdf_text(data: bytes, tmp_path: Path, name: str) -> str:
    """The text of a PDF, laid out as printed (pdftotext -layout)."""
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_a_commune_officer_receives_handles_and_returns_a_birth_registration(
    new_page: NewPage,  # noqa: F811
    province: Province,
    screenshots: Shoot,  # noqa: F811
    settings: Any,
    tmp_path: Path,
) -> None:
    needs_soffice()
    settings.MEDIA_ROOT = tmp_path / "media"
    birth_registration(province)
    staff = commune_staff(province)
    shots = Shots(screenshots)
    desk = new_page(viewport=DESKTOP, accept_downloads=True)

    # 1. The desk officer signs in through the login form.
    sign_in(desk, staff["desk"])
    shots(desk, "signed-in")

    # 2. Intake: type "khai sinh", choose the birth registration, tick two papers.
    desk.get_by_role("link", name="Hồ sơ", exact=True).click()
    desk.get_by_role("button", name="Tiếp nhận hồ sơ trực tiếp").click()
    expect(desk.get_by_role("heading", name="Tiếp nhận hồ sơ trực tiếp")).to_be_visible()
    desk.wait_for_load_state()  # htmx (deferred) listens to the search box from now on
    desk.get_by_label("Tìm thủ tục hành chính").fill("khai sinh")
    results = desk.locator("#procedure-results")
    expect(results.get_by_role("link")).to_have_count(2)
    expect(results.get_by_role("link").first).to_have_text(BIRTH)
    expect(results.get_by_role("link", name="Thủ tục đăng ký kết hôn")).to_have_count(0)
    shots(desk, "procedure-search")
    results.get_by_role("link", name=BIRTH, exact=True).click()
    checklist = desk.locator("#procedure-chosen fieldset.checklist")
    expect(checklist.get_by_role("checkbox", name=TICKED[0], exact=True)).to_be_visible()
    for name in TICKED:
        checklist.get_by_role("checkbox", name=name, exact=True).check()
    for name in UNTICKED:
        expect(checklist.get_by_role("checkbox", name=name, exact=True)).not_to_be_checked()
    desk.get_by_label("Số định danh cá nhân", exact=True).fill(APPLICANT["id_number"])
    desk.get_by_label("Họ tên người nộp").fill(APPLICANT["name"])
    desk.get_by_label("Số điện thoại").fill(APPLICANT["phone"])
    desk.get_by_label("Địa chỉ").fill(APPLICANT["address"])
    shots(desk, "intake-form")
    desk.get_by_role("button", name="Tiếp nhận", exact=True).click()
    heading = desk.get_by_role("heading", name=re.compile(r"^Hồ sơ N1-"))
    expect(heading).to_be_visible()
    code = desk.locator("h1 code").inner_text().strip()
    expect(desk.get_by_text(f"Đã tiếp nhận hồ sơ {code}.")).to_be_visible()
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == State.RECEIVED
    assert [c.name for c in dossier.components.order_by("order")] == TICKED
    shots(desk, "received")

    # 3. The receipt opens as PDF in a new tab: the code and exactly the two ticked papers.
    receipt = desk.locator("section.papers").get_by_role(
        "row", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    )
    with desk.context.expect_page() as opened:
        receipt.get_by_role("link", name="Mở bản PDF").click()
    tab = opened.value
    assert tab.url.endswith(f"/ho-so/{code}/giay-to/phieu-tiep-nhan.pdf")
    response = desk.request.get(tab.url)
    assert response.ok and response.body().startswith(b"%PDF")
    text = pdf_text(response.body(), tmp_path, "receipt.pdf")
    flat = " ".join(text.split())
    assert code in flat
    for name in TICKED:
        assert name in flat, name
    for name in UNTICKED:
        assert name not in flat, name
    tab.close()

    # 4. The queue: the dossier found again by the applicant's name typed without diacritics.
    desk.get_by_role("link", name="Hồ sơ", exact=True).click()
    desk.get_by_label("Tìm hồ sơ trong mọi nhóm").fill("le hong huyen")
    desk.get_by_label("Tìm hồ sơ trong mọi nhóm").press("Enter")
    found = desk.locator("#queue")
    expect(found.get_by_role("link", name=code, exact=True)).to_be_visible()
    expect(found.get_by_text(APPLICANT["name"])).to_be_visible()
    shots(desk, "queue-search")
    found.get_by_role("link", name=code, exact=True).click()
    expect(desk.get_by_role("heading", name=f"Hồ sơ {code}")).to_be_visible()

    # 5. At receipt the desk assigns it to the commune's civil status officer ...
    form = action_form(desk, "Giao cho công chức")
    form.get_by_label(re.compile("^Công chức của")).select_option(label="Trần Minh Khoa")
    form.get_by_role("button", name="Giao xử lý").click()
    assignment = desk.locator("section[aria-labelledby=h-assignment]")
    expect(assignment.locator("p strong")).to_have_text("Trần Minh Khoa")
    shots(desk, "assigned")

    # ... and hands it to the first step of the procedure, at the commune itself.
    form = action_form(desk, "Chuyển xử lý")
    form.get_by_label("Chuyển đến đơn vị").fill(province.new_commune.name)
    shots(desk, "transfer-form")
    form.get_by_role("button", name="Chuyển xử lý").click()
    expect(desk.get_by_text("Đã ghi nhận: chuyển xử lý.")).to_be_visible()
    expect(assignment.locator("p strong")).to_have_text("Trần Minh Khoa")
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    assert dossier.assignee == staff["civil"]

    # 6. The civil status officer finds it in "Của tôi" and asks for a missing paper.
    civil = new_page(viewport=DESKTOP)
    sign_in(civil, staff["civil"])
    open_in_queue(civil, code, "Của tôi")
    form = action_form(civil, "Yêu cầu bổ sung")
    form.get_by_role("checkbox", name=UNTICKED[1]).check()
    form.get_by_label("Lý do yêu cầu bổ sung").fill(
        "Cần giấy tờ chứng minh nơi cư trú của người mẹ để xác định thẩm quyền."
    )
    shots(civil, "supplement-form")
    form.get_by_role("button", name="Yêu cầu bổ sung").click()
    expect(civil.get_by_text("Đã ghi nhận: yêu cầu bổ sung.")).to_be_visible()
    expect(civil.get_by_text("Đang tạm dừng tính thời hạn").first).to_be_visible()
    shots(civil, "supplement-requested")
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED
    assert dossier.pauses.get().items == [UNTICKED[1]]

    # 7. The paper comes in: the clock runs again.
    form = action_form(civil, "Tiếp tục xử lý sau bổ sung")
    form.get_by_label("Ghi chú").fill("Đã nhận bản sao giấy xác nhận cư trú.")
    form.get_by_role("button", name="Tiếp tục xử lý sau bổ sung").click()
    expect(civil.get_by_text("Đã ghi nhận: tiếp tục xử lý sau bổ sung.")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    shots(civil, "resumed")

    # 8. The chairwoman apologises for the delay with a new date typed the Vietnamese way.
    leader = new_page(viewport=DESKTOP)
    sign_in(leader, staff["leader"])
    open_in_queue(leader, code, "Của đơn vị")
    due = dossier.promised_due or dossier.statutory_due
    assert due is not None
    new_due = timezone.localtime(due) + dt.timedelta(days=7)
    new_due = new_due.replace(hour=16, minute=0, second=0, microsecond=0)
    typed = new_due.strftime("%d/%m/%Y %H:%M")
    form = action_form(leader, "Xin lỗi và hẹn lại ngày trả")
    form.get_by_label("Lý do chậm").fill("Chờ xác minh nơi cư trú của người mẹ.")
    form.get_by_label("Ngày hẹn trả mới").fill(typed)
    shots(leader, "apology-form")
    form.get_by_role("button", name="Xin lỗi và hẹn lại ngày trả").click()
    expect(leader.get_by_text("Đã ghi nhận: xin lỗi và hẹn lại ngày trả.")).to_be_visible()
    expect(
        leader.locator("section[aria-labelledby=h-apologies]").get_by_text(typed)
    ).to_be_visible()
    # The dossier page now promises the new date (not the old one).
    deadline = leader.locator("section[aria-labelledby=h-deadline]")
    expect(deadline).to_contain_text(f"Ngày hẹn trả cho người nộp: {typed} (đã hẹn lại)")
    shots(leader, "apologised")
    apology = dossier.apologies.get()
    assert timezone.localtime(apology.new_due) == new_due

    # 9. ... and resolves it.
    form = action_form(leader, "Đã xử lý xong")
    form.get_by_role("button", name="Đã xử lý xong").click()
    expect(leader.get_by_text("Đã ghi nhận: đã xử lý xong.")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.state == State.RESOLVED
    shots(leader, "resolved")

    # 10. The desk uploads the signed result and returns it electronically.
    desk.reload()
    result = write_pdf(tmp_path / "giay-khai-sinh.pdf", "Giay khai sinh so 125/2026")
    upload = action_form(desk, "Tải lên tệp kết quả")
    upload.get_by_label("Tệp kết quả (bản ký số)").set_input_files(result)
    upload.get_by_role("button", name="Tải lên tệp kết quả").click()
    expect(desk.get_by_text("Đã đính kèm tệp giay-khai-sinh.pdf.")).to_be_visible()
    form = action_form(desk, "Trả kết quả")
    form.get_by_label("Người nhận kết quả").fill(APPLICANT["name"])
    form.get_by_label("Hình thức trả").select_option(label="Trả kết quả điện tử")
    shots(desk, "return-form")
    form.get_by_role("button", name="Trả kết quả").click()
    expect(desk.get_by_text("Đã ghi nhận: trả kết quả.")).to_be_visible()
    timeline = desk.locator("section[aria-labelledby=h-timeline]")
    expect(timeline).to_contain_text("Trả kết quả: trực tuyến (bản điện tử) — Nguyễn Thị Thu Trang")
    shots(desk, "returned")
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED and dossier.delivery == Delivery.ELECTRONIC

    # 11. The applicant's portal account (same ID number and phone) downloads the result.
    register_applicant(
        full_name=APPLICANT["name"],
        phone=APPLICANT["phone"],
        id_number=APPLICANT["id_number"],
        password=APPLICANT["password"],
    )
    citizen = new_page(viewport=DESKTOP, accept_downloads=True)
    citizen.goto("/tai-khoan/dang-nhap/")
    citizen.get_by_label("Thư điện tử hoặc số điện thoại").fill(APPLICANT["phone"])
    citizen.get_by_label("Mật khẩu").fill(APPLICANT["password"])
    citizen.get_by_role("button", name="Đăng nhập", exact=True).click()
    citizen.get_by_role("link", name="Tài khoản", exact=True).click()
    row = citizen.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("Đã trả kết quả")
    shots(citizen, "citizen-account")
    with citizen.expect_download() as download:
        row.get_by_role("link", name="Tải kết quả").click()
    assert download.value.suggested_filename == f"ket-qua-{code}.pdf"
    assert Path(download.value.path()).read_bytes() == result.read_bytes()
