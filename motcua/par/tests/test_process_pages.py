"""The process pages: a unit's self-assessment, the leader's approval, the appraisal table and
the Department of Home Affairs' set-up; their scope (404 outside) and refusals (409, 400)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client
from django.utils import timezone

from motcua.conftest import make_unit
from motcua.par.choices import RoundKind as K
from motcua.par.choices import SubmissionStatus
from motcua.par.models import CriteriaSet, EvidenceFile, LeafScore, Round, RoundScore, Submission
from motcua.par.tests.process_support import CODE, PDF, days, open_rounds, pdf, pset, staff  # noqa: F401

pytestmark = pytest.mark.django_db

SELF = f"/chi-so-cchc/{CODE}/VP/tu-danh-gia/"
APPRAISE = f"/chi-so-cchc/{CODE}/VP/tham-dinh/"
PROCESS = f"/chi-so-cchc/{CODE}/quy-trinh/"


def login(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_unit_self_assesses_with_a_file_submits_and_the_leader_approves(
    pset: CriteriaSet,  # noqa: F811
    staff: dict,  # noqa: F811
) -> None:
    open_rounds(pset, K.SELF_ASSESSMENT)
    sam = login(staff["sam"])
    page = sam.get(SELF).content.decode()
    assert "Tự chấm tiêu chí 1.1" in page and "Kế hoạch cải cách hành chính năm" in page
    assert "Tiêu chí 2.1 chưa tự chấm điểm." in page
    response = sam.post(
        SELF, {"hanh_dong": "luu", "ma": "1.1", "diem": "1", "tep": pdf()}, follow=True
    )
    assert "Đã lưu tiêu chí 1.1." in response.content.decode()
    (f,) = EvidenceFile.objects.all()
    assert f.file.read() == PDF
    assert sam.get(f"/chi-so-cchc/{CODE}/VP/minh-chung/{f.pk}/")["Content-Disposition"].startswith(
        "attachment"
    )
    for code, points in [("1.2", "2"), ("2.1", "1")]:
        sam.post(
            SELF, {"hanh_dong": "luu", "ma": code, "diem": points, "giai_trinh": "Chưa có tệp."}
        )
    # Bad points: 400 and the message; nothing changes.
    bad = sam.post(SELF, {"hanh_dong": "luu", "ma": "2.1", "diem": "5"})
    assert bad.status_code == 400 and "phải từ 0 đến 2" in bad.content.decode()
    assert RoundScore.objects.get(criterion__code="2.1").points == D("1")
    # An officer does not approve.
    assert sam.post(SELF, {"hanh_dong": "duyet"}).status_code == 403
    sam.post(SELF, {"hanh_dong": "gui"})
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    late = sam.post(SELF, {"hanh_dong": "luu", "ma": "2.1", "diem": "2"})
    assert late.status_code == 409 and "đã gửi" in late.content.decode()

    lea = login(staff["lea"])
    assert "Phê duyệt hồ sơ tự đánh giá" in lea.get(SELF).content.decode()
    lea.post(SELF, {"hanh_dong": "duyet"})
    assert Submission.objects.get().status == SubmissionStatus.APPROVED


def test_scope_a_unit_sees_its_own_and_only_appraisers_open_the_process(
    pset: CriteriaSet,  # noqa: F811
    staff: dict,  # noqa: F811
) -> None:
    open_rounds(pset, K.SELF_ASSESSMENT)
    nina, sam, hana = login(staff["nina"]), login(staff["sam"]), login(staff["hana"])
    assert nina.get(SELF).status_code == 404
    assert nina.post(SELF, {"hanh_dong": "luu", "ma": "1.1", "diem": "1"}).status_code == 404
    assert not RoundScore.objects.exists()
    assert sam.get(PROCESS).status_code == 404
    assert sam.get(APPRAISE).status_code == 404
    # The appraiser sees every unit's self-assessment, read-only.
    page = hana.get(SELF).content.decode()
    assert hana.get(SELF).status_code == 200 and "Tự chấm tiêu chí" not in page
    assert hana.post(SELF, {"hanh_dong": "luu", "ma": "1.1", "diem": "1"}).status_code == 403


def test_home_affairs_plans_and_closes_rounds_appraises_and_publishes(
    pset: CriteriaSet,  # noqa: F811
    staff: dict,  # noqa: F811
) -> None:
    hana = login(staff["hana"])
    today = timezone.localdate()
    hana.post(
        f"{PROCESS}vong/",
        {
            "vong": "self_assessment",
            "ngay_mo": f"{today - dt.timedelta(days=1)}",
            "han_chot": f"{today + dt.timedelta(days=7)}",
        },
    )
    (own,) = Round.objects.all()
    assert (own.kind, own.deadline) == (K.SELF_ASSESSMENT, today + dt.timedelta(days=7))
    wrong = hana.post(
        f"{PROCESS}vong/", {"vong": "appraisal", "ngay_mo": f"{today}", "han_chot": "hôm qua"}
    )
    assert wrong.status_code == 400 and "Hãy nhập ngày mở và hạn chót" in wrong.content.decode()
    twice = hana.post(
        f"{PROCESS}vong/",
        {"vong": "self_assessment", "ngay_mo": f"{today}", "han_chot": f"{today}"},
    )
    assert twice.status_code == 409 and "đã có vòng tự đánh giá" in twice.content.decode()

    # The unit fills and the leader approves; then the appraiser scores in the final round.
    sam, lea = login(staff["sam"]), login(staff["lea"])
    for code, points in [("1.1", "1"), ("1.2", "2"), ("2.1", "2")]:
        sam.post(
            SELF, {"hanh_dong": "luu", "ma": code, "diem": points, "giai_trinh": "Chưa có tệp."}
        )
    sam.post(SELF, {"hanh_dong": "gui"})
    lea.post(SELF, {"hanh_dong": "duyet"})
    (final,) = open_rounds(pset, K.FINAL)
    page = hana.get(PROCESS).content.decode()
    assert "Thẩm định Văn phòng Ủy ban nhân dân tỉnh" in page
    hana.post(APPRAISE, {"ma": "1.2", "diem": "1,5", "nhan_xet": "Một báo cáo chậm."})
    assert LeafScore.objects.get().points == D("1.5")
    page = hana.get(APPRAISE).content.decode()
    assert "Một báo cáo chậm." in page and "Chấm điểm cuối cùng" in page
    sub = Submission.objects.get()
    assert f"mã băm SHA-256 {sub.pack_sha256}" in page

    hana.post(f"{PROCESS}vong/{final.pk}/dong/")
    refused = hana.post(APPRAISE, {"ma": "1.2", "diem": "2"})
    assert refused.status_code == 409 and "Không có vòng thẩm định nào đang mở" in (
        refused.content.decode()
    )
    assert LeafScore.objects.get().points == D("1.5")
    hana.post(
        f"{PROCESS}cong-bo/", {"so": "1832/QĐ-UBND", "ngay": f"{today}", "tep": pdf("qd.pdf")}
    )
    page = hana.get(PROCESS).content.decode()
    assert "Đã công bố theo quyết định 1832/QĐ-UBND" in page


def test_the_ranking_page_links_to_the_process_and_to_ones_own_self_assessment(
    pset: CriteriaSet,  # noqa: F811
    staff: dict,  # noqa: F811
) -> None:
    url = f"/chi-so-cchc/?bo={CODE}"
    page = login(staff["hana"]).get(url).content.decode()
    assert f'href="{PROCESS}"' in page and "tu-danh-gia" not in page
    page = login(staff["sam"]).get(url).content.decode()
    assert f'href="{SELF}"' in page and PROCESS not in page
    assert "Tự đánh giá của Văn phòng Ủy ban nhân dân tỉnh" in page


def test_the_leader_returns_with_a_reason_and_the_unit_explains_in_the_explanation_round(
    pset: CriteriaSet,  # noqa: F811
    staff: dict,  # noqa: F811
) -> None:
    open_rounds(pset, K.SELF_ASSESSMENT)
    sam, lea = login(staff["sam"]), login(staff["lea"])
    for code in ("1.1", "1.2", "2.1"):
        sam.post(SELF, {"hanh_dong": "luu", "ma": code, "diem": "0", "giai_trinh": "Chưa làm."})
    sam.post(SELF, {"hanh_dong": "gui"})
    no_reason = lea.post(SELF, {"hanh_dong": "tra_lai", "ly_do": ""})
    assert no_reason.status_code == 400 and "Hãy ghi lý do trả lại." in no_reason.content.decode()
    lea.post(SELF, {"hanh_dong": "tra_lai", "ly_do": "Bổ sung kế hoạch năm."})
    page = sam.get(SELF).content.decode()
    assert "Lãnh đạo trả lại: Bổ sung kế hoạch năm." in page and "Lưu tiêu chí 1.1" in page
    sam.post(SELF, {"hanh_dong": "gui"})
    lea.post(SELF, {"hanh_dong": "duyet"})

    # No explanation round yet: refused; once it is open, the reply is kept with its file.
    early = sam.post(SELF, {"hanh_dong": "giai_trinh", "ma": "1.1", "noi_dung": "Đã có kế hoạch."})
    assert early.status_code == 409 and "Chưa lập vòng giải trình" in early.content.decode()
    open_rounds(pset, K.EXPLANATION)
    sam.post(
        SELF,
        {"hanh_dong": "giai_trinh", "ma": "1.1", "noi_dung": "Đã có kế hoạch.", "tep": pdf()},
    )
    reply = RoundScore.objects.get(round__kind=K.EXPLANATION)
    assert (reply.criterion.code, reply.points, reply.comment) == ("1.1", None, "Đã có kế hoạch.")
    assert EvidenceFile.objects.get().round.kind == K.EXPLANATION
    assert "Đã có kế hoạch." in login(staff["hana"]).get(APPRAISE).content.decode()


def test_the_home_affairs_appraiser_role_runs_the_process_without_seeing_other_dossiers(
    pset: CriteriaSet,  # noqa: F811
    province: object,
) -> None:
    """Sở Nội vụ's appraisers (role par_appraiser) plan rounds and open every unit's
    self-assessment and appraisal, but their dossier scope stays their own department."""
    from motcua.conftest import make_user
    from motcua.people.choices import Role
    from motcua.people.policy import Action, can

    new_province = province.new  # type: ignore[attr-defined]
    snv = make_unit("SNV", "Sở Nội vụ", "department", new_province, kind="department")
    vy = make_user("vy", (snv, Role.SPECIALIST), (snv, Role.PAR_APPRAISER))
    open_rounds(pset, K.SELF_ASSESSMENT)
    client = login(vy)
    assert client.get(PROCESS).status_code == 200
    page = client.get(SELF)  # the department VP's self-assessment, read-only
    assert page.status_code == 200 and "Tự chấm tiêu chí" not in page.content.decode()
    # The role gives the PAR Index, not the other units' dossiers.
    assert can(vy, Action.APPRAISE)
    assert not can(vy, Action.VIEW, province.office)  # type: ignore[attr-defined]
    plain = login(make_user("an", (snv, Role.SPECIALIST)))
    assert plain.get(PROCESS).status_code == 404
