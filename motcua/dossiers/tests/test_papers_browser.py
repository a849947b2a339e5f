"""Papers in one click, in a real Chromium: the receipt opens as PDF in a new tab, the control
slip downloads as DOCX. Screenshots: var/screenshots/<test name>/."""

from __future__ import annotations

import io

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from motcua.conftest import Province
from motcua.documents.render import PDF
from motcua.dossiers.models import ReceivedComponent
from motcua.dossiers.tests.test_api import in_progress, procedure  # noqa: F401
from motcua.dossiers.tests.test_documents import needs_soffice
from motcua.portal.tests.browser import NewPage, Shoot, browser, new_page, screenshots  # noqa: F401

pytestmark = pytest.mark.browser


def sign_in(tab: Page, username: str) -> None:
    tab.goto("/dang-nhap/")
    tab.get_by_label("Tên đăng nhập").fill(username)
    tab.get_by_label("Mật khẩu").fill(f"pw-{username}")
    tab.get_by_role("button", name="Đăng nhập").click()
    expect(tab.get_by_role("button", name=f"Đăng xuất ({username})")).to_be_visible()


def test_desk_opens_the_receipt_in_a_tab_and_downloads_the_control_slip(
    people: dict,
    province: Province,
    procedure,  # noqa: F811
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
) -> None:
    needs_soffice()
    d = in_progress(people, province, procedure)
    ReceivedComponent.objects.create(dossier=d, name="Tờ khai đăng ký khai sinh", originals=1)
    for width in (1366, 360):
        desk = new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
        sign_in(desk, "alice")
        desk.goto(f"/ho-so/{d.code}/")
        papers = desk.locator("section.papers")
        expect(papers.get_by_role("heading", name="Giấy tờ")).to_be_visible()
        receipt = papers.get_by_role("row", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        papers.scroll_into_view_if_needed()
        screenshots(desk, f"giay-to-{width}")
        if width == 360:
            continue
        with desk.context.expect_page() as opened:
            receipt.get_by_role("link", name="Mở bản PDF").click()
        tab = opened.value
        assert tab.url.endswith(f"/ho-so/{d.code}/giay-to/phieu-tiep-nhan.pdf")
        response = desk.request.get(tab.url)
        assert response.headers["content-type"] == PDF
        assert response.headers["content-disposition"].startswith("inline;")
        assert response.body().startswith(b"%PDF")
        slip = papers.get_by_role("row", name="Phiếu kiểm soát quá trình giải quyết hồ sơ")
        with desk.expect_download() as downloaded:
            slip.get_by_role("link", name="Tải bản Word").click()
        assert downloaded.value.suggested_filename == f"{d.code}_phieu-kiem-soat.docx"
        path = downloaded.value.path()
        doc = Document(io.BytesIO(path.read_bytes()))
        assert any(d.code and d.code in p.text for p in doc.paragraphs)
