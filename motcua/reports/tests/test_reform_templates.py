"""Report templates as data (reports.md §2): the shipped default, versions per year and body."""

from __future__ import annotations

from motcua.lib.periods import parse_period
from motcua.reports.models import ReportTemplate
from motcua.reports.reform import checks
from motcua.reports.reform.build import expected_periods, render_sections
from motcua.reports.reform.templates import (
    DEFAULT_CODE,
    DEFAULT_SECTIONS,
    template_errors,
    template_for,
)


def test_default_template_is_installed_and_well_numbered(db: None) -> None:
    default = ReportTemplate.objects.get(code=DEFAULT_CODE, version=1)
    assert template_errors(default.sections) == []
    h1 = parse_period("2021-H1")
    sections = render_sections(default.sections, h1, {}, [])
    assert [s["heading"] for s in sections][:3] == [
        "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "ĐÁNH GIÁ CHUNG",
    ]
    assert sections[3]["heading"] == "PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2021"
    assert [c["number"] for c in sections[1]["children"]] == ["1", "2", "3", "4", "5", "6"]
    assert sections[-1]["heading"] == "PHỤ LỤC SỐ LIỆU" and sections[-1]["number"] == ""
    assert checks.check_numbering(sections, expected_periods(h1)) == []


def test_the_most_specific_version_wins(db: None) -> None:
    default = template_for(2024)
    assert default.code == DEFAULT_CODE
    year = ReportTemplate.objects.create(
        code="so-noi-vu", version=1, name="Đề cương 2024", year=2024, sections=DEFAULT_SECTIONS
    )
    body = ReportTemplate.objects.create(
        code="so-noi-vu",
        version=2,
        name="Đề cương của Sở Nội vụ 2024",
        year=2024,
        receiving_body="SNV",
        sections=DEFAULT_SECTIONS,
    )
    assert template_for(2024) == year
    assert template_for(2024, "SNV") == body
    assert template_for(2023, "SNV") == default
    broken = [
        {"key": "I", "title": "", "kind": "bogus"},
        {"key": "I", "title": "x", "kind": "written"},
    ]
    assert template_errors(broken) == [
        "Mục “I”: loại nội dung không hợp lệ.",
        "Mục “I” chưa có tiêu đề.",
        "Mã mục “I” bị trùng.",
    ]
