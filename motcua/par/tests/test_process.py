"""The process of par-index.md §4 through its services: rounds that lock, self-assessment with
evidence and explanations, submission freezing the evidence pack, leader approval, appraisal,
explanation, final scores into LeafScore with every round kept, publication."""

from __future__ import annotations

import hashlib
from decimal import Decimal as D
from typing import Any

import pytest

from motcua.audit.models import ObjectChange
from motcua.par import process
from motcua.par.choices import RoundKind as K
from motcua.par.choices import SetStatus, SubmissionStatus
from motcua.par.models import CriteriaSet, EvidenceFile, LeafScore, RoundScore, Submission
from motcua.par.selectors import set_results
from motcua.par.services import ParError
from motcua.par.tests.process_support import CODE, PDF, days, open_rounds, pdf, pset, staff  # noqa: F401

pytestmark = pytest.mark.django_db


def self_score(cs: CriteriaSet, code: str, points: str, actor: Any, **kw: Any) -> RoundScore:
    return process.save_self_score(
        criteria_set=cs,
        unit_code="VP",
        criterion_code=code,
        points=points,
        not_applicable=kw.get("na", False),
        explanation=kw.get("why", ""),
        actor=actor,
    )


def test_the_whole_process_keeps_every_round_and_ends_in_leaf_scores(
    pset: CriteriaSet,  # noqa: F811
    staff: dict,  # noqa: F811
) -> None:
    sam, lea, hana = staff["sam"], staff["lea"], staff["hana"]
    _own, appraisal = open_rounds(pset, K.SELF_ASSESSMENT, K.APPRAISAL)
    pset.refresh_from_db()
    assert pset.status == SetStatus.SELF_ASSESSMENT and pset.frozen_at is not None

    self_score(pset, "1.1", "1", sam)
    process.add_evidence(
        criteria_set=pset, unit_code="VP", criterion_code="1.1", file=pdf(), actor=sam
    )
    self_score(pset, "1.2", "1,5", sam)
    self_score(pset, "2.1", "", sam, na=True)
    # 1.2 lacks half a point and has no file: no submission without an explanation.
    assert process.missing_items(pset, "VP") == [
        "Tiêu chí 1.2 chưa đủ điểm hoặc tài liệu kiểm chứng: cần giải trình."
    ]
    with pytest.raises(ParError, match=r"1\.2 chưa đủ điểm"):
        process.submit(criteria_set=pset, unit_code="VP", actor=sam)
    assert Submission.objects.get().status == SubmissionStatus.DRAFT
    self_score(pset, "1.2", "1,5", sam, why="Một báo cáo quý gửi chậm hai ngày.")
    sub = process.submit(criteria_set=pset, unit_code="VP", actor=sam)

    pack = Submission.objects.get(pk=sub.pk).evidence_pack
    assert pack["set"] == CODE and pack["unit"] == "VP"
    by_code = {leaf["code"]: leaf for leaf in pack["leaves"]}
    assert by_code["1.1"]["points"] == "1.00"
    assert by_code["1.1"]["files"] == [
        {"name": "ke-hoach.pdf", "sha256": hashlib.sha256(PDF).hexdigest(), "size": len(PDF)}
    ]
    assert by_code["1.2"]["explanation"] == "Một báo cáo quý gửi chậm hai ngày."
    assert by_code["2.1"]["not_applicable"] is True and by_code["2.1"]["points"] is None
    assert len(Submission.objects.get().pack_sha256) == 64
    # Submitted: the unit's values no longer change; the appraisers wait for the leader.
    with pytest.raises(process.ProcessError, match="đã gửi"):
        self_score(pset, "1.1", "0", sam)
    with pytest.raises(process.ProcessError, match="chưa có hồ sơ tự đánh giá được lãnh đạo"):
        process.appraise(
            round_=appraisal,
            unit_code="VP",
            criterion_code="1.1",
            points="1",
            not_applicable=False,
            comment="",
            actor=hana,
        )

    process.decide(criteria_set=pset, unit_code="VP", approve=True, actor=lea)
    assert Submission.objects.get().status == SubmissionStatus.APPROVED
    assert CriteriaSet.objects.get(pk=pset.pk).status == SetStatus.SELF_ASSESSMENT
    process.appraise(
        round_=appraisal,
        unit_code="VP",
        criterion_code="1.2",
        points="1",
        not_applicable=False,
        comment="Hai báo cáo quý gửi chậm.",
        actor=hana,
    )
    assert CriteriaSet.objects.get(pk=pset.pk).status == SetStatus.APPRAISAL
    process.close_round(round_=appraisal, actor=hana)
    (_explanation, final) = open_rounds(pset, K.EXPLANATION, K.FINAL)
    process.explain(
        criteria_set=pset,
        unit_code="VP",
        criterion_code="1.2",
        text="Báo cáo quý II gửi đúng hạn, kèm công văn.",
        actor=sam,
    )
    for code, points in [("1.1", "1"), ("1.2", "1,5")]:
        process.appraise(
            round_=final,
            unit_code="VP",
            criterion_code=code,
            points=points,
            not_applicable=False,
            comment="",
            actor=hana,
        )
    process.appraise(
        round_=final,
        unit_code="VP",
        criterion_code="2.1",
        points="",
        not_applicable=True,
        comment="",
        actor=hana,
    )

    # The set's status followed the rounds as they were used.
    assert CriteriaSet.objects.get(pk=pset.pk).status == SetStatus.FINAL
    # Every round of 1.2 is kept, in the order of the process.
    rows = process.history(pset, "VP")[pset.criteria.get(code="1.2").pk]
    assert [(r.round.kind, r.points, r.comment) for r in rows] == [
        (K.SELF_ASSESSMENT, D("1.50"), "Một báo cáo quý gửi chậm hai ngày."),
        (K.APPRAISAL, D("1.00"), "Hai báo cáo quý gửi chậm."),
        (K.EXPLANATION, None, "Báo cáo quý II gửi đúng hạn, kèm công văn."),
        (K.FINAL, D("1.50"), ""),
    ]
    # The final round's points are what the results read: 2.5 of an applicable 3.
    scores = {s.criterion.code: (s.points, s.not_applicable) for s in LeafScore.objects.all()}
    assert scores == {"1.1": (D("1"), False), "1.2": (D("1.5"), False), "2.1": (D("0"), True)}
    (vp,) = set_results(CriteriaSet.objects.get(pk=pset.pk))
    assert (vp.evidence, vp.applicable_max) == (D("2.5"), D("3"))
    # Every state change is in the change log, with its actor.
    logged = ObjectChange.objects.filter(actor__username__in=["sam", "lea", "hana"])
    assert logged.filter(actor__username="lea", reason="Lãnh đạo phê duyệt").count() == 1
    assert logged.filter(reason__startswith="Đóng vòng thẩm định").count() == 1
    # sam: 4 own scores, 1 file, 1 submission, 1 explanation, and the set moving to explanation.
    assert logged.filter(actor__username="sam").count() == 8


