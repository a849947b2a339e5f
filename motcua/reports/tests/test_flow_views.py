"""The review, issue and sending pages of a reform report (issue 15 item 8): scope and
permission, refused moves (409, nothing written), the snapshot hash shown, the paper, the
reporting task on time, the difference list after a late dossier, the province's view."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from docx import Document

from motcua.assignments.models import Task
from motcua.conftest import Province, make_user
from motcua.dossiers.tests.factories import local
from motcua.people.choices import Role
from motcua.reports.choices import ReportState
from motcua.reports.flow_views import signed
from motcua.reports.models import Report, ReportEvent, ReportSnapshot
from motcua.reports.reform import services
from motcua.reports.reform.registers import enter_register_entry
from motcua.reports.tests.test_reform_lifecycle import quarter, receive  # noqa: F401

S = ReportState
ISSUE = {
    "number": "166",
    "symbol": "BC-UBND",
    "issued_on": "18/09/2023",
    "authority": "KT.",
    "signer_title": "Phó Chủ tịch",
    "signer_name": "Nguyễn Văn An",
    "place": "Đồng Tháp",
    "recipients": "- UBND tỉnh (b/c);\n- Sở Nội vụ;\n- Lưu: VT, NC.",
}


@pytest.fixture
def users(province: Province) -> dict[str, Any]:
    """The province's leader (approve), a specialist of the province (no approve), the leader
    of another district (outside the province's own unit), the province office."""
    p = province
    return {
        "leader": make_user("lanhdao", (p.old, Role.LEADER)),
        "officer": make_user("chuyenvien", (p.old, Role.SPECIALIST)),
        "stranger": make_user("huyenkhac", (p.other_district, Role.LEADER)),
        "office": make_user("vanphong", (p.old, Role.PROVINCIAL_OFFICE)),
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_review(root: Any, text: str = "Công tác cải cách hành chính được triển khai.") -> Report:
    report = services.generate_report(unit_code="DT", period="2023-Q3", actor=root)
    report = services.write_section(report=report, key="I.1", text=text, actor=root)
    return services.submit_report(report=report, actor=root)


def kinds(report: Report) -> list[str]:
    return list(ReportEvent.objects.filter(report=report).values_list("kind", flat=True))


def test_review_scope_and_permission(quarter: dict, users: dict) -> None:  # noqa: F811
    report = in_review(quarter["root"])
    url = f"/bao-cao-cchc/{report.pk}/duyet/"
    stranger = client_for(users["stranger"])
    assert stranger.get(url).status_code == 404
    assert stranger.post(url + "phe-duyet/", {"note": "x"}).status_code == 404
    officer = client_for(users["officer"])
    page = officer.get(url)
    assert page.status_code == 200
    assert "Phê duyệt</button>" not in page.content.decode()
    assert "Chỉ lãnh đạo đơn vị" in page.content.decode()
    assert officer.post(url + "phe-duyet/", {"note": "x"}).status_code == 403
    assert officer.post(url + "tra-lai/", {"reason": "x"}).status_code == 403
    report.refresh_from_db()
    assert report.state == S.IN_REVIEW and "report.approved" not in kinds(report)
    leader = client_for(users["leader"])
    html = leader.get(url).content.decode()
    assert "Phê duyệt</button>" in html and "Trả lại</button>" in html
    # the text as written, the figures with their Vietnamese numbers
    assert "Công tác cải cách hành chính được triển khai." in html


def test_warnings_need_a_note_409_and_nothing_written(quarter: dict, users: dict) -> None:  # noqa: F811
    report = in_review(quarter["root"], text="Tiếp nhận 3 hồ sơ trong kỳ.")  # a typed number
    assert any(f["level"] == "warning" for f in report.findings)
    leader = client_for(users["leader"])
    before = kinds(report)
    refused = leader.post(f"/bao-cao-cchc/{report.pk}/duyet/phe-duyet/", {"note": ""})
    assert refused.status_code == 409
    assert "hãy ghi chú khi duyệt" in refused.content.decode()
    report.refresh_from_db()
    assert report.state == S.IN_REVIEW and report.approved_at is None
    assert kinds(report) == before
    done = leader.post(
        f"/bao-cao-cchc/{report.pk}/duyet/phe-duyet/", {"note": "Đã xem các cảnh báo."}
    )
    assert done.status_code == 302 and done["Location"] == f"/bao-cao-cchc/{report.pk}/ban-hanh/"
    report.refresh_from_db()
    assert report.state == S.APPROVED and report.approved_by == users["leader"]
    assert report.approval_note == "Đã xem các cảnh báo."
    # approved, not yet issued: no second approval, but it may still go back to editing
    html = leader.get(f"/bao-cao-cchc/{report.pk}/duyet/").content.decode()
    assert "Phê duyệt</button>" not in html and "Trả lại</button>" in html


def test_errors_disable_approval_and_return_needs_a_reason(
    quarter: dict,  # noqa: F811
    users: dict,
) -> None:
    root = quarter["root"]
    q3 = {"period_from": dt.date(2023, 6, 15), "period_to": dt.date(2023, 9, 14)}
    for key, value in (
        ("dossiers.received", 184027),
        ("dossiers.resolved", 152104),
        ("dossiers.pending", 10277),
    ):
        enter_register_entry(
            key=key,
            unit="DT",
            as_of=dt.date(2023, 9, 14),
            value=value,
            actor=root,
            evidence_reference="166/BC-VPUBND",
            **q3,
        )
    report = in_review(root)
    leader = client_for(users["leader"])
    html = leader.get(f"/bao-cao-cchc/{report.pk}/duyet/").content.decode()
    assert re.search(r"<button type=\"submit\" disabled[^>]*>Phê duyệt</button>", html)
    assert "Chưa thể phê duyệt" in html and "184.027" in html
    refused = leader.post(f"/bao-cao-cchc/{report.pk}/duyet/phe-duyet/", {"note": "Đã xem."})
    assert refused.status_code == 409 and "Chưa thể duyệt" in refused.content.decode()
    assert leader.post(f"/bao-cao-cchc/{report.pk}/duyet/tra-lai/", {}).status_code == 400
    report.refresh_from_db()
    assert report.state == S.IN_REVIEW
    back = leader.post(
        f"/bao-cao-cchc/{report.pk}/duyet/tra-lai/", {"reason": "Số liệu tiếp nhận sai."}
    )
    assert back.status_code == 302
    report.refresh_from_db()
    assert report.state == S.EDITING
    assert ReportEvent.objects.get(report=report, kind="report.returned").note == (
        "Số liệu tiếp nhận sai."
    )


def test_issue_send_regenerate_and_the_difference_list(
    quarter: dict,  # noqa: F811
    users: dict,
    province: Province,
) -> None:
    root = quarter["root"]
    report = in_review(root)
    report = services.approve_report(report=report, actor=root, note="Đã xem.")
    leader, officer = client_for(users["leader"]), client_for(users["officer"])
    url = f"/bao-cao-cchc/{report.pk}/ban-hanh/"
    assert "Ban hành</button>" in leader.get(url).content.decode()
    assert "Ban hành</button>" not in officer.get(url).content.decode()
    assert officer.post(url, ISSUE).status_code == 403
    # bad input: 400, the field named, nothing written
    bad = leader.post(url, {**ISSUE, "symbol": "bc ubnd"})
    assert bad.status_code == 400 and "ký hiệu viết hoa" in bad.content.decode()
    assert leader.post(url, {**ISSUE, "issued_on": "2023-09-18"}).status_code == 400
    assert not ReportSnapshot.objects.filter(report=report).exists()
    assert leader.post(url, ISSUE).status_code == 302
    report.refresh_from_db()
    assert report.state == S.ISSUED and report.number_and_symbol == "166/BC-UBND"
    assert report.recipients == ["UBND tỉnh (b/c)", "Sở Nội vụ", "Lưu: VT, NC."]
    assert report.authority == "KT." and report.issued_on == dt.date(2023, 9, 18)
    snapshot = ReportSnapshot.objects.get(report=report)
    html = leader.get(url).content.decode()
    shown = re.search(r'<code class="content-hash">([0-9a-f]{64})</code>', html)
    assert shown and shown[1] == snapshot.content_hash
    # issuing again is a refused move: 409, the snapshot untouched
    again = leader.post(url, {**ISSUE, "number": "167"})
    assert again.status_code == 409 and "Không thể chuyển báo cáo" in again.content.decode()
    assert ReportSnapshot.objects.get(report=report).content_hash == snapshot.content_hash
    # the issued paper: number and symbol, signer, recipients as recorded
    paper = leader.get(f"/bao-cao-cchc/{report.pk}/ban-hanh/van-ban.docx")
    assert paper.status_code == 200
    assert paper["Content-Disposition"].endswith('.docx"')
    text = "\n".join(p.text for p in Document(io.BytesIO(paper.content)).paragraphs)
    tables = Document(io.BytesIO(paper.content)).tables
    text += "\n".join(c.text for t in tables for row in t.rows for c in row.cells)
    assert "166/BC-UBND" in text and "Nguyễn Văn An" in text and "Sở Nội vụ" in text
    stranger = client_for(users["stranger"])
    for page_url in (paper.request["PATH_INFO"], url, f"/bao-cao-cchc/{report.pk}/duyet/"):
        assert stranger.get(page_url).status_code == 404
    assert stranger.post(f"/bao-cao-cchc/{report.pk}/gui/", {"recipients": "x"}).status_code == 404
    # send: the Q3 occurrence of the reporting task (due 20/09/2023) done on time
    sent = leader.post(
        f"/bao-cao-cchc/{report.pk}/gui/",
        {"recipients": "UBND tỉnh (b/c)\nSở Nội vụ", "sent_at": "19/09/2023 10:00"},
    )
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.state == S.SENT and report.sent_at == local(2023, 9, 19, 10)
    assert Task.objects.get(pk=quarter["task"].pk).status == "done"
    html = leader.get(url).content.decode()
    assert "Đã gửi lúc 19/09/2023 10:00" in html and "đúng hạn" in html
    # a late-entered dossier of the period, then "Lập lại từ số liệu mới"
    receive(province, root, quarter["procedure"], local(2023, 8, 22, 9), 4)
    regenerated = leader.post(f"/bao-cao-cchc/{report.pk}/lap-lai/")
    draft = Report.objects.get(regenerated_from=report)
    assert regenerated.status_code == 302
    assert regenerated["Location"] == f"/bao-cao-cchc/{draft.pk}/chenh-lech/"
    assert stranger.get(regenerated["Location"]).status_code == 404
    page = leader.get(regenerated["Location"]).content.decode()
    rows = re.findall(
        r"<tr><td>([^<]+)</td><td class=\"number\">([^<]*)</td>"
        r"<td class=\"number\">([^<]*)</td><td class=\"number\">([^<]*)</td>",
        page,
    )
    assert sorted(r[0] for r in rows) == sorted(d["label"] for d in draft.differences)
    by_label = {r[0]: r[1:] for r in rows}
    assert by_label["Tổng số hồ sơ tiếp nhận (kỳ trước chuyển qua và mới tiếp nhận)"] == (
        "3",
        "4",
        "+1",
    )
    assert "figure=received" in page
    # a refused regeneration (a draft already open) is 409 and adds nothing
    again = leader.post(f"/bao-cao-cchc/{report.pk}/lap-lai/")
    assert again.status_code == 409 and "đã có một bản lập lại" in again.content.decode()
    assert Report.objects.filter(regenerated_from=report).count() == 1


def test_province_view_lists_every_unit_with_its_state(
    quarter: dict,  # noqa: F811
    users: dict,
) -> None:
    root = quarter["root"]
    report = in_review(root)
    office = client_for(users["office"])
    page = office.get("/bao-cao-cchc/tong-hop/?ky=2023-Q3")
    assert page.status_code == 200
    html = page.content.decode()
    cells = dict(
        re.findall(
            r'<td class="cell-title">([^<]+)</td>\s*<td[^>]*>(?:<a [^>]*>)?'
            r'<span class="badge[^"]*">([^<]+)</span>',
            html,
        )
    )
    assert cells["Ủy ban nhân dân tỉnh Đồng Tháp"] == "Chờ duyệt"
    assert cells["Ủy ban nhân dân huyện Lấp Vò"] == "Chưa lập"
    assert cells["Ủy ban nhân dân xã Mỹ An"] == "Chưa lập"
    assert "Ủy ban nhân dân xã Tháp Mười" not in cells  # not yet in force in Q3 2023
    report = services.approve_report(report=report, actor=root, note="Đã xem.")
    from motcua.reports.reform import publication

    publication.issue_report(
        report=report,
        actor=root,
        number=9,
        symbol="BC-UBND",
        issued_on=dt.date(2023, 9, 25),
        signer_name="Nguyễn Văn An",
        signer_title="Chủ tịch",
        recipients=["UBND tỉnh"],
    )
    publication.send_report(report=report, actor=root, sent_at=local(2023, 9, 25, 9))
    html = office.get("/bao-cao-cchc/tong-hop/?ky=2023-Q3").content.decode()
    assert "Đã gửi — trễ hạn" in html and "09/BC-UBND — 25/09/2023" in html
    assert office.get("/bao-cao-cchc/tong-hop/?ky=2023-Q9").status_code == 400
    # a unit leader is not a provincial role; the superuser sees the page
    assert client_for(users["stranger"]).get("/bao-cao-cchc/tong-hop/").status_code == 404
    assert client_for(root).get("/bao-cao-cchc/tong-hop/?ky=2023-Q3").status_code == 200


def test_changes_are_printed_the_vietnamese_way() -> None:
    assert [signed(184027), signed(-21646), signed(0), signed(None), signed(1.5)] == [
        "+184.027",
        "-21.646",
        "0",
        "—",
        "+1,5",
    ]


def test_province_view_queries_do_not_grow_with_the_units(
    quarter: dict,  # noqa: F811
    users: dict,
    province: Province,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.conftest import make_unit

    in_review(quarter["root"])
    office = client_for(users["office"])
    office.get("/bao-cao-cchc/tong-hop/?ky=2023-Q3")  # warm the session and the unit graph

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert office.get("/bao-cao-cchc/tong-hop/?ky=2023-Q3").status_code == 200
        return len(queries)

    few = count()
    for n in range(30):
        make_unit(f"X{n}", f"Ủy ban nhân dân xã Thử {n}", "commune", province.district)
    count()  # the changed tree is read again once (the unit graph's cache)
    more = count()
    html = office.get("/bao-cao-cchc/tong-hop/?ky=2023-Q3").content.decode()
    assert "Ủy ban nhân dân xã Thử 29" in html
    assert more == few
