"""Report templates as data — đề cương báo cáo (reports.md §2, motcua DECISION default).

A template is a list of parts; each part or item is a dict:

    {"key": "II.2", "number": "2", "title": "Cải cách thủ tục hành chính",
     "kind": "computed" | "entered" | "written", "figures": ["dossiers.", ...],
     "children": [...], "optional": False, "period_ref": "" | "current" | "next"}

`figures` names figure keys (a name ending in "." takes every key with that prefix). Titles
may say `{period}` or `{next_period}` ("quý III năm 2023", "quý IV năm 2023"). Parts are
numbered with Roman numerals, items with Arabic ones (Decree 30/2020, Phụ lục I); the figures
appendix has no number. Templates live in the database (`ReportTemplate`), one version per
year and receiving body; the default is installed by a data migration and by `default_template`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from motcua.lib.periods import ROMAN, Period

DEFAULT_CODE = "cchc-dinh-ky"
DEFAULT_NAME = "Báo cáo cải cách hành chính định kỳ (mẫu mặc định của motcua)"
APPENDIX_KEY = "appendix"

DEFAULT_SECTIONS: list[dict[str, Any]] = [
    {
        "key": "I",
        "number": "I",
        "title": "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "kind": "written",
        "children": [
            {
                "key": "I.1",
                "number": "1",
                "title": "Kế hoạch và văn bản chỉ đạo",
                "kind": "written",
            },
            {
                "key": "I.2",
                "number": "2",
                "title": "Công tác kiểm tra cải cách hành chính",
                "kind": "entered",
                "figures": ["inspections."],
            },
            {
                "key": "I.3",
                "number": "3",
                "title": "Công tác tuyên truyền cải cách hành chính",
                "kind": "entered",
                "figures": ["propaganda."],
            },
            {
                "key": "I.4",
                "number": "4",
                "title": "Thực hiện nhiệm vụ được giao",
                "kind": "computed",
                "figures": ["tasks.", "reports.", "documents."],
            },
        ],
    },
    {
        "key": "II",
        "number": "II",
        "title": "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "kind": "written",
        "children": [
            {
                "key": "II.1",
                "number": "1",
                "title": "Cải cách thể chế",
                "kind": "entered",
                "figures": ["legal_documents."],
            },
            {
                "key": "II.2",
                "number": "2",
                "title": "Cải cách thủ tục hành chính",
                "kind": "computed",
                "figures": ["procedures.", "dossiers.", "feedback."],
            },
            {
                "key": "II.3",
                "number": "3",
                "title": "Cải cách tổ chức bộ máy",
                "kind": "entered",
                "figures": ["staffing."],
            },
            {
                "key": "II.4",
                "number": "4",
                "title": "Cải cách chế độ công vụ",
                "kind": "entered",
                "figures": ["civil_service."],
            },
            {
                "key": "II.5",
                "number": "5",
                "title": "Cải cách tài chính công",
                "kind": "entered",
                "figures": ["budget."],
            },
            {
                "key": "II.6",
                "number": "6",
                "title": "Xây dựng, phát triển Chính quyền điện tử, Chính quyền số",
                "kind": "computed",
                "figures": ["index766.", "digitisation."],
            },
        ],
    },
    {
        "key": "III",
        "number": "III",
        "title": "ĐÁNH GIÁ CHUNG",
        "kind": "written",
        "children": [
            {
                "key": "III.1",
                "number": "1",
                "title": "Kết quả đạt được",
                "kind": "computed",
                "figures": ["par.", "indices."],
            },
            {"key": "III.2", "number": "2", "title": "Tồn tại, hạn chế", "kind": "written"},
            {"key": "III.3", "number": "3", "title": "Nguyên nhân", "kind": "written"},
        ],
    },
    {
        "key": "IV",
        "number": "IV",
        "title": "PHƯƠNG HƯỚNG, NHIỆM VỤ {next_period}",
        "kind": "written",
        "period_ref": "next",
    },
    {
        "key": "V",
        "number": "V",
        "title": "ĐỀ XUẤT, KIẾN NGHỊ",
        "kind": "written",
        "optional": True,
    },
    {
        "key": APPENDIX_KEY,
        "number": "",
        "title": "PHỤ LỤC SỐ LIỆU",
        "kind": "computed",
        "figures": ["*"],
        "appendix": True,
    },
]

_QUARTER = re.compile(r"^Quý (I|II|III|IV)/(\d{4})$")
_MONTH = re.compile(r"^Tháng (\d{2})/(\d{4})$")


def period_words(period: Period) -> str:
    """How a heading names the period: 'quý III năm 2023', '6 tháng đầu năm 2021', 'năm 2023'."""
    name = period.name
    if match := _QUARTER.match(name):
        return f"quý {match[1]} năm {match[2]}"
    if match := _MONTH.match(name):
        return f"tháng {match[1]} năm {match[2]}"
    if name.startswith("6 tháng") or name.startswith("Năm"):
        return name[0].lower() + name[1:]
    return period.in_words


def next_period(period: Period) -> Period:
    """The period after `period` (same kind)."""
    from motcua.lib.periods import _shift

    return _shift(period, 1)


def walk(sections: list[dict[str, Any]], depth: int = 0) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every section with its depth (0 = part), in document order."""
    for section in sections:
        yield depth, section
        yield from walk(section.get("children") or [], depth + 1)


