"""The PAR Index process in Chromium: a unit officer self-assesses a leaf with a file and
submits, the leader approves, an appraiser scores and closes the round, and a late score from a
page opened before the closing is refused. Each page also at 360 px: nothing wider than the
screen, no serious accessibility fault, no internal key shown.
Screenshots: var/screenshots/<test name>/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from motcua.dossiers.tests.test_papers_browser import sign_in
from motcua.par.choices import RoundKind as K
from motcua.par.choices import SubmissionStatus
from motcua.par.models import CriteriaSet, EvidenceFile, RoundScore, Submission
from motcua.par.tests.process_support import CODE, PDF, open_rounds, pset, staff  # noqa: F401
from motcua.portal.tests.browser import (  # noqa: F401
    NewPage,
    Shoot,
    axe_violations,
    browser,
    new_page,
    screenshots,
)

pytestmark = pytest.mark.browser

DESKTOP = ViewportSize(width=1366, height=900)
PHONE = ViewportSize(width=360, height=740)
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
INTERNAL = re.compile(
    r"\b(?:self_assessment|appraisal|approval|explanation|final|draft|submitted|approved|"
    r"returned|waiting|open|late|closed|department)\b"
)


def check(tab: Page, screenshots: Shoot, step: str) -> None:  # noqa: F811
    """The page at 1366 and at 360 px: fits, accessible, Vietnamese only; screenshots."""
    for name, size in (("1366", DESKTOP), ("360", PHONE)):
        tab.set_viewport_size(size)
        assert tab.evaluate(OVERFLOW) <= 0, f"{step} at {name} px is wider than the screen"
        screenshots(tab, f"{step}-{name}")
    assert axe_violations(tab) == []
    assert not INTERNAL.search(tab.locator("main").inner_text())
    tab.set_viewport_size(DESKTOP)


def test_self_assess_submit_approve_appraise_close_and_a_late_score_is_refused(
    pset: CriteriaSet,  # noqa: F811
    staff: dict,  # noqa: F811
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
    tmp_path: Any,
) -> None:
    open_rounds(pset, K.SELF_ASSESSMENT, K.APPRAISAL)
    evidence = tmp_path / "ke-hoach-cchc-2025.pdf"
    evidence.write_bytes(PDF)

    # The officer: from the ranking page to the unit's self-assessment.
    sam = new_page(viewport=DESKTOP)
    sign_in(sam, "sam")
    sam.goto(f"/chi-so-cchc/?bo={CODE}")
    sam.get_by_role("link", name="Tự đánh giá của Văn phòng Ủy ban nhân dân tỉnh").click()
    leaf = sam.locator('li[data-leaf="1.1"]')
    leaf.get_by_label("Điểm tự chấm").fill("1")
    leaf.get_by_label("Tệp kiểm chứng").set_input_files(str(evidence))
    leaf.get_by_role("button", name="Lưu tiêu chí 1.1").click()
    expect(sam.get_by_text("Đã lưu tiêu chí 1.1.")).to_be_visible()
    expect(sam.locator('li[data-leaf="1.1"] a[data-file]')).to_have_text(evidence.name)
    for code, points in (("1.2", "1,5"), ("2.1", "2")):
        leaf = sam.locator(f'li[data-leaf="{code}"]')
        leaf.get_by_label("Điểm tự chấm").fill(points)
        leaf.get_by_label("Giải trình").fill("Báo cáo quý I gửi chậm; chưa có tệp kiểm chứng.")
        leaf.get_by_role("button", name=f"Lưu tiêu chí {code}").click()
        expect(sam.get_by_text(f"Đã lưu tiêu chí {code}.")).to_be_visible()
    check(sam, screenshots, "tu-danh-gia")
    sam.get_by_role("button", name="Gửi hồ sơ tự đánh giá").click()
    expect(sam.locator("[data-submission]")).to_have_text("Đã gửi, chờ lãnh đạo phê duyệt")
    assert Submission.objects.get().evidence_pack["leaves"][0]["files"][0]["name"] == evidence.name

    # The leader approves.
    lea = new_page(viewport=DESKTOP)
    sign_in(lea, "lea")
    lea.goto(f"/chi-so-cchc/{CODE}/VP/tu-danh-gia/")
    check(lea, screenshots, "phe-duyet")
    lea.get_by_role("button", name="Phê duyệt hồ sơ tự đánh giá").click()
    expect(lea.get_by_text("Đã phê duyệt hồ sơ tự đánh giá.")).to_be_visible()
    assert Submission.objects.get().status == SubmissionStatus.APPROVED

    # The appraiser scores 1.2 in round 1, with a comment, and sees every round of the leaf.
    hana = new_page(viewport=DESKTOP)
    sign_in(hana, "hana")
    hana.goto(f"/chi-so-cchc/?bo={CODE}")
    hana.get_by_role("link", name=re.compile("^Quy trình đánh giá")).click()
    check(hana, screenshots, "quy-trinh")
    hana.get_by_role("link", name="Thẩm định Văn phòng Ủy ban nhân dân tỉnh").click()
    leaf = hana.locator('li[data-leaf="1.2"]')
    leaf.get_by_label("Điểm thẩm định").fill("1")
    leaf.get_by_label("Nhận xét").fill("Hai báo cáo quý gửi chậm.")
    leaf.get_by_role("button", name="Chấm tiêu chí 1.2").click()
    expect(hana.get_by_text("Đã chấm tiêu chí 1.2 (thẩm định lần 1).")).to_be_visible()
    history = hana.locator('li[data-leaf="1.2"] [data-history] tbody tr')
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Tự đánh giá")
    expect(history.nth(1)).to_contain_text("Hai báo cáo quý gửi chậm.")
    check(hana, screenshots, "tham-dinh")

    # A second tab still shows the form; the round is closed in the first.
    late = new_page(viewport=DESKTOP)
    sign_in(late, "hana")
    late.goto(f"/chi-so-cchc/{CODE}/VP/tham-dinh/")
    hana.goto(f"/chi-so-cchc/{CODE}/quy-trinh/")
    hana.get_by_role("button", name="Đóng vòng thẩm định lần 1").click()
    expect(hana.get_by_text("Đã đóng vòng thẩm định lần 1.")).to_be_visible()
    expect(hana.locator("[data-state=closed]")).to_contain_text("Đã đóng")
    leaf = late.locator('li[data-leaf="2.1"]')
    leaf.get_by_label("Điểm thẩm định").fill("0")
    leaf.get_by_role("button", name="Chấm tiêu chí 2.1").click()
    expect(late.locator("[data-error]")).to_have_text(
        "Không có vòng thẩm định nào đang mở; không thể chấm điểm."
    )
    assert not RoundScore.objects.filter(criterion__code="2.1", round__kind=K.APPRAISAL).exists()
    assert EvidenceFile.objects.count() == 1
    screenshots(late, "tre-han-bi-tu-choi")
