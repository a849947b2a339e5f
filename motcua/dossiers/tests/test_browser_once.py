"""In a real browser: a double click and a resend after the back button receive one dossier."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from motcua.conftest import Province
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.test_api import procedure  # noqa: F401
from motcua.portal.tests.browser import NewPage, Shoot, browser, new_page, screenshots  # noqa: F401
from motcua.portal.tests.test_browser_journey import sign_in_officer

pytestmark = pytest.mark.django_db(transaction=True)


def open_receipt(page: Page) -> None:
    """The intake form opened on the birth registration at C1, every component ticked."""
    page.goto("/ho-so/tiep-nhan/?thu-tuc=1.001193&noi-tiep-nhan=C1")
    boxes = page.locator("#procedure-chosen input[type=checkbox][name^=tp]:not([name$=so-hoa])")
    expect(boxes.first).to_be_visible()
    for i in range(boxes.count()):
        boxes.nth(i).check()


def test_double_click_and_back_button_receive_once(
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    province.commune_a.valid_to = None  # receive today at the fixture's commune
    province.commune_a.save(update_fields=["valid_to"])
    page = new_page()
    sign_in_officer(page, people["alice"])
    open_receipt(page)
    page.fill("[name=name]", "Trần Văn Bấm Đúp")
    submit = page.locator("#receipt-form button[type=submit]:not([form])")
    submit.dblclick()
    page.wait_for_url(lambda url: "tiep-nhan" not in url)
    first = page.url
    expect(page.get_by_text("Đã tiếp nhận hồ sơ")).to_be_visible()
    screenshots(page, "received-once")
    assert Dossier.objects.count() == 1
    # Back to the filled form, and send it again.
    page.go_back()
    page.wait_for_url(lambda url: "tiep-nhan" in url)
    with page.expect_navigation():
        page.locator("#receipt-form button[type=submit]:not([form])").click()
    expect(page.get_by_text("Yêu cầu này đã được thực hiện.")).to_be_visible()
    screenshots(page, "resent-after-back")
    assert page.url == first
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(kind="dossier.received").count() == 1
    # A form opened anew (the menu, a link) is a new receipt.
    open_receipt(page)
    page.fill("[name=name]", "Lê Thị Hai")
    with page.expect_navigation():
        page.locator("#receipt-form button[type=submit]:not([form])").click()
    assert Dossier.objects.count() == 2
