"""axe-core in a real Chromium on the pages of a day at the counter and on the portal.

The officer's pages (the queue, an open dossier with every action form unfolded, the intake
form with a procedure chosen and its checklist shown) and the citizen's (procedure list and
search, a procedure page, the status look-up with its answer, the account with a result)
report no serious or critical violation. Each page is checked at 1366 and at 360 px wide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.choices import Delivery
from motcua.dossiers.files import attach_file
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_counter_journey import (
    APPLICANT,
    BIRTH,
    DESKTOP,
    PHONE,
    birth_registration,
    commune_staff,
    sign_in,
)
from motcua.people.models import User
from motcua.portal.accounts import register_applicant
from motcua.portal.tests.browser import (  # noqa: F401
    NewPage,
    Shoot,
    axe_violations,
    browser,
    new_page,
    screenshots,
)
from motcua.portal.tests.test_browser_journey import write_pdf

pytestmark = pytest.mark.browser

WIDTHS = (DESKTOP, PHONE)


def receive(procedure: Any, desk: User, province: Province) -> Dossier:
    """A walk-in birth registration received by the desk with its first paper."""
    return services.receive_dossier(
        actor=desk,
        procedure=procedure,
        receiving_unit=province.new_commune,
        applicant={
            "name": APPLICANT["name"],
            "id_number": APPLICANT["id_number"],
            "phone": APPLICANT["phone"],
            "address": APPLICANT["address"],
        },
        components=[{"component": procedure.components.order_by("order").first().pk}],
    )


def check(page: Page, where: str, found: dict[str, list[str]]) -> None:
    """Run axe on the page at both widths; collect what it reports under `where`."""
    for size in WIDTHS:
        page.set_viewport_size(size)
        problems = axe_violations(page)
        if problems:
            found[f"{where} ({size['width']} px)"] = problems
    page.set_viewport_size(DESKTOP)


def unfold_every_form(page: Page) -> None:
    """Open every <details> of the page, so that axe sees every action form's fields."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


def test_the_counter_and_portal_pages_have_no_serious_accessibility_violation(
    new_page: NewPage,  # noqa: F811
    province: Province,
    screenshots: Shoot,  # noqa: F811
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    procedure = birth_registration(province)
    staff = commune_staff(province)
    open_dossier = receive(procedure, staff["desk"], province)
    services.transfer_dossier(
        dossier=open_dossier, actor=staff["desk"], to_unit=province.new_commune
    )
    done = receive(procedure, staff["desk"], province)
    done = services.transfer_dossier(
        dossier=done, actor=staff["desk"], to_unit=province.new_commune
    )
    done = services.resolve_dossier(dossier=done, actor=staff["leader"])
    result = write_pdf(tmp_path / "giay-khai-sinh.pdf", "Giay khai sinh")
    attach_file(
        dossier=done,
        actor=staff["desk"],
        upload=SimpleUploadedFile(result.name, result.read_bytes(), "application/pdf"),
        kind="result",
    )
    services.return_result(
        dossier=done,
        actor=staff["desk"],
        recipient=APPLICANT["name"],
        delivery=Delivery.ELECTRONIC,
    )
    register_applicant(
        full_name=APPLICANT["name"],
        phone=APPLICANT["phone"],
        id_number=APPLICANT["id_number"],
        password=APPLICANT["password"],
    )
    found: dict[str, list[str]] = {}

    # The officer: the queue, an open dossier with its actions, the intake form.
    officer = new_page(viewport=DESKTOP)
    sign_in(officer, staff["leader"])
    officer.goto("/ho-so/?tab=cua-don-vi")
    expect(officer.get_by_role("link", name=str(open_dossier.code))).to_be_visible()
    check(officer, "hàng đợi hồ sơ", found)
    officer.goto(f"/ho-so/{open_dossier.code}/")
    expect(officer.get_by_role("heading", name="Thao tác")).to_be_visible()
    unfold_every_form(officer)
    screenshots(officer, "dossier-page")
    check(officer, "trang hồ sơ", found)
    desk = new_page(viewport=DESKTOP)
    sign_in(desk, staff["desk"])
    desk.goto("/ho-so/tiep-nhan/")
    desk.get_by_label("Tìm thủ tục hành chính").fill("khai sinh")
    desk.locator("#procedure-results").get_by_role("link", name=BIRTH, exact=True).click()
    expect(desk.locator("fieldset.checklist")).to_be_visible()
    screenshots(desk, "intake-form")
    check(desk, "trang tiếp nhận", found)

    # The citizen: procedures, a procedure, the status look-up, the account.
    citizen = new_page(viewport=DESKTOP)
    citizen.goto("/thu-tuc/")
    check(citizen, "danh sách thủ tục", found)
    citizen.get_by_label("Tên hoặc mã thủ tục").fill("khai sinh")
    citizen.get_by_role("button", name="Tìm", exact=True).click()
    expect(citizen.get_by_role("link", name=BIRTH)).to_be_visible()
    check(citizen, "tìm thủ tục", found)
    citizen.get_by_role("link", name=BIRTH).click()
    expect(citizen.get_by_role("heading", name=BIRTH)).to_be_visible()
    check(citizen, "trang thủ tục", found)
    citizen.goto("/tra-cuu/")
    check(citizen, "tra cứu hồ sơ", found)
    citizen.get_by_label("Mã hồ sơ").fill(str(open_dossier.code))
    citizen.get_by_label("4 số cuối").fill(APPLICANT["phone"][-4:])
    citizen.get_by_role("button", name="Tra cứu", exact=True).click()
    expect(citizen.get_by_text("Cách tính hạn trả kết quả")).to_be_visible()
    check(citizen, "kết quả tra cứu", found)
    citizen.goto("/tai-khoan/dang-nhap/")
    check(citizen, "đăng nhập cổng", found)
    citizen.get_by_label("Thư điện tử hoặc số điện thoại").fill(APPLICANT["phone"])
    citizen.get_by_label("Mật khẩu").fill(APPLICANT["password"])
    citizen.get_by_role("button", name="Đăng nhập", exact=True).click()
    citizen.goto("/tai-khoan/")
    expect(citizen.get_by_role("link", name="Tải kết quả")).to_be_visible()
    screenshots(citizen, "account")
    check(citizen, "tài khoản", found)

    assert found == {}, "\n".join(f"{page}: {line}" for page, v in found.items() for line in v)
