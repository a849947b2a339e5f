"""The read-only results page /chi-so-cchc/: ranking, field indices, scope, Vietnamese."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.test import Client

from motcua.par.services import NodeSpec, replace_unit_scores, save_criteria_set, set_survey_points

URL = "/chi-so-cchc/"


@pytest.fixture
def scored(province: object) -> None:
    nodes = [
        NodeSpec("1", "", "Công tác chỉ đạo, điều hành cải cách hành chính", D("10.5")),
        NodeSpec("1.1", "1", "Kế hoạch", D("10.5")),
        NodeSpec("2", "", "Cải cách thủ tục hành chính", D("12.5")),
        NodeSpec("2.1", "2", "Công khai thủ tục", D("12.5")),
    ]
    criteria_set, _ = save_criteria_set(
        code="DT-SO-2024",
        year=2024,
        unit_type="department",
        survey_max=D(77),
        nodes=nodes,
        actor=None,
        decision_number="733/QĐ-UBND",
    )
    replace_unit_scores(
        criteria_set=criteria_set,
        scores={
            "VP": {"1.1": (D("9.5"), False), "2.1": (D("11.5"), False)},
            "QNG.X": {"1.1": (D("10.5"), False), "2.1": (D(12), False)},
        },
        actor=None,
    )
    set_survey_points(
        criteria_set=criteria_set, points={"VP": D("61.91"), "QNG.X": D(70)}, actor=None
    )


def login(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_staff_see_the_ranking_with_field_indices(scored: None, people: dict) -> None:
    response = login(Client(), people["olga"]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Năm 2024 — Sở, ban, ngành (Quyết định 733/QĐ-UBND)" in html
    rows = re.findall(r'<tr data-unit="([^"]+)" data-rank="(\d+)">', html)
    assert rows == [("QNG.X", "1"), ("VP", "2")]
    vp = html[html.index('data-unit="VP"') :]
    vp = vp[: vp.index("</tr>")]
    # The unit's name from the unit tree; Vietnamese decimal commas; 21 + 61.91 = 82.91 of 100.
    assert "Văn phòng Ủy ban nhân dân tỉnh" in vp
    assert '<td class="num" data-total>82,91</td>' in vp
    assert '<td class="num" data-index><strong>82,91</strong></td>' in vp
    assert "<td>B</td>" in vp
    assert '<td class="num" data-field="1">90,48<span class="par-rank">hạng 2</span></td>' in vp
    assert "Lĩnh vực 1: Công tác chỉ đạo, điều hành cải cách hành chính (tối đa 10,5 điểm)" in html
    assert "draft" not in html and "department" not in html


def test_the_page_refuses_who_may_not_see_figures(scored: None, people: dict) -> None:
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")
    response = login(Client(), people["nora"]).get(URL)
    assert response.status_code == 403
    assert "82,91" not in response.content.decode()


def test_an_unknown_set_is_404_and_no_set_says_so(people: dict, db: None) -> None:
    client = login(Client(), people["olga"])
    assert client.get(URL, {"bo": "NOPE"}).status_code == 404
    assert "Chưa có bộ tiêu chí nào." in client.get(URL).content.decode()


def test_the_menu_leads_there_for_who_may_see_it(people: dict, db: None) -> None:
    home = login(Client(), people["olga"]).get("/").content.decode()
    assert f'href="{URL}"' in home and "Chỉ số CCHC" in home
    assert f'href="{URL}"' not in login(Client(), people["nora"]).get("/").content.decode()
