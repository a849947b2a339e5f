"""The unit page of the PAR Index in Chromium at 1366 and 360 px, as the provincial office uses
it: tick two lost leaves, press "Nếu đạt tối đa", read the new rank; open a leaf and give its
task. Nothing wider than the screen, no serious accessibility fault, no internal key shown.
Screenshots: var/screenshots/<test name>/.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.assignments.models import Task
from motcua.dossiers.tests.test_papers_browser import sign_in
from motcua.par.tests.test_unit_page import URL, scored  # noqa: F401
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
INTERNAL = re.compile(r"\b(?:low|medium|high|draft|department|computed)\b")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_office_reads_a_what_if_and_gives_a_task_from_a_lost_leaf(
    scored: None,  # noqa: F811
    people: dict,
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
    screen: str,
) -> None:
    tab = new_page(viewport=SCREENS[screen], java_script_enabled=True)
    sign_in(tab, "olga")
    tab.goto(URL)
    assert tab.evaluate(OVERFLOW) <= 0
    assert axe_violations(tab) == []
    assert not INTERNAL.search(tab.locator("main").inner_text())
    tab.get_by_role("checkbox", name=re.compile(r"^2\.1 ")).check()
    tab.get_by_role("checkbox", name=re.compile(r"^1\.2 ")).check()
    tab.get_by_role("button", name="Nếu đạt tối đa").click()
    tab.wait_for_url("**/?ma=*")
    box = tab.locator("[data-whatif]")
    expect(box).to_contain_text("hạng 1/3 (hiện hạng 3)")
    expect(box).to_contain_text("chỉ số 90%")
    assert tab.evaluate(OVERFLOW) <= 0
    screenshots(tab, f"neu-dat-toi-da-{screen}")

    leaf = tab.locator('li[data-leaf="2.1"]')
    leaf.locator("summary").click()
    due = timezone.localdate() + dt.timedelta(days=45)
    leaf.get_by_label("Hạn hoàn thành").fill(due.isoformat())
    leaf.get_by_label("Số, ký hiệu kế hoạch khắc phục").fill("12/KH-VP")
    leaf.get_by_label("Ngày ban hành kế hoạch").fill(timezone.localdate().isoformat())
    assert tab.evaluate(OVERFLOW) <= 0
    screenshots(tab, f"giao-nhiem-vu-{screen}")
    leaf.get_by_role("button", name="Giao nhiệm vụ tiêu chí 2.1").click()
    expect(tab.get_by_text("Đã giao nhiệm vụ khắc phục tiêu chí 2.1")).to_be_visible()
    link = tab.locator('li[data-leaf="2.1"] [data-task] a')
    expect(link).to_have_text("Khắc phục tiêu chí 2.1: Số thủ tục trực tuyến có phát sinh hồ sơ")
    task = Task.objects.get()
    assert (task.lead_unit.code, task.due_on) == ("VP", due)
    assert axe_violations(tab) == []
    screenshots(tab, f"da-giao-{screen}")
