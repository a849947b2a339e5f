"""The lifecycle as services: progress with evidence, completion, confirmation or return,
cancellation with a document, extensions; every step a timeline event (assignments.md §5–§7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.assignments.models import SourceDocument, Task, TaskEvent
from motcua.assignments.services import (
    TaskError,
    TaskTransitionError,
    assign_task,
    broadcast_task,
    cancel_task,
    confirm_completion,
    create_document,
    create_occurrence,
    extend_deadline,
    report_completion,
    report_progress,
    return_report,
)


def kinds(task: Task) -> list[str]:
    return list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))


def test_document_needs_exactly_one_issuer(province: Any) -> None:
    with pytest.raises(TaskError):
        create_document(number="1/X", issued_on=dt.date(2024, 1, 1), actor=None)
    with pytest.raises(TaskError):
        create_document(
            number="1/X",
            issued_on=dt.date(2024, 1, 1),
            issuer_unit=province.old,
            issuer_authority="CP",
            actor=None,
        )
    doc = create_document(
        number="644/CĐ-TTg",
        issued_on=dt.date(2023, 7, 20),
        issuer_authority="TTg",
        doc_type="cong_dien",
        actor=None,
    )
    assert doc.issuer_code == "TTg" and doc.issuer_name == "Thủ tướng Chính phủ"


def test_assign_computes_the_due_date_and_keeps_the_wording(
    letter: SourceDocument, province
) -> None:
    task = assign_task(
        document=letter,
        code="HG-8",
        title="Kết nối Trung tâm dữ liệu",
        lead_unit=province.office,
        coordinating_units=[province.district],
        deadline_text="trước ngày 10/12/2024",
        position="mục 2, gạch đầu dòng 6",
        criterion_code="6.4",
        expected_output="Trung tâm dữ liệu kết nối",
        actor=None,
    )
    task.refresh_from_db()
    assert (task.deadline_kind, task.deadline_text, task.due_on) == (
        "before_date",
        "trước ngày 10/12/2024",
        dt.date(2024, 12, 9),
    )
    assert task.assigned_on == letter.issued_on and task.status == "not_started"
    assert kinds(task) == ["task.assigned"]
    with pytest.raises(TaskError):  # the same code twice
        assign_task(document=letter, code="HG-8", title="x", lead_unit=province.office, actor=None)
    with pytest.raises(TaskError) as exc:
        assign_task(
            document=letter,
            code="HG-99",
            title="x",
            lead_unit=province.office,
            deadline_text="chậm nhất ngày 31/02/2024",
            actor=None,
        )
    assert "31/02/2024" in exc.value.message and not Task.objects.filter(code="HG-99").exists()


def test_full_lifecycle_with_return(letter: SourceDocument, province) -> None:
    task = assign_task(
        document=letter,
        code="T1",
        title="Báo cáo kết quả",
        lead_unit=province.office,
        deadline_text="trước ngày 20/12/2024",
        actor=None,
    )
    report_progress(
        task=task,
        text="Đã xây dựng dự thảo",
        percent=40,
        evidence="Dự thảo kế hoạch",
        reported_on=dt.date(2024, 11, 1),
        actor=None,
    )
    task.refresh_from_db()
    assert task.status == "in_progress"
    with pytest.raises(TaskError):  # completion without evidence
        report_completion(task=task, text="Xong", evidence="", actor=None)
    report_completion(
        task=task,
        text="Đã ban hành",
        evidence="Kế hoạch 12/KH-SNV",
        reported_on=dt.date(2024, 12, 10),
        actor=None,
    )
    task.refresh_from_db()
    assert (task.status, task.reported_done_on) == ("reported_done", dt.date(2024, 12, 10))
    with pytest.raises(TaskTransitionError):
        report_progress(task=task, text="thêm", actor=None)
    return_report(task=task, reason="Thiếu số liệu của các huyện", actor=None)
    task.refresh_from_db()
    assert (task.status, task.reported_done_on) == ("in_progress", None)
    assert task.is_overdue(dt.date(2024, 12, 20)) and not task.is_overdue(dt.date(2024, 12, 19))
    report_completion(
        task=task,
        text="Bổ sung",
        evidence="Báo cáo 30/BC-SNV",
        reported_on=dt.date(2024, 12, 22),
        actor=None,
    )
    confirm_completion(task=task, confirmed_on=dt.date(2024, 12, 23), actor=None)
    task.refresh_from_db()
    assert task.status == "done" and task.completion_date == dt.date(2024, 12, 22)
    assert not task.is_overdue(dt.date(2025, 1, 1))
    assert kinds(task) == [
        "task.assigned",
        "task.progress_reported",
        "task.completion_reported",
        "task.report_returned",
        "task.completion_reported",
        "task.confirmed",
    ]
    with pytest.raises(TaskTransitionError):
        cancel_task(task=task, document="1/QĐ", actor=None)


def test_cancel_needs_a_document(letter: SourceDocument, province) -> None:
    task = assign_task(document=letter, code="T2", title="x", lead_unit=province.office, actor=None)
    with pytest.raises(TaskError):
        cancel_task(task=task, document=" ", actor=None)
    cancel_task(
        task=task,
        document="Công văn 200/UBND-NC",
        reason="Thay thế",
        cancelled_on=dt.date(2024, 11, 1),
        actor=None,
    )
    task.refresh_from_db()
    assert (task.status, task.cancel_document) == ("cancelled", "Công văn 200/UBND-NC")
    assert TaskEvent.objects.get(task=task, kind="task.cancelled").data["document"]


def test_extension_needs_the_issuers_document(letter: SourceDocument, province) -> None:
    task = assign_task(
        document=letter,
        code="T3",
        title="x",
        lead_unit=province.office,
        deadline_text="chậm nhất ngày 15/12/2024",
        actor=None,
    )
    with pytest.raises(TaskError):
        extend_deadline(task=task, new_due=dt.date(2025, 1, 15), document="", actor=None)
    with pytest.raises(TaskError):
        extend_deadline(task=task, new_due=dt.date(2024, 12, 1), document="5/UBND", actor=None)
    extend_deadline(
        task=task,
        new_due=dt.date(2025, 1, 15),
        document="5/UBND",
        decided_on=dt.date(2024, 12, 1),
        actor=None,
    )
    task.refresh_from_db()
    assert (task.original_due, task.due_on) == (dt.date(2024, 12, 15), dt.date(2025, 1, 15))


def test_coordinating_unit_contributes_without_moving_the_status(letter, province) -> None:
    task = assign_task(
        document=letter,
        code="T4",
        title="x",
        lead_unit=province.office,
        coordinating_units=[province.district],
        actor=None,
    )
    report_progress(task=task, unit=province.district, text="Đã gửi số liệu", actor=None)
    task.refresh_from_db()
    assert task.status == "not_started"
    assert kinds(task)[-1] == "task.contribution_reported"
    with pytest.raises(TaskError):  # neither lead nor coordinating
        report_progress(task=task, unit=province.commune_c, text="x", actor=None)


def test_broadcast_is_one_obligation_per_unit(letter, province) -> None:
    tasks = broadcast_task(
        document=letter,
        group_code="HG-12",
        title="Số hóa, thanh toán trực tuyến",
        lead_units=[province.office, province.district, province.other_district],
        deadline_text="trong tháng 12/2024",
        actor=None,
    )
    assert [t.code for t in tasks] == ["HG-12-VP", "HG-12-D1", "HG-12-D2"]
    assert {t.due_on for t in tasks} == {dt.date(2024, 12, 31)}
    assert Task.objects.filter(group_code="HG-12").count() == 3


def test_subtask_later_than_parent_is_allowed_with_a_warning(letter, province) -> None:
    parent = assign_task(
        document=letter,
        code="P",
        title="x",
        lead_unit=province.district,
        deadline_text="chậm nhất ngày 01/12/2024",
        actor=None,
    )
    child = assign_task(
        document=letter,
        code="P-1",
        title="x",
        lead_unit=province.commune_a,
        parent=parent,
        due_on=dt.date(2024, 12, 5),
        actor=None,
    )
    assert TaskEvent.objects.get(task=child).data["warning"] == "later_than_parent"
    assert list(parent.children.all()) == [child]


def test_recurring_occurrences_each_have_their_due_date(province) -> None:
    doc = create_document(
        number="14/UBND-HCC", issued_on=dt.date(2023, 8, 15), issuer_unit=province.old, actor=None
    )
    series = assign_task(
        document=doc,
        code="R",
        title="Báo cáo tháng Công điện 644",
        lead_unit=province.district,
        deadline_text="báo cáo tháng trước ngày 20",
        actor=None,
    )
    assert (series.deadline_kind, series.due_on) == ("recurring", None)
    feb = create_occurrence(series=series, period_end=dt.date(2024, 2, 29), actor=None)
    mar = create_occurrence(series=series, period_end=dt.date(2024, 3, 31), actor=None)
    assert (feb.due_on, mar.due_on) == (dt.date(2024, 3, 19), dt.date(2024, 4, 19))
    assert create_occurrence(series=series, period_end=dt.date(2024, 2, 29), actor=None) == feb
