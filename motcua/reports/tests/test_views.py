"""The unit's report pages (/bao-cao-cchc/): the list in scope, "Lập báo cáo", the editor's
section texts with the live checks, hand-entered figures, the register import and refused
moves. Downloads are in test_views_downloads.py."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from motcua.conftest import Province, make_user
from motcua.people.choices import Role
from motcua.reports.choices import ReportState
from motcua.reports.models import RegisterEntry, Report, ReportEvent
from motcua.reports.reform import services
from motcua.reports.tests.test_reform_lifecycle import quarter  # noqa: F401 - shared fixture

S = ReportState


@pytest.fixture
def staff(province: Province) -> dict[str, Any]:
    """`chi` drafts commune C1's reports (specialist), `bao` those of C2; `tam` is C1's
    one-stop officer (sees, does not draft)."""
    p = province
    return {
        "chi": make_user("chi", (p.commune_a, Role.SPECIALIST)),
        "bao": make_user("bao", (p.commune_b, Role.SPECIALIST)),
        "tam": make_user("tam", (p.commune_a, Role.ONE_STOP_OFFICER)),
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft(code: str, actor: Any) -> Report:
    return services.generate_report(unit_code=code, period="2023-Q3", actor=actor)


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_list_shows_only_reports_in_scope_and_another_communes_report_is_404(
    quarter: dict,  # noqa: F811
    staff: dict,
) -> None:
    mine = draft("C1", staff["chi"])
    theirs = draft("C2", staff["bao"])
    chi = client_for(staff["chi"])
    page = chi.get("/bao-cao-cchc/")
    assert page.status_code == 200
    body = text(page)
    assert f'data-report="{mine.pk}"' in body and f'data-report="{theirs.pk}"' not in body
    assert "Quý III/2023" in body and "Dự thảo" in body and "Ủy ban nhân dân xã Mỹ An" in body
    assert "Ủy ban nhân dân xã Mỹ Hòa" not in body
    for url in (
        f"/bao-cao-cchc/{theirs.pk}/",
        f"/bao-cao-cchc/{theirs.pk}/tai/docx/",
        f"/bao-cao-cchc/{theirs.pk}/kiem-tra/",
    ):
        assert chi.get(url).status_code == 404
    before = theirs.texts
    answer = chi.post(f"/bao-cao-cchc/{theirs.pk}/muc/", {"muc": "I.1", "noi_dung": "Chen."})
    assert answer.status_code == 404
    theirs.refresh_from_db()
    assert theirs.texts == before and theirs.state == S.DRAFT
    assert chi.get("/bao-cao-cchc/999999/").status_code == 404


def test_generate_from_a_period_as_people_say_it_and_a_second_one_links_the_first(
    quarter: dict,  # noqa: F811
    staff: dict,
) -> None:
    chi = client_for(staff["chi"])
    form = chi.get("/bao-cao-cchc/")
    assert 'value="C1"' in text(form) and 'value="C2"' not in text(form)  # units in scope only
    answer = chi.post("/bao-cao-cchc/", {"unit": "C1", "period": "Quý III/2023"})
    report = Report.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/bao-cao-cchc/{report.pk}/"
    assert (report.unit_code, report.period_code, report.state) == ("C1", "2023-Q3", S.DRAFT)
    assert report.period_from.isoformat() == "2023-06-15"
    assert report.created_by == staff["chi"]

    again = chi.post("/bao-cao-cchc/", {"unit": "C1", "period": "quý 3/2023"})
    assert again.status_code == 409
    body = text(again)
    assert "đã có một báo cáo Quý III/2023 chưa ban hành" in body
    assert f'href="/bao-cao-cchc/{report.pk}/" data-existing' in body
    assert Report.objects.count() == 1

    bad = chi.post("/bao-cao-cchc/", {"unit": "C1", "period": "quý năm"})
    assert bad.status_code == 400
    assert "Không đọc được kỳ báo cáo" in text(bad)
    outside = chi.post("/bao-cao-cchc/", {"unit": "C2", "period": "Năm 2023"})
    assert outside.status_code == 400
    # C1 closed on 30/06/2025: its Decree 09 quarter III/2025 (15/06–14/09) still has days of
    # work, its calendar quarter (the 766 index's) none: made without the 766 figures.
    closed = chi.post("/bao-cao-cchc/", {"unit": "C1", "period": "Quý III/2025"})
    assert closed.status_code == 302
    assert "Ủy ban nhân dân xã Mỹ An (hoạt động đến 30/06/2025)" in text(form)
    late = Report.objects.get(period_code="2025-Q3")
    assert not any(f["key"].startswith("index766.") for f in late.figures)
    assert Report.objects.count() == 2


def test_writing_a_section_saves_it_and_the_checks_beside_it_change(
    quarter: dict,  # noqa: F811
    staff: dict,
) -> None:
    report = draft("C1", staff["chi"])
    chi = client_for(staff["chi"])
    editor = text(chi.get(f"/bao-cao-cchc/{report.pk}/"))
    assert "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH" in editor
    assert "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV NĂM 2023" in editor
    # the computed figures with their printed value, window and link to the records
    row = re.search(r'<tr data-figure="dossiers.received">.*?</tr>', editor)
    assert row is not None
    assert '<td class="nowrap num" data-value>3</td>' in row[0]
    section = re.search(r'<section id="muc-II-2".*?</table>', editor)
    assert (
        section is not None
        and "Số liệu từ 15/06/2023 đến 14/09/2023</small></caption>" in section[0]
    )
    # a stock figure of the same section names its own date
    assert "Số liệu tính đến ngày 14/09/2023" in section[0]
    assert 'href="/thong-ke/ho-so/?' in row[0] and "figure=received" in row[0]
    assert "Trình duyệt" in editor and "Cập nhật số liệu" in editor
    assert "Lưu mục I.1" in editor

    typed = chi.post(
        f"/bao-cao-cchc/{report.pk}/muc/",
        {"muc": "II.2", "noi_dung": "Trong kỳ tiếp nhận 184.027 hồ sơ."},
        HTTP_HX_REQUEST="true",
    )
    assert typed.status_code == 200
    fragment = text(typed)
    assert 'id="muc-II-2-text"' in fragment and "Đã lưu mục II.2" in fragment
    assert (
        'id="report-checks" class="report-checks" aria-labelledby="kiem-tra" hx-swap-oob="true"'
        in fragment
    )
    assert "Mục II.2 có số gõ trong lời văn: 184.027" in fragment
    assert "Đang soạn" in fragment
    report.refresh_from_db()
    assert report.state == S.EDITING
    assert report.texts["II.2"] == "Trong kỳ tiếp nhận 184.027 hồ sơ."
    assert any("184.027" in f["message"] for f in report.findings)

    referenced = chi.post(
        f"/bao-cao-cchc/{report.pk}/muc/",
        {"muc": "II.2", "noi_dung": "Trong kỳ tiếp nhận {{dossiers.received}} hồ sơ."},
        HTTP_HX_REQUEST="true",
    )
    assert "184.027" not in text(referenced)
    report.refresh_from_db()
    assert not any("Mục II.2" in f["message"] for f in report.findings)
    assert ReportEvent.objects.filter(report=report, kind="report.section_written").count() == 2
    # the page shows the text with its reference; the paper prints the figure (3)
    assert "{{dossiers.received}}" in text(chi.get(f"/bao-cao-cchc/{report.pk}/"))
    assert services.in_memory(report).sections[1]["children"][1]["text"] == (
        "Trong kỳ tiếp nhận 3 hồ sơ."
    )


def test_entering_budget_figures_shows_them_and_a_broken_identity_names_both_sides(
    quarter: dict,  # noqa: F811
    staff: dict,
) -> None:
    report = draft("C1", staff["chi"])
    assert any(m["key"] == "budget.available" for m in report.missing)
    chi = client_for(staff["chi"])
    prefix = "muc-II-5"
    for key, value in (
        ("budget.available", "21.985.346.717"),
        ("budget.allocated", "21.042.000.000"),
        ("budget.carried_over", "900.000.000"),
    ):
        answer = chi.post(
            f"/bao-cao-cchc/{report.pk}/so-lieu-nhap/",
            {
                "tien_to": prefix,
                f"{prefix}-key": key,
                f"{prefix}-value": value,
                f"{prefix}-as_of": "14/09/2023",
                f"{prefix}-evidence_reference": "Quyết định 12/QĐ-UBND",
            },
        )
        assert answer.status_code == 302, text(answer)
        assert answer["Location"].endswith("#muc-II-5")
    entry = RegisterEntry.objects.get(key="budget.available")
    assert entry.value_int == 21_985_346_717 and entry.unit.code == "C1"
    assert entry.entered_by == staff["chi"] and entry.evidence_reference == "Quyết định 12/QĐ-UBND"
    report.refresh_from_db()
    values = {f["key"]: f["value"] for f in report.figures}
    assert values["budget.available"] == 21_985_346_717
    assert not any(m["key"] == "budget.available" for m in report.missing)
    page = text(chi.get(f"/bao-cao-cchc/{report.pk}/"))
    assert "21.985.346.717 đồng" in page and "Nhập tay bởi chi" in page
    errors = [f for f in report.findings if f["level"] == "error"]
    assert any("chênh lệch 43.346.717" in f["message"] for f in errors)
    assert "chênh lệch 43.346.717" in page
    assert "Tổng kinh phí được sử dụng (đồng)" in page  # the finding names its figures

    # bad input: a 400 with the Vietnamese message, nothing written
    count = RegisterEntry.objects.count()
    bad = chi.post(
        f"/bao-cao-cchc/{report.pk}/so-lieu-nhap/",
        {
            "tien_to": prefix,
            f"{prefix}-key": "budget.spent",
            f"{prefix}-value": "nhiều",
            f"{prefix}-as_of": "14/09/2023",
            f"{prefix}-evidence_reference": "Quyết định 12/QĐ-UBND",
        },
    )
    assert bad.status_code == 400
    assert "không phải số nguyên" in text(bad)
    outside = chi.post(
        f"/bao-cao-cchc/{report.pk}/so-lieu-nhap/",
        {
            "tien_to": prefix,
            f"{prefix}-key": "budget.spent",
            f"{prefix}-value": "1.000",
            f"{prefix}-as_of": "20/09/2023",
            f"{prefix}-evidence_reference": "Quyết định 12/QĐ-UBND",
        },
    )
    assert outside.status_code == 400
    assert "Ngày số liệu phải trong kỳ báo cáo, từ 15/06/2023 đến 14/09/2023" in text(outside)
    assert RegisterEntry.objects.count() == count


def test_register_import_lists_errors_by_line_and_writes_nothing_then_imports(
    quarter: dict,  # noqa: F811
    staff: dict,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = draft("C1", staff["chi"])
    chi = client_for(staff["chi"])
    url = f"/bao-cao-cchc/{report.pk}/nhap-tep-so-lieu/"
    head = "key,unit,as_of,value,evidence_reference\n"
    bad = (
        head + "staffing.assigned,C1,14/09/2023,59,QĐ 5/QĐ-UBND\n"
        "staffing.actual,C1,31/02/2023,57,QĐ 5/QĐ-UBND\n"
        "staffing.contracts,C1,14/09/2023,mười bảy,QĐ 5/QĐ-UBND\n"
    )
    answer = chi.post(url, {"file": SimpleUploadedFile("so-lieu.csv", bad.encode())})
    assert answer.status_code == 400
    body = text(answer)
    assert "Dòng 3: as_of: “31/02/2023” không phải ngày" in body
    assert "Dòng 4: Số hợp đồng lao động: “mười bảy” không phải số nguyên" in body
    assert "Dòng 2" not in body
    other = head + "staffing.assigned,C2,14/09/2023,59,QĐ 5/QĐ-UBND\n"
    answer = chi.post(url, {"file": SimpleUploadedFile("so-lieu.csv", other.encode())})
    assert answer.status_code == 400
    assert "Dòng 2: unit: chỉ nhập số liệu của đơn vị C1" in text(answer)
    assert RegisterEntry.objects.count() == 0

    good = head + "staffing.assigned,C1,14/09/2023,59,QĐ 5/QĐ-UBND\n"
    good += "staffing.actual,C1,14/09/2023,57,QĐ 5/QĐ-UBND\n"
    answer = chi.post(url, {"file": SimpleUploadedFile("so-lieu.csv", good.encode())})
    assert answer.status_code == 302
    assert sorted(RegisterEntry.objects.values_list("key", "value_int")) == [
        ("staffing.actual", 57),
        ("staffing.assigned", 59),
    ]
    report.refresh_from_db()
    assert {f["key"]: f["value"] for f in report.figures}["staffing.actual"] == 57


def test_refused_moves_answer_409_with_the_services_message_and_write_nothing(
    quarter: dict,  # noqa: F811
    staff: dict,
) -> None:
    report = draft("C1", staff["chi"])
    chi = client_for(staff["chi"])
    assert chi.post(f"/bao-cao-cchc/{report.pk}/trinh-duyet/").status_code == 302
    report.refresh_from_db()
    assert report.state == S.IN_REVIEW
    page = text(chi.get(f"/bao-cao-cchc/{report.pk}/"))
    assert "Trình duyệt</button>" not in page and "Cập nhật số liệu</button>" not in page
    assert "<textarea" not in page

    again = chi.post(f"/bao-cao-cchc/{report.pk}/trinh-duyet/")
    assert again.status_code == 409
    assert "Không thể chuyển báo cáo từ trạng thái “Chờ duyệt” sang “Chờ duyệt”." in text(again)
    refreshed = chi.post(f"/bao-cao-cchc/{report.pk}/cap-nhat-so-lieu/")
    assert refreshed.status_code == 409
    assert "Chỉ cập nhật số liệu khi báo cáo đang soạn" in text(refreshed)
    written = chi.post(
        f"/bao-cao-cchc/{report.pk}/muc/",
        {"muc": "I.1", "noi_dung": "Sửa khi đang chờ duyệt."},
        HTTP_HX_REQUEST="true",
    )
    assert written.status_code == 409
    assert "không sửa được nội dung" in text(written)
    report.refresh_from_db()
    assert report.state == S.IN_REVIEW and "I.1" not in report.texts
    assert ReportEvent.objects.filter(report=report).count() == 2  # generated, submitted


def test_an_officer_without_the_right_to_draft_sees_no_button_and_is_refused(
    quarter: dict,  # noqa: F811
    staff: dict,
) -> None:
    report = draft("C1", staff["chi"])
    tam = client_for(staff["tam"])
    page = tam.get(f"/bao-cao-cchc/{report.pk}/")
    assert page.status_code == 200
    body = text(page)
    assert "<textarea" not in body and "Trình duyệt</button>" not in body
    assert "Lập báo cáo" not in text(tam.get("/bao-cao-cchc/"))
    answer = tam.post(f"/bao-cao-cchc/{report.pk}/muc/", {"muc": "I.1", "noi_dung": "Thử."})
    assert answer.status_code == 403
    assert "Bạn không có quyền soạn báo cáo của đơn vị này." in text(answer)
    assert tam.post("/bao-cao-cchc/", {"unit": "C1", "period": "Năm 2023"}).status_code == 400
    report.refresh_from_db()
    assert report.texts == {} and Report.objects.count() == 1


def test_the_list_costs_the_same_queries_for_one_report_and_for_three(
    quarter: dict,  # noqa: F811
    staff: dict,
    province: Province,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leader = make_user("lan", (province.old, Role.LEADER))  # the whole old province
    draft("C1", staff["chi"])
    client = client_for(leader)
    client.get("/bao-cao-cchc/")  # warm the unit graph's cache

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/bao-cao-cchc/").status_code == 200
        return len(queries)

    one = count()
    draft("C2", staff["bao"])
    draft("C3", leader)
    page = text(client.get("/bao-cao-cchc/"))
    assert page.count("<tr data-report=") == 3
    assert count() == one


def test_a_figure_entered_with_an_evidence_file_keeps_the_file_and_names_it(
    quarter: dict,  # noqa: F811
    staff: dict,
    settings: Any,
    tmp_path: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"

    report = draft("C1", staff["chi"])
    chi = client_for(staff["chi"])
    prefix = "muc-I-3"
    answer = chi.post(
        f"/bao-cao-cchc/{report.pk}/so-lieu-nhap/",
        {
            "tien_to": prefix,
            f"{prefix}-key": "propaganda.broadcasts",
            f"{prefix}-value": "10",
            f"{prefix}-as_of": "14/09/2023",
            f"{prefix}-whole_period": "on",
            f"{prefix}-evidence": SimpleUploadedFile(
                "ke-hoach-tuyen-truyen.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"
            ),
        },
    )
    assert answer.status_code == 302, text(answer)
    entry = RegisterEntry.objects.get()
    assert entry.evidence_name == "ke-hoach-tuyen-truyen.pdf" and entry.evidence.read()
    assert (entry.period_from, entry.period_to) == (report.period_from, report.period_to)
    page = text(chi.get(f"/bao-cao-cchc/{report.pk}/"))
    assert "minh chứng: ke-hoach-tuyen-truyen.pdf" in page
    # without a file or a document number the service refuses: 400, nothing written
    missing = chi.post(
        f"/bao-cao-cchc/{report.pk}/so-lieu-nhap/",
        {
            "tien_to": prefix,
            f"{prefix}-key": "propaganda.articles",
            f"{prefix}-value": "6",
            f"{prefix}-as_of": "14/09/2023",
        },
    )
    assert missing.status_code == 400
    assert "cần minh chứng: tệp đính kèm hoặc số, ký hiệu văn bản nguồn" in text(missing)
    assert RegisterEntry.objects.count() == 1
