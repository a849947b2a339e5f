"""The task statistics page and its click-through lists: a list's length is its figure."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

from django.core.management import call_command
from django.test import Client

from motcua.assignments.tests.support import row, write_csv


def load(tmp_path: Path) -> None:
    rows = [
        row(
            f"A{i}",
            due_on="2023-08-01",
            reported_done_on="2023-07-20",
            confirmed_on="2023-07-30",
            lead_unit_code="D1",
        )
        for i in range(4)
    ]
    rows += [row(f"B{i}", due_on="2023-09-01", reported_done_on="2023-08-25") for i in range(27)]
    rows += [row(f"C{i}", due_on="2023-12-31", lead_unit_code="C1") for i in range(16)]
    call_command("import", "tasks", str(write_csv(tmp_path / "t.csv", rows)))


def test_page_figures_link_to_lists_of_that_length(people: dict, tmp_path: Path) -> None:
    load(tmp_path)
    client = Client()
    client.force_login(people["olga"])
    page = client.get("/thong-ke/nhiem-vu/", {"unit": "DT", "period": "2023-Q3"})
    assert page.status_code == 200
    html = page.content.decode()
    links = {
        htmllib.unescape(href): int(n)
        for href, n in re.findall(
            r'<a href="(/thong-ke/nhiem-vu/danh-sach/\?[^"]+)">(\d+)</a>', html
        )
    }
    assert sorted(links.values()) == [0, 0, 0, 0, 4, 16, 27, 47]
    assert "12,90%" in html and "100,00%" in html
    for href, n in links.items():
        listed = client.get(href)
        assert listed.status_code == 200
        text = listed.content.decode()
        assert len(re.findall(r'href="/nhiem-vu/[A-Z0-9]+/"', text)) == min(n, 50)
        assert f"— {n} nhiệm vụ." in text
    gov = client.get(
        "/thong-ke/nhiem-vu/", {"unit": "DT", "period": "2023-Q3", "co_quan_giao": "CP,TTg"}
    ).content.decode()
    assert ">47</a>" in gov and "co_quan_giao=CP%2CTTg" in gov
    cp_only = client.get(
        "/thong-ke/nhiem-vu/danh-sach/",
        {"unit": "DT", "period": "2023-Q3", "co_quan_giao": "CP", "figure": "in_scope"},
    ).content.decode()
    assert "— 0 nhiệm vụ." in cp_only
    assigned = client.get(
        "/thong-ke/nhiem-vu/", {"unit": "DT", "period": "2023-Q3", "pham_vi": "assigned"}
    )
    assert "Chỉ nhiệm vụ được giao trong kỳ" in assigned.content.decode()


def test_outside_the_scope_is_like_unknown(people: dict, tmp_path: Path) -> None:
    load(tmp_path)
    client = Client()
    client.force_login(people["alice"])
    denied = client.get("/thong-ke/nhiem-vu/", {"unit": "DT", "period": "2023-Q3"})
    unknown = client.get("/thong-ke/nhiem-vu/", {"unit": "ZZ", "period": "2023-Q3"})
    assert denied.status_code == 404 and unknown.status_code in (400, 404)
    assert "danh-sach" not in denied.content.decode()
    mine = client.get(
        "/thong-ke/nhiem-vu/danh-sach/",
        {"unit": "C1", "period": "2023-Q3", "figure": "in_progress_not_due"},
    )
    text = mine.content.decode()
    assert mine.status_code == 200 and "16 nhiệm vụ" in text
    bad = client.get(
        "/thong-ke/nhiem-vu/danh-sach/", {"unit": "C1", "period": "2023-Q3", "figure": "x"}
    )
    assert bad.status_code == 400
