"""Demo PAR Index: last year's department set, a result for every department, the ranking page."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client

from motcua.demo.builder import (
    ACCOUNTS,
    DEMO_PASSWORD,
    _ensure_membership,
    _ensure_user,
    demo_people,
)
from motcua.demo.par import build_par, department_codes
from motcua.demo.tree import unit_rows
from motcua.par.choices import SetStatus
from motcua.par.models import CriteriaSet, LeafScore, OtherIndexValue, SurveyScore
from motcua.par.selectors import set_results
from motcua.units.importers import import_units
from motcua.units.models import Unit

TODAY = dt.date(2026, 3, 16)


@pytest.fixture
def demo_par(db: None) -> dict[str, int]:
    import_units(unit_rows(), source="test")
    return build_par(seed=1, today=TODAY)


def test_last_years_set_has_the_seven_fields(demo_par: dict[str, int]) -> None:
    criteria_set = CriteriaSet.objects.get(code="DT-SO-2025")
    assert (criteria_set.year, criteria_set.unit_type) == (2025, "department")
    assert criteria_set.status == SetStatus.PUBLISHED
    fields = list(criteria_set.criteria.filter(parent__isnull=True).order_by("order"))
    assert [(f.code, f.max_points) for f in fields] == [
        (str(i), Decimal(m))
        for i, m in enumerate(["10.5", "6.5", "12.5", "8", "10", "8", "11"], start=1)
    ]
    assert sum(f.max_points for f in fields) == Decimal("66.5")
    assert criteria_set.survey_max == Decimal("33.5")
    for f in fields:
        assert f.children.count() >= 3
    leaf = criteria_set.criteria.get(code="7.2.1")
    assert leaf.name == "Số TTHC cung cấp trực tuyến mức độ 3, 4 có phát sinh hồ sơ"


def test_every_department_has_a_result(demo_par: dict[str, int]) -> None:
    departments = department_codes(2025)
    assert len(departments) >= 10
    assert demo_par["units"] == len(departments)
    results = set_results(CriteriaSet.objects.get(code="DT-SO-2025"))
    assert sorted(r.unit for r in results) == departments
    assert all(r.index is not None for r in results)
    indices = [r.index or Decimal(0) for r in results]
    assert all(72 <= index <= 93 for index in indices)
    assert max(indices) - min(indices) >= 8  # a realistic spread
    assert [r.applicable_max for r in results] == [Decimal(100)] * len(results)
    ranks = Counter(r.rank or 0 for r in results)
    shared = [rank for rank, n in ranks.items() if n > 1]
    assert len(shared) in {1, 2}
    tied = shared[0]
    assert tied + ranks[tied] in ranks  # the next rank skips: 1, 1, 3
    assert tied + 1 not in ranks
    assert SurveyScore.objects.filter(criteria_set__code="DT-SO-2025").count() == len(departments)


def test_other_indices_of_the_province(demo_par: dict[str, int]) -> None:
    par = OtherIndexValue.objects.filter(unit_code="DT", index="PAR").order_by("year")
    assert [(r.year, r.rank, r.out_of) for r in par][:4] == [
        (2020, 28, 63),
        (2021, 27, 63),
        (2022, 20, 63),
        (2023, 19, 63),
    ]
    kinds = set(OtherIndexValue.objects.filter(unit_code="DT").values_list("index", flat=True))
    assert {"PAR", "SIPAS", "PAPI", "PCI"} <= kinds


def _counts() -> tuple[int, int, int, int]:
    return (
        CriteriaSet.objects.count(),
        LeafScore.objects.count(),
        SurveyScore.objects.count(),
        OtherIndexValue.objects.count(),
    )


def test_running_again_adds_nothing(demo_par: dict[str, int]) -> None:
    counts = _counts()
    first = {
        r.unit: (r.total, r.rank) for r in set_results(CriteriaSet.objects.get(code="DT-SO-2025"))
    }
    assert build_par(seed=1, today=TODAY) == {}
    assert build_par(seed=2, today=TODAY) == {}
    assert _counts() == counts
    assert {
        r.unit: (r.total, r.rank) for r in set_results(CriteriaSet.objects.get(code="DT-SO-2025"))
    } == first


def test_provincial_office_sees_the_ranking(demo_par: dict[str, int]) -> None:
    account = next(a for a in ACCOUNTS if a.username == "vanphong")
    user, _ = _ensure_user(account, demo_people(1)["vanphong"], "")
    user.set_password(DEMO_PASSWORD)
    user.save()
    for post in account.posts:
        _ensure_membership(user, post)
    client = Client()
    assert client.login(username="vanphong", password=DEMO_PASSWORD)
    response = client.get("/chi-so-cchc/?bo=DT-SO-2025")
    assert response.status_code == 200
    html = response.content.decode()
    names = {
        u.code: u.name
        for u in Unit.objects.valid_on(dt.date(2025, 12, 31)).filter(
            code__in=department_codes(2025)
        )
    }
    for code, name in names.items():
        assert name in html, code
    assert "Cải cách thủ tục hành chính" in html
    best = names[set_results(CriteriaSet.objects.get(code="DT-SO-2025"))[0].unit]
    assert html.index(best) < min(html.index(n) for n in names.values() if n != best)
    # Below the ranking, the province's own history beside the other indices (seed 003's ranks).
    history = html[html.index('data-history-of="DT"') :]
    assert "Chỉ số CCHC và các chỉ số khác qua các năm" in history
    ranks = re.findall(r'data-index-key="PAR".*?</tr>', history, re.S)[0]
    assert "hạng 28/63" in ranks and "hạng 19/63" in ranks


def test_this_years_set_is_open_for_self_assessment(demo_par: dict[str, int]) -> None:
    from motcua.par.choices import RoundKind
    from motcua.par.models import Round

    current = CriteriaSet.objects.get(code="DT-SO-2026")
    assert current.status == SetStatus.SELF_ASSESSMENT
    assert current.criteria.count() == CriteriaSet.objects.get(code="DT-SO-2025").criteria.count()
    (round_,) = Round.objects.filter(criteria_set=current)
    assert round_.kind == RoundKind.SELF_ASSESSMENT
    assert round_.opens_on < TODAY < round_.deadline
