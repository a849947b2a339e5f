"""The task pages: scoped lists (overdue first), my unit's obligations with the progress form,
the detail with the confirmer's forms, the leaders' board, the nav link."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from motcua.assignments.models import SourceDocument, Task, TaskEvent
from motcua.assignments.services import assign_task


@pytest.fixture
def tasks(letter: SourceDocument, province: Any) -> dict[str, Task]:
    today = timezone.localdate()
    late = assign_task(
        document=letter,
        code="LATE",
        title="Nhiệm vụ đã quá hạn",
        lead_unit=province.district,
        due_on=today - dt.timedelta(days=3),
        actor=None,
    )
    soon = assign_task(
        document=letter,
        code="SOON",
        title="Nhiệm vụ sắp đến hạn",
        lead_unit=province.district,
        due_on=today + dt.timedelta(days=3),
        coordinating_units=[province.commune_a],
        deadline_text="",
        actor=None,
    )
    far = assign_task(
        document=letter,
        code="FAR",
        title="Nhiệm vụ của huyện khác",
        lead_unit=province.other_district,
        deadline_text="thường xuyên",
        actor=None,
    )
    return {"late": late, "soon": soon, "far": far}


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def codes(html: str) -> list[str]:
    return re.findall(r'href="/nhiem-vu/([A-Z]+)/"', html)


def test_the_list_is_scoped_and_overdue_first(client: Client, people: dict, tasks: dict) -> None:
    page = login(client, people["olga"]).get("/nhiem-vu/")
    assert page.status_code == 200
    html = page.content.decode()
    assert codes(html) == ["LATE", "SOON", "FAR"]
    assert "Quá hạn" in html and "«thường xuyên»" in html
    dana = login(Client(), people["dana"]).get("/nhiem-vu/").content.decode()
    assert codes(dana) == ["LATE", "SOON"]
    alice = login(Client(), people["alice"]).get("/nhiem-vu/").content.decode()
    assert codes(alice) == ["SOON"]  # coordinating unit sees it
    assert login(Client(), people["alice"]).get("/nhiem-vu/LATE/").status_code == 404
    assert login(Client(), people["alice"]).get("/nhiem-vu/NOPE/").status_code == 404
    filtered = login(Client(), people["olga"]).get("/nhiem-vu/?overdue=true").content.decode()
    assert codes(filtered) == ["LATE"]
    by_issuer = login(Client(), people["olga"]).get("/nhiem-vu/?issuer=TTg").content.decode()
    assert codes(by_issuer) == []
    by_province = login(Client(), people["olga"]).get("/nhiem-vu/?issuer=DT").content.decode()
    assert codes(by_province) == ["LATE", "SOON", "FAR"]
    assert '<option value="DT" selected>Ủy ban nhân dân tỉnh Đồng Tháp</option>' in by_province


def test_lead_unit_reports_progress_from_the_page(
    client: Client, people: dict, tasks: dict
) -> None:
    c = login(client, people["dana"])
    mine = c.get("/nhiem-vu/don-vi/").content.decode()
    assert codes(mine)[:2] == ["LATE", "SOON"]
    detail = c.get("/nhiem-vu/SOON/").content.decode()
    assert "Báo cáo tiến độ" in detail and "Xác nhận hoàn thành" not in detail
    r = c.post(
        "/nhiem-vu/SOON/thao-tac/progress/",
        {"progress-text": "Đã xây dựng dự thảo", "progress-percent": "30"},
    )
    assert r.status_code == 302
    task = Task.objects.get(code="SOON")
    assert task.status == "in_progress" and task.reports.get().percent == 30
    # completion without evidence is refused with a Vietnamese message, nothing written
    r = c.post("/nhiem-vu/SOON/thao-tac/complete/", {"complete-text": "Xong"}, follow=True)
    assert "cần minh chứng" in r.content.decode()
    assert Task.objects.get(code="SOON").status == "in_progress"
    c.post(
        "/nhiem-vu/SOON/thao-tac/complete/",
        {"complete-text": "Xong", "complete-evidence": "Kế hoạch 5/KH-UBND"},
    )
    assert Task.objects.get(code="SOON").status == "reported_done"
    # the lead may not confirm its own report
    c.post("/nhiem-vu/SOON/thao-tac/confirm/", {})
    assert Task.objects.get(code="SOON").status == "reported_done"


def test_tracking_office_confirms_and_returns(client: Client, people: dict, tasks: dict) -> None:
    from motcua.assignments.services import report_completion

    report_completion(task=tasks["soon"], text="Xong", evidence="Kế hoạch 5/KH", actor=None)
    c = login(client, people["olga"])
    assert "Xác nhận hoàn thành" in c.get("/nhiem-vu/SOON/").content.decode()
    c.post("/nhiem-vu/SOON/thao-tac/return/", {"return-reason": "Thiếu số liệu"})
    assert Task.objects.get(code="SOON").status == "in_progress"
    assert TaskEvent.objects.filter(
        task__code="SOON", kind="task.report_returned", actor=people["olga"]
    ).exists()
    c.post("/nhiem-vu/LATE/thao-tac/cancel/", {"cancel-document": "Công văn 9/UBND"})
    assert Task.objects.get(code="LATE").status == "cancelled"
    alice = login(Client(), people["alice"])
    alice.post("/nhiem-vu/SOON/thao-tac/cancel/", {"cancel-document": "x"})
    assert Task.objects.get(code="SOON").status == "in_progress"


def test_board_counts_units_by_status(client: Client, people: dict, tasks: dict) -> None:
    html = login(client, people["olga"]).get("/nhiem-vu/bang-theo-doi/").content.decode()
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>(\d+)</td>', html)
    assert rows == [
        ("Ủy ban nhân dân huyện Tháp Mười", "2"),
        ("Ủy ban nhân dân huyện Lấp Vò", "1"),
        ("Cộng", "3"),
    ]
    assert 'badge-late">1<' in html


def test_nav_link(client: Client, people: dict) -> None:
    html = login(client, people["olga"]).get("/nhiem-vu/").content.decode()
    assert '<a href="/nhiem-vu/">Nhiệm vụ</a>' in html


def test_list_queries_do_not_grow_with_the_tasks(
    client: Client, people: dict, letter, province
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login(client, people["olga"])

    def queries() -> int:
        for path in ("/nhiem-vu/", "/nhiem-vu/bang-theo-doi/"):
            c.get(path)  # warm the session and the unit graph
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/nhiem-vu/").status_code == 200
            assert c.get("/nhiem-vu/bang-theo-doi/").status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        assign_task(
            document=letter, code=f"Q{i}", title="x", lead_unit=province.district, actor=None
        )
    few = queries()
    for i in range(3, 40):
        assign_task(
            document=letter,
            code=f"Q{i}",
            title="x",
            lead_unit=[province.district, province.other_district][i % 2],
            actor=None,
        )
    assert queries() == few
