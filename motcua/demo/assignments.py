"""Demo tasks handed down (nhiệm vụ được giao) in Đồng Tháp, written through the services.

`build_assignments(seed=, today=)` adds, once (re-running adds nothing):

- letter 1449/UBND-NC of 14/10/2024 (seed 003, re-typed with diacritics; the same items as the
  Hậu Giang letter, here issued by the old Đồng Tháp People's Committee): its drafts proposed by
  `motcua.assignments.proposals` from the text and the unit tree as it stood, created with the
  services, most then reported done and confirmed, some late, a few still reported;
- 47 tasks from the Government and the Prime Minister open in Q3 2023 (seed 000): 4 done on
  time, 27 reported done awaiting the Government Office's confirmation, 16 not yet due, so that
  `motcua stats tasks --period 2023-Q3 --unit DT --issuer CP,TTg` prints 47 = 4 + 27 + 16;
- a monthly report (seed 004: letter 14/UBND-HCC of 15/08/2023 on telegram 644/CĐ-TTg) for one
  district, with its occurrences;
- recent tasks of the new province to its departments, some overdue today, for the board.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from motcua.assignments.models import SourceDocument, Task
from motcua.assignments.proposals import propose, unit_refs
from motcua.assignments.services import (
    assign_task,
    broadcast_task,
    confirm_completion,
    create_document,
    create_occurrence,
    report_completion,
    report_progress,
)
from motcua.units.models import Unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LETTER = Path(__file__).resolve().parent.parent / "assignments" / "data" / "letter_1449.txt"
GOV_TITLES = [
    "Đẩy mạnh giải ngân vốn đầu tư công",
    "Rà soát, cắt giảm thủ tục hành chính nội bộ",
    "Triển khai Đề án 06 về dữ liệu dân cư",
    "Báo cáo tình hình thực hiện Nghị quyết của Chính phủ",
    "Tháo gỡ khó khăn cho sản xuất, kinh doanh",
    "Bảo đảm an toàn thực phẩm",
    "Phòng, chống thiên tai mùa mưa bão",
    "Thực hiện chính sách an sinh xã hội",
]


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def _units_on(day: dt.date, codes: list[str]) -> list[Unit]:
    rows = {u.code: u for u in Unit.objects.valid_on(day).filter(code__in=codes)}
    return [rows[c] for c in codes if c in rows]


def _finish(
    task: Task, rng: random.Random, *, reported: dt.date, confirmed: dt.date | None
) -> None:
    report_completion(
        task=task,
        text="Đã hoàn thành nhiệm vụ được giao.",
        evidence=f"Báo cáo số {rng.randint(10, 300)}/BC-{task.lead_unit.short_name or 'ĐV'}",
        reported_on=reported,
        at=_at(reported, 15),
        actor=None,
    )
    if confirmed is not None:
        confirm_completion(task=task, confirmed_on=confirmed, at=_at(confirmed, 10), actor=None)


def _letter_1449(rng: random.Random) -> int:
    issued = dt.date(2024, 10, 14)
    province = Unit.objects.version_of("DT", issued)
    if province is None:
        return 0
    doc = create_document(
        number="1449/UBND-NC",
        issued_on=issued,
        issuer_unit=province,
        summary=(
            "Về việc khẩn trương hoàn thành các chỉ tiêu, nhiệm vụ năm 2024 về cải cách hành chính"
        ),
        actor=None,
    )
    units = list(Unit.objects.valid_on(issued).filter(level__in=["department", "district"]))
    drafts = propose(LETTER.read_text(encoding="utf-8"), issued=issued, units=unit_refs(units))
    by_pk = {u.pk: u for u in units}
    created: list[Task] = []
    for i, draft in enumerate(drafts, start=1):
        leads = [by_pk[r.pk] for r in draft.lead]
        if not leads:
            continue
        fields: dict[str, Any] = {
            "title": draft.title,
            "text": draft.text,
            "position": draft.position,
            "deadline_text": draft.deadline_text,
            "coordinating_units": [by_pk[r.pk] for r in draft.coordinating],
            "at": _at(issued, 14),
        }
        if len(leads) == 1:
            created.append(
                assign_task(
                    document=doc, code=f"1449-{i}", lead_unit=leads[0], actor=None, **fields
                )
            )
        else:
            created += broadcast_task(
                document=doc, group_code=f"1449-{i}", lead_units=leads, actor=None, **fields
            )
    for task in created:
        due = task.due_on or dt.date(2024, 12, 31)
        fate = rng.random()
        report_progress(
            task=task,
            text="Đã xây dựng kế hoạch triển khai, phân công thực hiện.",
            percent=30,
            reported_on=issued + dt.timedelta(days=10),
            at=_at(issued + dt.timedelta(days=10)),
            actor=None,
        )
        if fate < 0.7:
            reported = due - dt.timedelta(days=rng.randint(0, 12))
            _finish(task, rng, reported=reported, confirmed=reported + dt.timedelta(days=5))
        elif fate < 0.85:
            reported = due + dt.timedelta(days=rng.randint(3, 20))
            _finish(task, rng, reported=reported, confirmed=reported + dt.timedelta(days=4))
        elif fate < 0.95:
            _finish(task, rng, reported=due - dt.timedelta(days=1), confirmed=None)
    return len(created)


def _government_q3_2023(rng: random.Random) -> int:
    day = dt.date(2023, 5, 20)
    codes = [
        "DT.SNV",
        "DT.SKHDT",
        "DT.STC",
        "DT.SYT",
        "DT.SGDDT",
        "DT.STTTT",
        "DT.SNNPTNT",
        "DT.VP",
    ]
    leads = _units_on(day, codes)
    if not leads:
        return 0
    docs = [
        create_document(
            number="97/NQ-CP",
            issued_on=dt.date(2023, 5, 20),
            issuer_authority="CP",
            doc_type="nghi_quyet",
            summary="Phiên họp Chính phủ thường kỳ tháng 4/2023",
            actor=None,
        ),
        create_document(
            number="644/CĐ-TTg",
            issued_on=dt.date(2023, 7, 17),
            issuer_authority="TTg",
            doc_type="cong_dien",
            summary="Chấn chỉnh, tăng cường hiệu quả giải quyết thủ tục hành chính",
            actor=None,
        ),
    ]
    count = 0
    plan = [("done", 4), ("reported", 27), ("open", 16)]
    for fate, n in plan:
        for _ in range(n):
            count += 1
            doc = docs[count % 2]
            lead = leads[count % len(leads)]
            if fate == "open":
                wording = "chậm nhất ngày 31/12/2023"
            else:
                wording = f"chậm nhất ngày {rng.randint(1, 12):02d}/09/2023"
            task = assign_task(
                document=doc,
                code=f"VPCP-2023-{count:03d}",
                title=GOV_TITLES[count % len(GOV_TITLES)],
                lead_unit=lead,
                deadline_text=wording,
                confirmer="Văn phòng Chính phủ",
                at=_at(doc.issued_on, 16),
                actor=None,
            )
            if fate == "done":
                assert task.due_on is not None
                reported = task.due_on - dt.timedelta(days=rng.randint(2, 10))
                _finish(task, rng, reported=reported, confirmed=reported + dt.timedelta(days=7))
            elif fate == "reported":
                assert task.due_on is not None
                _finish(task, rng, reported=task.due_on - dt.timedelta(days=1), confirmed=None)
    return count


def _monthly_report(rng: random.Random, today: dt.date) -> int:
    issued = dt.date(2023, 8, 15)
    province = Unit.objects.version_of("DT", issued)
    district = Unit.objects.valid_on(issued).filter(level="district").order_by("code").first()
    if province is None or district is None:
        return 0
    doc = create_document(
        number="14/UBND-HCC",
        issued_on=issued,
        issuer_unit=province,
        summary="Triển khai Công điện số 644/CĐ-TTg của Thủ tướng Chính phủ",
        actor=None,
    )
    series = assign_task(
        document=doc,
        code="14-HCC-BC",
        lead_unit=district,
        title="Báo cáo tháng kết quả thực hiện Công điện 644/CĐ-TTg",
        deadline_text="báo cáo tháng trước ngày 20",
        at=_at(issued),
        actor=None,
    )
    count = 1
    month_end = dt.date(2023, 8, 31)
    last = min(today, dt.date(2025, 6, 1))
    while month_end < last:
        occurrence = create_occurrence(series=series, period_end=month_end, actor=None)
        count += 1
        assert occurrence.due_on is not None
        if occurrence.due_on < last:
            reported = occurrence.due_on - dt.timedelta(days=rng.randint(0, 6))
            _finish(occurrence, rng, reported=reported, confirmed=reported + dt.timedelta(days=3))
        nxt = month_end + dt.timedelta(days=1)
        month_end = (nxt.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
            days=1
        )
    return count


def _recent(rng: random.Random, today: dt.date) -> int:
    issued = today - dt.timedelta(days=60)
    province = Unit.objects.version_of("DT", issued)
    codes = ["DT.SNV", "DT.STC", "DT.SKHCN", "DT.SYT", "DT.SGDDT", "DT.SXD", "DT.VP"]
    leads = _units_on(issued, codes)
    if province is None or not leads or province.valid_from is None:
        return 0
    doc = create_document(
        number=f"{rng.randint(100, 999)}/UBND-TH",
        issued_on=issued,
        issuer_unit=province,
        summary="Thông báo kết luận của Chủ tịch Ủy ban nhân dân tỉnh",
        doc_type="thong_bao",
        actor=None,
    )
    count = 0
    wordings = [
        "trong 30 ngày kể từ ngày ký",
        "chậm nhất ngày {d}",
        "thường xuyên",
        "khẩn trương",
        "trong tháng {m}",
    ]
    for i, lead in enumerate(leads * 2, start=1):
        wording = wordings[i % len(wordings)]
        due = issued + dt.timedelta(days=rng.randint(20, 100))
        wording = wording.format(d=f"{due:%d/%m/%Y}", m=f"{due:%m/%Y}")
        task = assign_task(
            document=doc,
            code=f"TB-{issued:%Y}-{i:02d}",
            lead_unit=lead,
            title=GOV_TITLES[i % len(GOV_TITLES)],
            deadline_text=wording,
            at=_at(issued, 10),
            actor=None,
        )
        count += 1
        if i % 3 == 0:
            report_progress(
                task=task,
                text="Đang triển khai thực hiện.",
                percent=50,
                reported_on=issued + dt.timedelta(days=20),
                at=_at(issued + dt.timedelta(days=20)),
                actor=None,
            )
        elif i % 4 == 0 and task.due_on and task.due_on < today:
            _finish(task, rng, reported=task.due_on, confirmed=None)
    return count


def build_assignments(*, seed: int = 1, today: dt.date | None = None) -> dict[str, int]:
    """Create the demo tasks once; the counts created (all zero when already there)."""
    today = today or timezone.localdate()
    if SourceDocument.objects.filter(number="1449/UBND-NC").exists():
        return {}
    rng = random.Random(seed * 1013)
    with transaction.atomic():
        return {
            "letter_1449": _letter_1449(rng),
            "government_2023_q3": _government_q3_2023(rng),
            "monthly_report": _monthly_report(rng, today),
            "recent": _recent(rng, today),
        }