def test_a_round_past_its_deadline_or_closed_refuses_every_change(
    pset: CriteriaSet,  # noqa: F811
    staff: dict,  # noqa: F811
) -> None:
    sam, hana = staff["sam"], staff["hana"]
    late = process.plan_round(
        criteria_set=pset,
        kind=K.SELF_ASSESSMENT,
        opens_on=days(-10),
        deadline=days(-1),
        actor=hana,
    )
    with pytest.raises(process.ProcessError, match=r"đã hết hạn ngày \d\d/\d\d/\d{4}"):
        self_score(pset, "1.1", "1", sam)
    with pytest.raises(process.ProcessError, match="hết hạn"):
        process.add_evidence(
            criteria_set=pset, unit_code="VP", criterion_code="1.1", file=pdf(), actor=sam
        )
    assert not RoundScore.objects.exists() and not EvidenceFile.objects.exists()

    # The deadline day itself is still open; closing ends it at once.
    late.deadline = days(0)
    late.save()
    self_score(pset, "1.1", "1", sam)
    process.close_round(round_=late, actor=hana)
    with pytest.raises(process.ProcessError, match="đã đóng"):
        self_score(pset, "1.1", "0", sam)
    with pytest.raises(process.ProcessError, match="đã đóng"):
        process.close_round(round_=late, actor=hana)
    assert RoundScore.objects.get().points == D("1")

    # A round that has not opened yet refuses too.
    waiting = process.plan_round(
        criteria_set=pset, kind=K.APPRAISAL, opens_on=days(3), deadline=days(9), actor=hana
    )
    with pytest.raises(process.ProcessError, match="chưa mở"):
        process.appraise(
            round_=waiting,
            unit_code="VP",
            criterion_code="1.1",
            points="1",
            not_applicable=False,
            comment="",
            actor=hana,
        )


