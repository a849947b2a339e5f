"""The unit page /chi-so-cchc/<set>/<unit>/: lost points, efforts, the what-if, the scope."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.test import Client

from motcua.conftest import make_user
from motcua.par.models import LeafEffort, LeafScore
from motcua.par.services import NodeSpec, replace_unit_scores, save_criteria_set, set_survey_points
from motcua.people.models import Role

URL = "/chi-so-cchc/DT-SO-2024/VP/"


@pytest.fixture
def scored(province: object) -> None:
    nodes = [
        NodeSpec("1", "", "Công tác chỉ đạo, điều hành cải cách hành chính", D("3")),
        NodeSpec("1.1", "1", "Ban hành kế hoạch cải cách hành chính", D("1")),
        NodeSpec("1.2", "1", "Báo cáo về kiểm soát thủ tục hành chính", D("2")),
        NodeSpec("2", "", "Hiện đại hóa hành chính", D("4")),
        NodeSpec("2.1", "2", "Số thủ tục trực tuyến có phát sinh hồ sơ", D("2")),
        NodeSpec("2.2", "2", "Tỷ lệ hồ sơ giải quyết trực tuyến", D("2")),
    ]
    criteria_set, _ = save_criteria_set(
        code="DT-SO-2024",
        year=2024,
        unit_type="department",
        survey_max=D(3),
        nodes=nodes,
        actor=None,
    )
    replace_unit_scores(
        criteria_set=criteria_set,
        scores={
            # VP: 1 + 1 + 0 + 2 = 4 of 7, + survey 2 = 6 of 10 → 60%.
            "VP": {
                "1.1": (D(1), False),
                "1.2": (D(1), False),
                "2.1": (D(0), False),
                "2.2": (D(2), False),
            },
            # X: 7 of 7 + 0 = 70%; Y: 6.5 + 0 = 65%.
            "X": {
                "1.1": (D(1), False),
                "1.2": (D(2), False),
                "2.1": (D(2), False),
                "2.2": (D(2), False),
            },
            "Y": {
                "1.1": (D(1), False),
                "1.2": (D("1.5"), False),
                "2.1": (D(2), False),
                "2.2": (D(2), False),
            },
        },
        actor=None,
    )
    set_survey_points(criteria_set=criteria_set, points={"VP": D(2)}, actor=None)


def login(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_staff_see_the_lost_leaves_cheapest_first_with_checkboxes(
    scored: None, people: dict
) -> None:
    response = login(people["olga"]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Văn phòng Ủy ban nhân dân tỉnh" in html
    assert re.search(
        r"Chỉ số <strong data-index>60</strong>%.*hạng <strong data-rank>3</strong>/3", html
    )
    leaves = re.findall(r'<li data-leaf="([^"]+)">', html)
    assert leaves == ["2.1", "1.2"]  # 2 points lost before 1
    assert '<input type="checkbox" name="ma" value="2.1" form="par-whatif">' in html
    assert "Mất <strong data-lost>2</strong> điểm (đạt 0 trên 2)" in html
    assert "Nếu đạt tối đa" in html
    assert ">medium" not in html and "department" not in html  # labels, not keys


def test_the_what_if_button_shows_the_new_total_index_and_rank_without_writing(
    scored: None, people: dict
) -> None:
    before = list(LeafScore.objects.order_by("pk").values_list("points", flat=True))
    response = login(people["olga"]).get(URL, {"ma": ["2.1", "1.2"]})
    html = response.content.decode()
    box = html[html.index("data-whatif") :]
    # 6 + 2 + 1 = 9 of 10 → 90%, ahead of X (70%).
    assert "Nếu tiêu chí 1.2, 2.1 đạt tối đa: thêm 3 điểm" in box
    assert "tổng điểm <strong data-total>9</strong>" in box
    assert "chỉ số <strong data-index>90</strong>%" in box
    assert "hạng <strong data-rank>1</strong>/3 (hiện hạng 3)" in box
    assert "Nhóm A." in box
    assert 'value="2.1" form="par-whatif" checked' in html
    assert list(LeafScore.objects.order_by("pk").values_list("points", flat=True)) == before


def test_an_officer_of_the_unit_sets_an_effort_and_the_order_follows(
    scored: None, province: object, people: dict
) -> None:
    own = make_user("vinh", (province.office, Role.SPECIALIST))  # type: ignore[attr-defined]
    client = login(own)
    assert client.get(URL).status_code == 200
    response = client.post(URL + "cong-suc/", {"ma": "2.1", "cong_suc": "high"})
    assert response.status_code == 302
    assert LeafEffort.objects.get(unit_code="VP", criterion__code="2.1").effort == "high"
    html = client.get(URL).content.decode()
    assert re.findall(r'<li data-leaf="([^"]+)">', html) == ["1.2", "2.1"]
    assert "<span data-effort>Cao</span>" in html
    bad = client.post(URL + "cong-suc/", {"ma": "2.1", "cong_suc": "huge"})
    assert bad.status_code == 400
    assert "Mức công sức phải là thấp, trung bình hoặc cao." in bad.content.decode()


def test_other_units_and_people_without_figures_get_404(scored: None, people: dict) -> None:
    assert Client().get(URL).status_code == 302  # to the login page
    assert login(people["nina"]).get(URL).status_code == 404  # a commune's specialist
    assert login(people["nora"]).get(URL).status_code == 404
    assert (
        login(people["nina"]).post(URL + "cong-suc/", {"ma": "2.1", "cong_suc": "low"}).status_code
        == 404
    )
    assert not LeafEffort.objects.exists()
    assert login(people["olga"]).get("/chi-so-cchc/NOPE/VP/").status_code == 404
    assert login(people["olga"]).get("/chi-so-cchc/DT-SO-2024/C1/").status_code == 404


def test_the_ranking_links_to_the_unit_pages_the_viewer_may_open(
    scored: None, province: object, people: dict
) -> None:
    html = login(people["olga"]).get("/chi-so-cchc/").content.decode()
    assert '<a href="/chi-so-cchc/DT-SO-2024/VP/">Văn phòng Ủy ban nhân dân tỉnh</a>' in html
    assert '<a href="/chi-so-cchc/DT-SO-2024/X/">X</a>' in html
    own = make_user("vinh", (province.office, Role.SPECIALIST))  # type: ignore[attr-defined]
    html = login(own).get("/chi-so-cchc/").content.decode()
    assert 'href="/chi-so-cchc/DT-SO-2024/VP/"' in html
    assert 'href="/chi-so-cchc/DT-SO-2024/X/"' not in html