def heading(section: dict[str, Any], period: Period) -> str:
    """The section's title with `{period}` and `{next_period}` filled in."""
    title = str(section.get("title", ""))
    if "{" not in title:
        return title
    upper = section.get("number", "") in ROMAN.values() or title.isupper()
    words = {"period": period_words(period), "next_period": period_words(next_period(period))}
    if upper:
        words = {k: v.upper() for k, v in words.items()}
    return title.format(**words)


def figure_matches(patterns: list[str], key: str) -> bool:
    """Whether figure `key` belongs to a section listing `patterns`."""
    for pattern in patterns:
        if pattern == "*" or pattern == key or (pattern.endswith(".") and key.startswith(pattern)):
            return True
    return False


def template_errors(sections: Any) -> list[str]:
    """What is wrong with a template's structure (empty: usable), in Vietnamese."""
    from motcua.reports.choices import SlotKind

    if not isinstance(sections, list) or not sections:
        return ["Mẫu báo cáo phải có ít nhất một phần."]
    errors: list[str] = []
    seen: set[str] = set()
    for _depth, section in walk(sections):
        key = str(section.get("key", ""))
        if not key:
            errors.append("Có mục không có mã (key).")
        elif key in seen:
            errors.append(f"Mã mục “{key}” bị trùng.")
        seen.add(key)
        if section.get("kind") not in SlotKind.values:
            errors.append(f"Mục “{key}”: loại nội dung không hợp lệ.")
        if not str(section.get("title", "")).strip():
            errors.append(f"Mục “{key}” chưa có tiêu đề.")
    return errors


def default_template() -> Any:
    """The shipped default template (installed by migration; recreated here if missing)."""
    from motcua.reports.models import ReportTemplate

    template, _created = ReportTemplate.objects.get_or_create(
        code=DEFAULT_CODE,
        version=1,
        defaults={"name": DEFAULT_NAME, "sections": DEFAULT_SECTIONS},
    )
    return template


def template_for(year: int, receiving_body: str = "") -> Any:
    """The template a report of `year` for `receiving_body` is made from.

    The most specific active template wins (this year over every year, this body over every
    body), then the highest version; the default when none is configured.
    """
    from django.db.models import Q

    from motcua.reports.models import ReportTemplate

    candidates = ReportTemplate.objects.filter(is_active=True).filter(
        Q(year=year) | Q(year__isnull=True)
    )
    body = receiving_body.strip()
    candidates = candidates.filter(Q(receiving_body=body) | Q(receiving_body=""))
    best = sorted(
        candidates,
        key=lambda t: (t.receiving_body == body and bool(body), t.year is not None, t.version),
        reverse=True,
    )
    return best[0] if best else default_template()