def test_the_leader_returns_with_a_reason_and_the_unit_edits_again(
    pset: CriteriaSet,  # noqa: F811
    staff: dict,  # noqa: F811
) -> None:
    sam, lea = staff["sam"], staff["lea"]
    open_rounds(pset, K.SELF_ASSESSMENT)
    for code, points in [("1.1", "1"), ("1.2", "2"), ("2.1", "2")]:
        self_score(pset, code, points, sam, why="Có kế hoạch, chưa có tệp.")
    process.submit(criteria_set=pset, unit_code="VP", actor=sam)
    with pytest.raises(ParError, match="lý do"):
        process.decide(criteria_set=pset, unit_code="VP", approve=False, reason=" ", actor=lea)
    sub = process.decide(
        criteria_set=pset, unit_code="VP", approve=False, reason="Thiếu tệp kế hoạch.", actor=lea
    )
    assert (sub.status, sub.return_reason) == (SubmissionStatus.RETURNED, "Thiếu tệp kế hoạch.")
    self_score(pset, "1.1", "0,5", sam, why="Kế hoạch ban hành chậm.")
    with pytest.raises(process.ProcessError, match="đã gửi"):
        process.decide(criteria_set=pset, unit_code="VP", approve=True, actor=lea)
    with pytest.raises(ParError, match="từ 0 đến 1"):
        self_score(pset, "1.1", "1,5", sam)
    with pytest.raises(ParError, match="không hợp lệ"):
        self_score(pset, "1.1", "một", sam)


def test_evidence_files_go_through_filecheck_and_publication_needs_the_final_round(
    pset: CriteriaSet,  # noqa: F811
    staff: dict,  # noqa: F811
    tmp_path: Any,
) -> None:
    sam, hana = staff["sam"], staff["hana"]
    open_rounds(pset, K.SELF_ASSESSMENT)
    with pytest.raises(ParError, match=r"không nhận tệp có đuôi \.html"):
        process.add_evidence(
            criteria_set=pset,
            unit_code="VP",
            criterion_code="1.1",
            file=pdf("minh-chung.html", b"<script>alert(1)</script>"),
            actor=sam,
        )
    assert not EvidenceFile.objects.exists()
    assert list(tmp_path.rglob("*.*")) == []

    with pytest.raises(process.ProcessError, match="vòng chấm điểm cuối cùng"):
        process.publish(
            criteria_set=pset, number="1832/QĐ-UBND", issued_on=days(0), file=pdf(), actor=hana
        )
    (final,) = open_rounds(pset, K.FINAL)
    process.close_round(round_=final, actor=hana)
    row = process.publish(
        criteria_set=pset,
        number="1832/QĐ-UBND",
        issued_on=days(0),
        file=pdf("quyet-dinh.pdf"),
        actor=hana,
    )
    assert row.file.read() == PDF and row.sha256 == hashlib.sha256(PDF).hexdigest()
    pset.refresh_from_db()
    assert pset.status == SetStatus.PUBLISHED
    with pytest.raises(process.ProcessError, match="đã công bố"):
        process.plan_round(
            criteria_set=pset, kind=K.APPRAISAL, opens_on=days(0), deadline=days(1), actor=hana
        )
