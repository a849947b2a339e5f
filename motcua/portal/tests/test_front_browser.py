"""The portal home and the procedure search in Chromium at 1366 and 360 px: nothing wider than
the screen, every drop-down shows its whole chosen text, labels clear of their fields, axe-clean.
Screenshots: var/screenshots/<test name>/NN-step.png."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page

from motcua.conftest import Province
from motcua.dossiers.tests.factories import make_procedure
from motcua.portal.tests.browser import NewPage, Shoot, axe_violations
from motcua.procedures.models import Field

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}

# For each <select>: the text it shows must fit inside it, arrow padding included.
CLIPPED_SELECTS = """() => Array.from(document.querySelectorAll('select')).filter(s => {
  const style = getComputedStyle(s);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.font;
  const text = s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : '';
  const need = ctx.measureText(text).width + parseFloat(style.paddingLeft)
    + parseFloat(style.paddingRight);
  return need > s.clientWidth + 1;
}).map(s => s.name + ': ' + s.options[s.selectedIndex].text)"""

# Labels whose box overlaps another label's or a form field's box.
OVERLAPS = """() => {
  const boxes = Array.from(document.querySelectorAll('main label, main input, main select,'
    + ' main button')).filter(e => e.offsetParent !== null && e.type !== 'checkbox')
    .map(e => [e, e.getBoundingClientRect()]);
  const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const out = [];
  for (const [e, r] of boxes) for (const [f, q] of boxes)
    if (e !== f && e.tagName === 'LABEL' && !e.contains(f) && hit(r, q))
      out.push(e.textContent.trim() + ' / ' + (f.name || f.textContent.trim()));
  return out;
}"""

# Cases of the page wider than the screen, and words squeezed to one per line.
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
NARROW_LABELS = """() => Array.from(document.querySelectorAll('main label'))
  .filter(l => l.offsetParent !== null && l.getBoundingClientRect().width < 60)
  .map(l => l.textContent.trim())"""


def check_layout(page: Page) -> None:
    assert page.evaluate(OVERFLOW) <= 0
    assert page.evaluate(CLIPPED_SELECTS) == []
    assert page.evaluate(OVERLAPS) == []
    assert page.evaluate(NARROW_LABELS) == []
    assert axe_violations(page) == []


@pytest.fixture
def catalogue(province: Province) -> None:
    """Procedures with long field and level names, one of them expired."""
    field, _ = Field.objects.get_or_create(
        code="dang-ky-bien-phap-bao-dam", defaults={"name": "Đăng ký biện pháp bảo đảm"}
    )
    copy = make_procedure(
        "1.011434",
        units=[province.new],
        level="province",
        name="Cấp bản sao văn bản chứng nhận đăng ký biện pháp bảo đảm bằng tàu biển",
    )
    copy.field = field
    copy.save()
    make_procedure(
        "2.000815",
        units=[province.new_commune],
        name="Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
        valid_to=dt.date(2025, 6, 30),
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_the_search_form_and_results_fit_the_screen(
    catalogue: None, new_page: NewPage, screenshots: Shoot, screen: str
) -> None:
    page = new_page(viewport=SCREENS[screen])  # JavaScript on for axe only
    page.goto("/thu-tuc/?q=cap+ban+sao")
    check_layout(page)
    screenshots(page, f"tim-{screen}")
    # Choose the longest choices, then ask for the expired procedures too.
    page.goto("/thu-tuc/")
    page.select_option("select[name=field]", label="Đăng ký biện pháp bảo đảm")
    page.select_option("select[name=level]", label="Tất cả các cấp")
    page.fill("input[name=q]", "ban sao")
    page.check("input[name=het_hieu_luc]")
    page.click("button:has-text('Tìm')")
    page.wait_for_url("**/thu-tuc/?**")
    assert page.locator("select[name=field]").input_value() == "dang-ky-bien-phap-bao-dam"
    check_layout(page)
    screenshots(page, f"chon-linh-vuc-{screen}")
    page.goto("/thu-tuc/?q=ban+sao&het_hieu_luc=1")
    assert page.locator(".results .badge-expired").all_inner_texts() == ["Đã hết hiệu lực"]
    check_layout(page)
    screenshots(page, f"ca-het-hieu-luc-{screen}")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_portal_home_fits_the_screen_and_leads_to_the_search(
    catalogue: None, new_page: NewPage, screenshots: Shoot, screen: str
) -> None:
    page = new_page(viewport=SCREENS[screen])  # JavaScript on for axe only
    page.goto("/")
    assert page.locator("h1").inner_text() == "Cổng dịch vụ công của tỉnh"
    check_layout(page)
    screenshots(page, f"trang-chu-{screen}")
    page.fill("#home-q", "cap ban sao")
    page.click("button:has-text('Tìm thủ tục')")
    page.wait_for_url("**/thu-tuc/?q=cap+ban+sao")
    first = page.locator(".results li a strong").first.inner_text()
    assert first.startswith("Cấp bản sao")
    page.goto("/")
    page.click("text=đăng nhập hệ thống một cửa")
    page.wait_for_url("**/dang-nhap/")
