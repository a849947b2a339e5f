"""The paste-a-letter page: drafts proposed from seed 003, corrected and confirmed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from motcua.assignments.models import SourceDocument, Task, TaskEvent
from motcua.conftest import make_unit, make_user
from motcua.people.choices import Role

LETTER = (Path(__file__).parent.parent / "data" / "letter_1449.txt").read_text(encoding="utf-8")


@pytest.fixture
def hau_giang(db: None) -> dict:
    hg = make_unit("HG", "Ủy ban nhân dân tỉnh Hậu Giang", "province")
    units: dict[str, Any] = {"HG": hg}
    for code, name in [
        ("SNV", "Sở Nội vụ"),
        ("SKHDT", "Sở Kế hoạch và Đầu tư"),
        ("STC", "Sở Tài chính"),
        ("STTTT", "Sở Thông tin và Truyền thông"),
        ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh"),
    ]:
        units[code] = make_unit(code, name, "department", hg)
    units["CT"] = make_unit("CT", "Ủy ban nhân dân huyện Châu Thành", "district", hg)
    units["office"] = make_user("van", (units["VPUB"], Role.PROVINCIAL_OFFICE))
    units["clerk"] = make_user("clerk", (units["SNV"], Role.SPECIALIST))
    return units


def post(client: Client, **extra: str) -> str:
    data = {
        "number": "1449/UBND-NC",
        "issued_on": "2024-10-14",
        "text": LETTER,
        "issuer": "HG",
        **extra,
    }
    return client.post("/nhiem-vu/de-xuat/", data).content.decode()


def test_propose_then_confirm(hau_giang: dict) -> None:
    client = Client()
    client.force_login(hau_giang["office"])
    html = post(client, buoc="de-xuat")
    assert "17 nhiệm vụ được đề xuất" in html
    assert "Hạn tính được: 09/12/2024" in html and "chưa nhận ra đơn vị chủ trì" not in html
    # the officer keeps drafts 2 and 10 only, and corrects the second one's deadline wording
    data = {
        "buoc": "tao",
        "chon-2": "1",
        "chu-tri-2": "SNV",
        "phoi-hop-2": "SKHDT",
        "thoi-han-2": "hoàn thành trong tháng 12/2024",
        "ten-2": "Tổ chức đối thoại",
        "chon-15": "1",
        "chu-tri-15": ["SNV", "STC", "CT"],
        "thoi-han-15": "trong tháng 12/2024",
    }
    response = client.post(
        "/nhiem-vu/de-xuat/",
        {
            "number": "1449/UBND-NC",
            "issued_on": "2024-10-14",
            "text": LETTER,
            "issuer": "HG",
            **data,
        },
    )
    assert response.status_code == 302
    doc = SourceDocument.objects.get(number="1449/UBND-NC")
    assert doc.issuer_code == "HG"
    tasks = {t.code: t for t in Task.objects.filter(document=doc)}
    assert sorted(tasks) == [
        "1449-UBND-NC-15-CT",
        "1449-UBND-NC-15-SNV",
        "1449-UBND-NC-15-STC",
        "1449-UBND-NC-2",
    ]
    two = tasks["1449-UBND-NC-2"]
    assert (two.title, two.lead_unit.code, str(two.due_on)) == (
        "Tổ chức đối thoại",
        "SNV",
        "2024-12-31",
    )
    assert [u.code for u in two.coordinating_units.all()] == ["SKHDT"]
    assert two.position == "mục 2, gạch đầu dòng 1"
    assert {t.group_code for c, t in tasks.items() if "-15-" in c} == {"1449-UBND-NC-15"}
    assert TaskEvent.objects.filter(task__document=doc, kind="task.assigned").count() == 4


def test_only_the_tracking_office_may_create(hau_giang: dict) -> None:
    client = Client()
    client.force_login(hau_giang["clerk"])
    response = client.get("/nhiem-vu/de-xuat/")
    assert response.status_code == 302
    assert Task.objects.count() == 0
