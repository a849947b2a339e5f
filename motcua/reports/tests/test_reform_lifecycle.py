"""Lifecycle of a reform report (reports.md §5): draft → … → issued (frozen snapshot) → sent
(the recurring reporting task done) → superseded; regeneration lists exactly what changed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from motcua.assignments.models import Task
from motcua.assignments.services import assign_task, create_document, create_occurrence
from motcua.conftest import Province
from motcua.documents.exporters import export
from motcua.dossiers import services as dossiers
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.reports.choices import ReportState
from motcua.reports.models import Report, ReportEvent, ReportSnapshot, SnapshotFrozen
from motcua.reports.reform import publication, services
from motcua.reports.reform.registers import enter_register_entry
from motcua.reports.reform.services import ReportBlocked, ReportTransitionError

S = ReportState


def receive(p: Province, root: Any, procedure: Any, day: dt.datetime, n: int) -> Any:
    dossier = dossiers.receive_dossier(
        actor=root,
        procedure=procedure,
        receiving_unit=p.commune_a,
        applicant={**APPLICANT, "name": f"Người nộp {n}"},
        channel="direct",
        at=day,
    )
    return dossiers.transfer_dossier(dossier=dossier, actor=root, to_unit=p.commune_a, at=day)


@pytest.fixture
def quarter(province: Province, root: Any) -> dict[str, Any]:
    """Q3 2023 at commune C1: three direct dossiers, one resolved; a recurring quarterly
    report task of the province whose Q3 occurrence is due 20/09/2023."""
    p = province
    procedure = make_procedure("1.000001", units=[p.commune_a], amount=10, level="commune")
    first = receive(p, root, procedure, local(2023, 7, 3, 9), 1)
    receive(p, root, procedure, local(2023, 7, 18, 9), 2)
    receive(p, root, procedure, local(2023, 8, 8, 9), 3)
    dossiers.resolve_dossier(dossier=first, actor=root, at=local(2023, 7, 5, 16))
    doc = create_document(
        number="417/KH-UBND", issued_on=dt.date(2023, 1, 10), issuer_unit=p.old, actor=None
    )
    series = assign_task(
        document=doc,
        code="BC-CCHC",
        title="Báo cáo cải cách hành chính định kỳ",
        lead_unit=p.old,
        deadline_text="báo cáo quý trước ngày 20",
        actor=None,
    )
    occurrence = create_occurrence(
        series=series, period_end=dt.date(2023, 9, 14), due_on=dt.date(2023, 9, 20), actor=None
    )
    return {"root": root, "procedure": procedure, "task": occurrence}


def approve_and_issue(report: Report, root: Any, number: int = 166) -> Report:
    report = services.submit_report(report=report, actor=root)
    report = services.approve_report(report=report, actor=root, note="Đã xem các cảnh báo.")
    return publication.issue_report(
        report=report,
        actor=root,
        number=number,
        symbol="BC-UBND",
        issued_on=dt.date(2023, 9, 18),
        signer_name="Nguyễn Văn A",
        signer_title="Chủ tịch",
        authority="TM. Ủy ban nhân dân",
        place="Đồng Tháp",
        recipients=["UBND tỉnh (b/c)", "Sở Nội vụ", "Lưu: VT, NC."],
    )


def values(figures: list[dict[str, Any]]) -> dict[str, Any]:
    return {f["key"]: f["value"] for f in figures}


def test_draft_to_sent_snapshot_frozen_and_regeneration_lists_the_changes(
    quarter: dict[str, Any], province: Province
) -> None:
    root = quarter["root"]
    report = services.generate_report(unit_code="DT", period="2023-Q3", actor=root)
    assert report.state == S.DRAFT and report.period_from == dt.date(2023, 6, 15)
    got = values(report.figures)
    assert (got["dossiers.received"], got["dossiers.resolved"], got["dossiers.pending"]) == (
        3,
        1,
        2,
    )
    assert report.reporting_task == quarter["task"]
    assert {
        "key": "staffing.assigned",
        "section": "II.3",
        "label": "Biên chế được giao",
    } in report.missing
    assert not [f for f in report.findings if f["level"] == "error"]
    with pytest.raises(ReportTransitionError):
        services.approve_report(report=report, actor=root, note="x")
    report = services.write_section(
        report=report, key="I.1", text="Tiếp nhận {{dossiers.received}} hồ sơ.", actor=root
    )
    assert report.state == S.EDITING
    assert services.in_memory(report).sections[0]["children"][0]["text"] == "Tiếp nhận 3 hồ sơ."
    report = approve_and_issue(report, root)
    assert report.state == S.ISSUED and report.number_and_symbol == "166/BC-UBND"
    snapshot = ReportSnapshot.objects.get(report=report)
    frozen = (snapshot.data, snapshot.content_hash)
    assert snapshot.content_hash == publication.content_hash(snapshot.data)
    assert values(snapshot.data["figures"])["dossiers.received"] == 3
    # the records change after issue: a late-entered dossier of the period
    receive(province, root, quarter["procedure"], local(2023, 8, 22, 9), 4)
    snapshot.refresh_from_db()
    assert (snapshot.data, snapshot.content_hash) == frozen
    report.refresh_from_db()
    assert values(report.figures)["dossiers.received"] == 3
    with pytest.raises(SnapshotFrozen):
        snapshot.save()
    exported = json.loads(export("report.reform", {"report": report.pk}, "json").data)
    assert exported["content_hash"] == snapshot.content_hash
    assert values(exported["figures"])["dossiers.received"] == 3
    assert exported["document"]["number"] == "166/BC-UBND"
    # sent: recipients and time; the Q3 occurrence of the reporting task is done, on time
    report = publication.send_report(report=report, actor=root, sent_at=local(2023, 9, 19, 10))
    task = Task.objects.get(pk=quarter["task"].pk)
    assert task.status == "done" and task.reported_done_on == dt.date(2023, 9, 19)
    sent = ReportEvent.objects.get(report=report, kind="report.sent")
    assert sent.data["on_time"] is True and sent.data["task"] == task.code
    # regeneration: a new draft, the issued report untouched, exactly the changed figures
    draft = publication.regenerate_report(report=report, actor=root)
    assert draft.state == S.DRAFT and draft.regenerated_from == report
    changed = {d["key"]: d for d in draft.differences}
    assert {k for k in changed if k.startswith("dossiers.")} == {
        "dossiers.received",
        "dossiers.new",
        "dossiers.new_direct",
        "dossiers.pending",
        "dossiers.pending_overdue",  # 10 working days from 22/08: overdue by 14/09
    }
    assert changed["dossiers.received"]["issued"] == 3
    assert changed["dossiers.received"]["current"] == 4
    assert changed["dossiers.received"]["change"] == 1
    assert "figure=received" in changed["dossiers.received"]["source"]["url"]
    before, after = values(snapshot.data["figures"]), values(draft.figures)
    assert set(changed) == {
        k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
    }
    assert draft.texts == report.texts
    # issuing the correction supersedes the old report, which stays readable
    approve_and_issue(draft, root, number=170)
    report.refresh_from_db()
    assert report.state == S.SUPERSEDED and report.superseded_by == draft
    assert ReportSnapshot.objects.get(report=report).content_hash == frozen[1]
    kinds = list(ReportEvent.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == [
        "report.generated",
        "report.section_written",
        "report.submitted",
        "report.approved",
        "report.issued",
        "report.sent",
        "report.regenerated",
        "report.superseded",
    ]


def test_seed_000_figures_entered_as_overrides_block_approval(
    province: Province, root: Any
) -> None:
    q3 = {"period_from": dt.date(2023, 6, 15), "period_to": dt.date(2023, 9, 14)}
    second = {"period_from": dt.date(2023, 7, 1), "period_to": dt.date(2023, 9, 13)}
    printed = [
        ("dossiers.received", 184027, q3),
        ("dossiers.carried_over", 21390, q3),
        ("dossiers.new", 162637, q3),
        ("dossiers.resolved", 152104, q3),
        ("dossiers.pending", 10277, q3),
        ("dossiers.resolved", 122098, second),
        ("dossiers.early", 104695, second),
        ("dossiers.on_time", 16903, second),
        ("dossiers.late", 1310, second),
    ]
    for key, value, window in printed:
        enter_register_entry(
            key=key,
            unit="DT",
            as_of=dt.date(2023, 9, 14),
            value=value,
            actor=root,
            evidence_reference="166/BC-VPUBND",
            **window,
        )
    report = services.generate_report(unit_code="DT", period="2023-Q3", actor=root)
    received = next(f for f in report.figures if f["key"] == "dossiers.received")
    assert received["value"] == 184027 and received["source"]["kind"] == "override"
    assert received["source"]["computed_value"] == 0
    report = services.submit_report(report=report, actor=root)
    with pytest.raises(ReportBlocked) as refused:
        services.approve_report(report=report, actor=root, note="Đã xem.")
    assert refused.value.status == 409
    report.refresh_from_db()
    assert report.state == S.IN_REVIEW
    messages = " ".join(f["message"] for f in report.findings if f["level"] == "error")
    assert "21.646" in messages and "122.908" in messages
    assert "khác kỳ số liệu" in messages  # the second window


def test_warnings_need_a_note_and_one_open_report_per_period(province: Province, root: Any) -> None:
    report = services.generate_report(unit_code="DT", period="2023-Q3", actor=root)
    with pytest.raises(ReportTransitionError):
        services.generate_report(unit_code="DT", period="2023-Q3", actor=root)
    # the database refuses a second open report even past the service's check (a race)
    with pytest.raises(IntegrityError), transaction.atomic():
        services._new_draft("DT", services.read_period("2023-Q3"), report.template, root)
    report = services.write_section(
        report=report, key="III.2", text="Còn 402 thủ tục chưa rà soát.", actor=root
    )
    report = services.submit_report(report=report, actor=root)
    with pytest.raises(ReportBlocked) as refused:
        services.approve_report(report=report, actor=root)
    assert refused.value.field == "note"
    with pytest.raises(services.ReportError, match="lý do"):
        services.return_report(report=report, actor=root, reason=" ")
    report = services.return_report(report=report, actor=root, reason="Bổ sung nguồn số 402.")
    assert report.state == S.EDITING
    report = services.submit_report(report=report, actor=root)
    report = services.approve_report(report=report, actor=root, note="Số 402 lấy từ kế hoạch.")
    assert report.state == S.APPROVED and report.approval_note == "Số 402 lấy từ kế hoạch."
    assert report.approved_by == root
    with pytest.raises(services.ReportError):
        publication.issue_report(
            report=report,
            actor=root,
            number=5,
            symbol="bc ubnd",
            issued_on=dt.date(2023, 9, 18),
            signer_name="A",
            signer_title="B",
        )
    report.refresh_from_db()
    assert report.state == S.APPROVED and not ReportSnapshot.objects.filter(report=report).exists()


def test_unknown_unit_and_bad_period_are_vietnamese_400(province: Province, root: Any) -> None:
    with pytest.raises(services.ReportError, match="không có đơn vị mã “ZZ”"):
        services.generate_report(unit_code="ZZ", period="2023-Q3", actor=root)
    with pytest.raises(services.ReportError, match="không hợp lệ"):
        services.generate_report(unit_code="DT", period="2023-Q9", actor=root)
    assert Report.objects.count() == 0
