"""The demo's periodic reform report (issue 15 item 9): Đồng Tháp's report for quarter III of
2025 (Decree 09 window 15/06–14/09/2025), written through `motcua.reports` services.

`build_reform_report(today=)` adds, once (re-running adds nothing):

- the recurring reporting task "Báo cáo cải cách hành chính định kỳ" of the province (`DT`)
  under a plan of its own, with the quarter III occurrence due 20/09/2025, so that sending
  the report marks it done on time or late;
- a few registers entered as of 14/09/2025 with their evidence (the numbers of the source
  documents): staffing, budget (integer đồng; the two budget identities hold) and inspections
  over the quarter's window. Every value is invented for the demo [unconfirmed];
- the report itself: a draft with every computed figure filled from the demo records at the
  build's cut-off, the text of the written sections (figures quoted as `{{key}}`, never typed),
  then sent for review ("Chờ duyệt"), ready for the leader's approval at
  `/bao-cao-cchc/<id>/duyet/` (the `admin` account).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.reports.models import Report

PROVINCE = "DT"
PERIOD = "2025-Q3"
FIRST, LAST = dt.date(2025, 6, 15), dt.date(2025, 9, 14)
DUE = dt.date(2025, 9, 20)
PLAN = "112/KH-UBND"

# (key, value, evidence) as of the last day of the window; invented for the demo.
STOCKS: tuple[tuple[str, int, str], ...] = (
    ("staffing.assigned", 1968, "Quyết định 1523/QĐ-UBND giao biên chế năm 2025"),
    ("staffing.actual", 1891, "Báo cáo 205/BC-SNV về số lượng công chức"),
    ("staffing.contracts", 74, "Báo cáo 205/BC-SNV về số lượng công chức"),
    ("budget.allocated", 1_850_000_000, "Quyết định 41/QĐ-UBND dự toán năm 2025"),
    ("budget.carried_over", 312_500_000, "Quyết định 41/QĐ-UBND dự toán năm 2025"),
    ("budget.available", 2_162_500_000, "Quyết định 41/QĐ-UBND dự toán năm 2025"),
    ("budget.autonomous", 1_540_000_000, "Quyết định 41/QĐ-UBND dự toán năm 2025"),
    ("budget.non_autonomous", 622_500_000, "Quyết định 41/QĐ-UBND dự toán năm 2025"),
    ("budget.spent", 1_286_400_000, "Báo cáo 198/BC-STC tình hình sử dụng kinh phí"),
)
# Counted over the quarter's window.
FLOWS: tuple[tuple[str, int, str], ...] = (
    ("inspections.planned", 12, "Kế hoạch 35/KH-UBND kiểm tra cải cách hành chính năm 2025"),
    ("inspections.done", 9, "Kế hoạch 35/KH-UBND kiểm tra cải cách hành chính năm 2025"),
    ("inspections.tthc_checks", 4, "Kế hoạch 35/KH-UBND kiểm tra cải cách hành chính năm 2025"),
)
TEXTS: dict[str, str] = {
    "I.1": (
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch cải cách hành chính năm 2025 và chỉ đạo các "
        "sở, ban, ngành, Ủy ban nhân dân cấp xã triển khai sau khi sắp xếp đơn vị hành chính "
        "từ ngày 01/7/2025."
    ),
    "I.2": (
        "Đã kiểm tra {{inspections.done}} trên {{inspections.planned}} cơ quan, đơn vị theo "
        "kế hoạch, trong đó {{inspections.tthc_checks}} cuộc kiểm tra công tác kiểm soát thủ "
        "tục hành chính."
    ),
    "II.2": (
        "Trong kỳ, toàn tỉnh tiếp nhận {{dossiers.received}} hồ sơ, đã giải quyết "
        "{{dossiers.resolved}} hồ sơ, đang giải quyết {{dossiers.pending}} hồ sơ; tỷ lệ hồ sơ "
        "mới tiếp nhận trực tuyến đạt {{dossiers.online_share}}."
    ),
    "II.3": "Biên chế được giao {{staffing.assigned}}, có mặt {{staffing.actual}} người.",
    "II.5": ("Tổng kinh phí được sử dụng {{budget.available}}, đã sử dụng {{budget.spent}}."),
    "III.2": (
        "Một số xã mới sau sắp xếp còn thiếu công chức làm việc tại Trung tâm Phục vụ hành "
        "chính công; việc số hóa hồ sơ khi tiếp nhận chưa đồng đều."
    ),
    "III.3": (
        "Khối lượng công việc tăng trong thời gian sắp xếp bộ máy; hạ tầng công nghệ thông "
        "tin một số nơi chưa đáp ứng."
    ),
    "IV": (
        "Tiếp tục kiện toàn Trung tâm Phục vụ hành chính công cấp xã; đẩy mạnh tiếp nhận "
        "trực tuyến và số hóa hồ sơ; kiểm tra cải cách hành chính các đơn vị còn lại."
    ),
}


def _reporting_task(province: Any) -> None:
    """The province's recurring reform report and its quarter III occurrence (due 20/09)."""
    from motcua.assignments.models import SourceDocument
    from motcua.assignments.services import assign_task, create_document, create_occurrence

    if SourceDocument.objects.filter(number=PLAN).exists():
        return
    plan = create_document(
        number=PLAN,
        issued_on=dt.date(2025, 7, 10),
        issuer_unit=province,
        summary="Kế hoạch cải cách hành chính năm 2025 sau sắp xếp đơn vị hành chính",
        doc_type="ke_hoach",
        actor=None,
    )
    series = assign_task(
        document=plan,
        code="BC-CCHC",
        title="Báo cáo cải cách hành chính định kỳ",
        lead_unit=province,
        deadline_text="báo cáo quý trước ngày 20",
        actor=None,
    )
    create_occurrence(series=series, period_end=LAST, due_on=DUE, actor=None)


def build_reform_report(*, today: dt.date | None = None) -> dict[str, int]:
    """Create the demo's Q3 2025 report once; what was created (empty when already there or
    when the demo stands before the quarter's window has ended)."""
    from motcua.reports.reform import registers, services

    today = today or timezone.localdate()
    if today <= LAST or timezone.localdate() <= LAST:
        return {}
    if Report.objects.filter(unit_code=PROVINCE, period_from=FIRST, period_to=LAST).exists():
        return {}
    from motcua.units.models import Unit

    province = Unit.objects.version_of(PROVINCE, LAST)
    if province is None:
        return {}
    with transaction.atomic():
        _reporting_task(province)
        for key, value, evidence in STOCKS:
            registers.enter_register_entry(
                key=key,
                unit=province,
                as_of=LAST,
                value=value,
                actor=None,
                evidence_reference=evidence,
                source="demo",
            )
        for key, value, evidence in FLOWS:
            registers.enter_register_entry(
                key=key,
                unit=province,
                as_of=LAST,
                period_from=FIRST,
                period_to=LAST,
                value=value,
                actor=None,
                evidence_reference=evidence,
                source="demo",
            )
        report = services.generate_report(unit_code=PROVINCE, period=PERIOD, actor=None)
        for key, text in TEXTS.items():
            report = services.write_section(report=report, key=key, text=text, actor=None)
        report = services.submit_report(report=report, actor=None)
    return {"report": report.pk, "registers": len(STOCKS) + len(FLOWS)}
