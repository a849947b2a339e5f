"""The citizen's journey through the portal and the officer workspace, in a real Chromium.

Three browser contexts (own cookies each) play the citizen, the desk officer and the leader of
the receiving commune. Every step is a page a person would use; the database is read back only
to check what the pages claim. Screenshots: var/screenshots/<test name>/NN-step.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.choices import Channel, PaymentMethod, State, SubmittedBy
from motcua.dossiers.models import Dossier, DossierRating
from motcua.dossiers.tests.factories import APPLICANT, make_procedure
from motcua.people.choices import Role
from motcua.people.models import User
from motcua.portal.models import ApplicantProfile
from motcua.portal.selectors import instant_text
from motcua.portal.tests.browser import NewPage, Shoot
from motcua.procedures.models import Component, Procedure
from motcua.procedures.services import procedure_state, record_procedure_change

pytestmark = pytest.mark.browser

PERMIT_NAME = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
PERMIT_FEE = 75_000
PHONE_SCREEN = {"width": 360, "height": 740}
CITIZEN = {
    "name": "Võ Thị Hồng Nhung",
    "email": "nhung.vo@example.vn",
    "phone": "0987 654 321",
    "id_number": "087190004321",
    "password": "Nha-o-rieng-le-2025",
}


def building_permit(province: Province) -> Procedure:
    """A published procedure of commune N1 that can be done fully online, with components."""
    commune = province.new_commune
    commune.has_one_stop = True
    commune.save(update_fields=["has_one_stop"])
    make_procedure("1.009000", units=[commune])  # another procedure the search must leave out
    procedure = make_procedure(
        "1.009974",
        units=[commune],
        name=PERMIT_NAME,
        online_level="full",
        fee=PERMIT_FEE,
        legal_basis="Luật Xây dựng số 50/2014/QH13, được sửa đổi, bổ sung năm 2020.",
        steps=[
            ("Tiếp nhận hồ sơ", commune, 4),
            ("Thẩm định hồ sơ", commune, 60),
            ("Phê duyệt, ký giấy phép", commune, 16),
        ],
    )
    before = procedure_state(procedure)
    procedure.components.all().delete()
    Component.objects.create(
        procedure=procedure,
        order=1,
        name="Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)",
        originals=1,
    )
    Component.objects.create(
        procedure=procedure,
        order=2,
        name="Bản vẽ thiết kế xây dựng",
        originals=2,
        required=False,
    )
    record_procedure_change(procedure, before=before, source="test")
    return procedure


def officers(province: Province) -> dict[str, User]:
    """The desk officer and the leader of commune N1 (passwords 'pw-<username>')."""
    commune = province.new_commune
    return {
        "desk": make_user(
            "tiepnhan", (commune, Role.ONE_STOP_OFFICER), full_name="Lê Thị Tiếp Nhận"
        ),
        "leader": make_user("lanhdao", (commune, Role.LEADER), full_name="Phạm Văn Lãnh Đạo"),
    }


def fits_width(page: Page, width: int) -> bool:
    """Whether the page fits `width` pixels: no horizontal scrolling."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    return bool(scroll_width <= width)


