"""The officer pages on a 360 px phone and at 1366 px, in a real Chromium: nothing wider than
the screen (the header's buttons, the queue table and the intake's hidden date picker once made
them 688 to 2,400 px wide), and a queue row a person can read. Screenshots:
var/screenshots/<test name>/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from motcua.conftest import Province
from motcua.dossiers.tests.test_api import in_progress, procedure  # noqa: F401
from motcua.dossiers.tests.test_papers_browser import sign_in
from motcua.portal.tests.browser import NewPage, Shoot, browser, new_page, screenshots  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


def page_width(tab: Page) -> int:
    return int(tab.evaluate("document.documentElement.scrollWidth"))


def test_officer_pages_fit_a_phone_and_a_desktop(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    pages = {
        "trang-chu": "/",
        "hang-doi": "/ho-so/?tab=cua-don-vi",
        "tim-kiem": "/ho-so/?q=binh",
        "tiep-nhan": "/ho-so/tiep-nhan/",
        "ho-so": f"/ho-so/{d.code}/",
        "so-theo-doi": "/ho-so/so-theo-doi/",
    }
    for size in (PHONE, DESKTOP):
        desk = new_page(viewport=size)
        sign_in(desk, "alice")
        for name, url in pages.items():
            desk.goto(url)
            desk.wait_for_load_state("networkidle")
            screenshots(desk, f"{name}-{size['width']}")
            assert page_width(desk) <= size["width"], (url, size["width"], page_width(desk))
        # The header never breaks a menu item over two lines ("Hồ / sơ"): every link is as
        # tall as the one-word "API".
        nav = desk.locator("header nav")
        heights = {
            name: nav.get_by_role("link", name=name, exact=True).bounding_box()
            for name in ("API", "Hồ sơ", "Phản ánh, kiến nghị", "Lịch làm việc")
        }
        assert len({box["height"] for box in heights.values() if box}) == 1, heights
        assert all(heights.values()), heights


def test_a_queue_row_reads_as_a_card_on_a_phone(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    desk = new_page(viewport=PHONE)
    sign_in(desk, "alice")
    desk.goto("/ho-so/?tab=cua-don-vi")
    row = desk.locator("table.queue-table tbody tr").filter(has_text=str(d.code))
    expect(row).to_be_visible()
    screenshots(desk, "the")
    expect(desk.locator("table.queue-table thead")).to_be_hidden()
    # The procedure's name gets the card's whole width, under its column's name.
    cell = row.locator("td.cell-procedure")
    box = cell.bounding_box()
    assert box is not None and box["width"] >= 300, box
    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"Thủ tục: "', label
    assert d.procedure.name in cell.inner_text()
    # Each tab stays one line ("Của / tôi" once read as two tabs).
    tabs = desk.locator("nav.tabs a")
    heights = {tabs.nth(i).inner_text(): tabs.nth(i).bounding_box() for i in range(tabs.count())}
    assert len({round(box["height"]) for box in heights.values() if box}) == 1, heights