def write_pdf(path: Path, text: str) -> Path:
    """A small, valid one-page PDF (with its cross-reference table) saying `text`."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(body))
    return path


def sign_in_officer(page: Page, user: User) -> None:
    """Sign in at the officer login page (/dang-nhap/)."""
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(f"pw-{user.username}")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=f"Đăng xuất ({user.username})")).to_be_visible()


def open_from_queue(page: Page, code: str) -> None:
    """Go to the work queue ("Hồ sơ" in the menu) and open the dossier by its code."""
    page.get_by_role("link", name="Hồ sơ", exact=True).click()
    page.get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", name=f"Hồ sơ {code}")).to_be_visible()


def action_form(page: Page, label: str) -> Locator:
    """Unfold one action form of the dossier page (its <summary> is the action's name)."""
    summary = page.locator("summary", has_text=re.compile(rf"^{re.escape(label)}$"))
    form = page.locator("details.action-form").filter(has=summary)
    form.locator("summary").click()
    return form


def look_up(page: Page, code: str, digits: str) -> None:
    """The public status look-up: code + last four digits."""
    page.get_by_role("link", name="Tra cứu hồ sơ").first.click()
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("4 số cuối").fill(digits)
    page.get_by_role("button", name="Tra cứu", exact=True).click()


def test_citizen_submits_online_officers_handle_it_and_the_citizen_rates_it(
    new_page: NewPage,
    province: Province,
    screenshots: Shoot,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    building_permit(province)
    staff = officers(province)
    scan = write_pdf(tmp_path / "don-de-nghi.pdf", "Don de nghi cap giay phep xay dung")
    citizen, desk, leader = new_page(), new_page(), new_page()

    # 1. The citizen finds the procedure typing without diacritics, and opens it.
    citizen.goto("/thu-tuc/")
    citizen.get_by_label("Tên hoặc mã thủ tục").fill("cap giay phep xay dung")
    citizen.get_by_role("button", name="Tìm", exact=True).click()
    expect(citizen.get_by_text("Tìm thấy 1 thủ tục.")).to_be_visible()
    expect(citizen.get_by_role("link", name="Thủ tục đăng ký khai sinh")).to_have_count(0)
    screenshots(citizen, "procedure-search")
    citizen.get_by_role("link", name=PERMIT_NAME).click()
    expect(citizen.get_by_role("heading", name=PERMIT_NAME)).to_be_visible()
    expect(citizen.get_by_text("Trực tuyến toàn trình")).to_be_visible()
    expect(citizen.get_by_text("Bản vẽ thiết kế xây dựng")).to_be_visible()
    screenshots(citizen, "procedure-page")

    # 2. Submitting online needs an account: register on the way, then come back to the form.
    citizen.get_by_role("button", name="Nộp trực tuyến").click()
    expect(citizen.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    citizen.get_by_role("link", name="Đăng ký tài khoản").click()
    citizen.get_by_label("Họ và tên").fill(CITIZEN["name"])
    citizen.get_by_label("Thư điện tử").fill(CITIZEN["email"])
    citizen.get_by_label("Số điện thoại").fill(CITIZEN["phone"])
    citizen.locator("#id_password1").fill(CITIZEN["password"])
    citizen.locator("#id_password2").fill(CITIZEN["password"])
    screenshots(citizen, "register")
    citizen.get_by_role("button", name="Đăng ký", exact=True).click()

    # 3. The form of the procedure, prefilled from the account; one PDF for the application.
    expect(citizen.get_by_role("heading", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    expect(citizen.get_by_label("Họ và tên người nộp")).to_have_value(CITIZEN["name"])
    citizen.get_by_label("Số định danh cá nhân").fill(CITIZEN["id_number"])
    citizen.get_by_label("Địa chỉ").fill("Số 12, ấp Mỹ Thạnh, xã Tháp Mười, Đồng Tháp")
    citizen.get_by_label("Đơn đề nghị cấp giấy phép xây dựng").set_input_files(scan)
    screenshots(citizen, "submission-form")
    citizen.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    expect(citizen.get_by_role("heading", name="Đã nộp hồ sơ")).to_be_visible()
    code = citizen.locator("#ma-ho-so").inner_text().strip()
    assert re.fullmatch(r"N1-\d{6}-0001", code)
    expect(citizen.get_by_text(f"Mã hồ sơ của bạn: {code}")).to_be_visible()
    screenshots(citizen, "submitted")
    dossier = Dossier.objects.get(code=code)
    applicant = ApplicantProfile.objects.get(email=CITIZEN["email"]).user
    assert dossier.state == State.SUBMITTED
    assert dossier.channel == Channel.ONLINE
    assert dossier.submitted_by == SubmittedBy.APPLICANT
    assert dossier.applicant_user == applicant
    assert dossier.receiving_unit == province.new_commune
    assert dossier.applicant_phone == "0987654321"
    stored = dossier.files.get()
    assert stored.original_name == "don-de-nghi.pdf"
    assert stored.component_name == "Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)"
    assert stored.file.read() == scan.read_bytes()

    # 4. The fee, paid through the local demonstration gateway.
    citizen.get_by_role("button", name="Thanh toán phí, lệ phí trực tuyến").click()
    citizen.get_by_role("button", name=re.compile(r"^Thanh toán 75\.000")).click()
    expect(citizen.get_by_role("heading", name="Cổng thanh toán thử")).to_be_visible()
    screenshots(citizen, "payment-gateway")
    citizen.get_by_role("button", name="Xác nhận thanh toán").click()
    expect(citizen.get_by_text("Đã ghi nhận thanh toán")).to_be_visible()
    payment = dossier.payments.get()
    assert (payment.method, payment.amount) == (PaymentMethod.DEMO, PERMIT_FEE)
    screenshots(citizen, "paid")

    # 5. The desk officer of the receiving commune receives it from the work queue.
    sign_in_officer(desk, staff["desk"])
    open_from_queue(desk, code)
    expect(desk.get_by_text("Đã nộp, chờ tiếp nhận").first).to_be_visible()
    expect(desk.get_by_text("Trực tuyến · Người nộp tự nộp")).to_be_visible()
    screenshots(desk, "officer-dossier-submitted")
    action_form(desk, "Tiếp nhận").get_by_role("button", name="Tiếp nhận", exact=True).click()
    expect(desk.get_by_text("Đã ghi nhận: tiếp nhận.")).to_be_visible()
    screenshots(desk, "officer-received")
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED and dossier.received_at is not None
    due = dossier.promised_due or dossier.statutory_due
    assert due is not None

    # 6. The citizen follows it without signing in: code + last four digits of the phone.
    look_up(citizen, code, "4321")
    expect(citizen.get_by_text("Đã tiếp nhận", exact=True)).to_be_visible()
    expect(citizen.get_by_text(f"Hạn trả kết quả: {instant_text(due)}")).to_be_visible()
    content = citizen.content()
    assert "0987654321" not in content and CITIZEN["id_number"] not in content
    assert CITIZEN["name"] not in content  # the name is shortened to initials
    screenshots(citizen, "status-received")

    # 7. Without JavaScript the search and the look-up work the same.
    plain = new_page(java_script_enabled=False)
    plain.goto("/thu-tuc/")
    plain.get_by_label("Tên hoặc mã thủ tục").fill("CAP GIAY PHEP XAY DUNG")
    plain.get_by_role("button", name="Tìm", exact=True).click()
    plain.get_by_role("link", name=PERMIT_NAME).click()
    expect(plain.get_by_role("heading", name=PERMIT_NAME)).to_be_visible()
    screenshots(plain, "no-js-procedure")
    look_up(plain, code, "0000")
    expect(plain.get_by_text("Không tìm thấy hồ sơ")).to_be_visible()
    look_up(plain, code, "4321")
    expect(plain.get_by_text("Đã tiếp nhận", exact=True)).to_be_visible()
    expect(plain.get_by_text(f"Hạn trả kết quả: {instant_text(due)}")).to_be_visible()
    screenshots(plain, "no-js-status")

    # 8. The desk hands it to the first step; the leader resolves; the desk returns the result.
    form = action_form(desk, "Chuyển xử lý")
    form.get_by_label("Chuyển đến đơn vị").fill(province.new_commune.name)
    form.get_by_role("button", name="Chuyển xử lý").click()
    expect(desk.get_by_text("Đã ghi nhận: chuyển xử lý.")).to_be_visible()
    sign_in_officer(leader, staff["leader"])
    open_from_queue(leader, code)
    action_form(leader, "Đã xử lý xong").get_by_role("button", name="Đã xử lý xong").click()
    expect(leader.get_by_text("Đã ghi nhận: đã xử lý xong.")).to_be_visible()
    screenshots(leader, "leader-resolved")
    open_from_queue(desk, code)
    # Electronic return needs the signed result file: the desk uploads it next to the action.
    result = write_pdf(tmp_path / "giay-phep.pdf", "Giay phep xay dung so 01/GPXD")
    upload = action_form(desk, "Tải lên tệp kết quả")
    upload.get_by_label("Tệp kết quả (bản ký số)").set_input_files(result)
    upload.get_by_role("button", name="Tải lên tệp kết quả").click()
    expect(desk.get_by_text("Đã đính kèm tệp giay-phep.pdf.")).to_be_visible()
    form = action_form(desk, "Trả kết quả")
    form.get_by_label("Người nhận kết quả").fill(CITIZEN["name"])
    form.get_by_label("Hình thức trả").select_option(label="Trả kết quả điện tử")
    form.get_by_role("button", name="Trả kết quả").click()
    expect(desk.get_by_text("Đã ghi nhận: trả kết quả.")).to_be_visible()
    screenshots(desk, "officer-returned")
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED and dossier.returned_at is not None
    # the desk's own step 1 ended when it handed the dossier to the commune's step 2
    assert [(s.order, s.name) for s in dossier.steps.order_by("order")] == [
        (1, "Tiếp nhận hồ sơ"),
        (2, "Thẩm định hồ sơ"),
    ]

    # 9. The citizen rates the service from the status page, once.
    look_up(citizen, code, "4321")
    expect(citizen.get_by_text("Hồ sơ đã trả kết quả.")).to_be_visible()
    citizen.get_by_role("button", name="Đánh giá mức độ hài lòng").click()
    expect(citizen.get_by_role("heading", name="Đánh giá mức độ hài lòng")).to_be_visible()
    again = citizen.context.new_page()  # the same form, left open in a second tab
    again.goto(citizen.url)
    citizen.get_by_label("Hài lòng", exact=True).check()
    citizen.get_by_role("group", name="Sự thuận tiện").get_by_label("5").check()
    citizen.get_by_role("group", name="Sự kịp thời").get_by_label("4").check()
    citizen.get_by_label("Ý kiến khác").fill("Nộp trực tuyến nhanh, không phải đi lại.")
    screenshots(citizen, "rating-form")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.get_by_role("heading", name="Đã ghi nhận đánh giá")).to_be_visible()
    screenshots(citizen, "rated")
    again.get_by_label("Không hài lòng", exact=True).check()
    again.get_by_role("button", name="Gửi đánh giá").click()
    expect(again.get_by_text("mỗi hồ sơ chỉ đánh giá một lần")).to_be_visible()
    screenshots(again, "second-rating-refused")
    look_up(citizen, code, "4321")
    expect(citizen.get_by_text("Hồ sơ này đã được đánh giá.")).to_be_visible()
    expect(citizen.get_by_role("button", name="Đánh giá mức độ hài lòng")).to_have_count(0)

    rating = DossierRating.objects.get(dossier=dossier)
    assert rating.satisfied is True and rating.via == "portal"
    assert rating.scores == {"convenience": 5, "timeliness": 4}
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    assert dossier.submitted_by == SubmittedBy.APPLICANT and dossier.channel == Channel.ONLINE

    # 10. "Hồ sơ của tôi" lists it with its final state.
    citizen.get_by_role("link", name="Tài khoản", exact=True).click()
    row = citizen.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("Đã trả kết quả")
    screenshots(citizen, "my-dossiers")
    # ... and the result returned electronically downloads from there.
    with citizen.expect_download() as download:
        row.get_by_role("link", name="Tải kết quả").click()
    assert download.value.suggested_filename == f"ket-qua-{code}.pdf"
    assert Path(download.value.path()).read_bytes() == result.read_bytes()


def test_procedure_and_status_pages_fit_a_360_pixel_screen(
    new_page: NewPage, province: Province, screenshots: Shoot
) -> None:
    procedure = building_permit(province)
    desk = officers(province)["desk"]
    dossier = services.submit_dossier(
        procedure=procedure,
        receiving_unit=province.new_commune,
        applicant=APPLICANT,
        channel=Channel.ONLINE,
    )
    dossier = services.receive_dossier(actor=desk, dossier=dossier)
    phone = new_page(viewport=PHONE_SCREEN, is_mobile=True, has_touch=True)

    phone.goto("/thu-tuc/?q=cap+giay+phep+xay+dung")
    expect(phone.get_by_role("link", name=PERMIT_NAME)).to_be_visible()
    assert fits_width(phone, 360)
    screenshots(phone, "procedure-search")

    phone.goto(f"/thu-tuc/{procedure.code}/")
    expect(phone.get_by_role("heading", name=PERMIT_NAME)).to_be_visible()
    assert fits_width(phone, 360)
    screenshots(phone, "procedure-page")

    phone.goto("/tra-cuu/")
    phone.get_by_label("Mã hồ sơ").fill(str(dossier.code))
    phone.get_by_label("4 số cuối").fill("5678")
    phone.get_by_role("button", name="Tra cứu").click()
    expect(phone.get_by_text("Đã tiếp nhận", exact=True)).to_be_visible()
    phone.get_by_text("Cách tính hạn trả kết quả").click()  # the explanation, opened
    assert fits_width(phone, 360)
    screenshots(phone, "status-page")


def test_chromium_gets_pages_and_static_files_from_the_live_server(
    page: Page, live_server: Any, screenshots: Shoot, people: dict
) -> None:
    styles: list[int] = []
    page.on(
        "response",
        lambda r: styles.append(r.status) if r.url.endswith("pico.min.css") else None,
    )
    page.goto("/dang-nhap/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert styles == [200]  # static files come from the live server
    page.get_by_label("Tên đăng nhập").fill("alice")
    page.get_by_label("Mật khẩu").fill("pw-alice")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất (alice)")).to_be_visible()
    screenshots(page, "signed-in")
    assert people["alice"].memberships.count() == 1  # the ORM works from the test body
    assert Dossier.objects.count() == 0
