"""The /chi-so/ pages: scope, figures with their lists, no-data indicators, the trend, the
league table (ties, minimum), the published figures beside motcua's, the nav link."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.index766.choices import MappingMethod, PortalLevel
from motcua.index766.models import PortalUnitMapping, PublishedFigure
from motcua.index766.views import LeagueRow, rank_rows
from motcua.people.choices import Role

MARCH = "2025-M03"


@pytest.fixture
def staff(province: Province) -> dict[str, Any]:
    p = province
    return {
        "desk": make_user("desk", (p.commune_a, Role.ONE_STOP_OFFICER)),
        "desk2": make_user("desk2", (p.commune_b, Role.ONE_STOP_OFFICER)),
        "lead": make_user("lead", (p.district, Role.LEADER)),
        "nobody": make_user("nobody"),
    }


def receive(province: Province, staff: dict, procedure: Any, unit: Any, at: dt.datetime) -> Any:
    desk = staff["desk"] if unit == province.commune_a else staff["desk2"]
    return services.receive_dossier(
        actor=desk, procedure=procedure, receiving_unit=unit, applicant=APPLICANT, at=at
    )


@pytest.fixture
def dossiers(province: Province, staff: dict) -> dict[str, list[Any]]:
    """March 2025 at C1, and the same at C2: one dossier resolved late, one resolved on time,
    one still open within its deadline at the end of the month."""
    p = province
    quick = make_procedure(units=[p.commune_a, p.commune_b], amount=3)
    slow = make_procedure("1.000002", units=[p.commune_a, p.commune_b], amount=30)
    made: dict[str, list[Any]] = {}
    for unit in (p.commune_a, p.commune_b):
        rows = [
            receive(p, staff, quick, unit, local(2025, 3, 3, 9)),  # due Thu 06/03 09:00
            receive(p, staff, quick, unit, local(2025, 3, 4, 9)),  # due Fri 07/03 09:00
            receive(p, staff, slow, unit, local(2025, 3, 5, 9)),  # due in April
        ]
        for dossier, resolved in ((rows[0], local(2025, 3, 13, 9)), (rows[1], local(2025, 3, 6))):
            moved = services.transfer_dossier(
                dossier=dossier, actor=staff["lead"], to_unit=unit, at=dossier.received_at
            )
            services.resolve_dossier(dossier=moved, actor=staff["lead"], at=resolved)
        made[unit.code] = rows
    return made


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:2000]
    return response.content.decode()


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_unit_outside_the_scope_is_a_404_like_an_unknown_one(staff, dossiers) -> None:
    desk2 = login(staff["desk2"])
    page(desk2, f"/chi-so/?unit=C1&period={MARCH}", 404)
    page(desk2, f"/chi-so/?unit=NOPE&period={MARCH}", 404)
    page(
        desk2,
        f"/chi-so/danh-sach/?unit=C1&period={MARCH}&indicator=progress.on_time&part=numerator",
        404,
    )
    page(desk2, f"/chi-so/xep-hang/?unit=D1&period={MARCH}", 404)
    page(desk2, f"/chi-so/?unit=C2&period={MARCH}")
    page(login(staff["nobody"]), "/chi-so/", 403)


def test_every_figure_links_to_a_list_of_its_length(staff, dossiers) -> None:
    client = login(staff["lead"])
    html = page(client, f"/chi-so/?unit=C1&period={MARCH}")
    links = re.findall(r'<a href="(/chi-so/danh-sach/\?[^"]+)" data-part="(\w+)">(\d+)</a>', html)
    assert len(links) >= 6
    codes = set()
    for href, _part, figure in links:
        listed = page(client, href.replace("&amp;", "&"))
        count = re.search(r'data-count="(\d+)"', listed)
        assert count is not None, href
        assert count.group(1) == figure, (href, figure)
        found = re.search(r"indicator=([\w.]+)", href)
        assert found is not None
        codes.add(found.group(1))
    assert "progress.on_time" in codes
    block = re.search(r'data-indicator="progress.on_time".*?</article>', html, re.S)
    assert block is not None
    on_time = block.group(0)
    assert 'data-part="numerator">2</a>' in on_time  # 2 of 3: the late one is out
    assert 'data-part="denominator">3</a>' in on_time
    assert "66,67%" in on_time and "13,33 / 20" in on_time


def test_indicators_without_data_say_so(staff, dossiers) -> None:
    html = page(login(staff["lead"]), f"/chi-so/?unit=C1&period={MARCH}")
    assert "data-nodata" in html
    nodata = re.findall(r'<p class="ix-nodata" data-nodata>([^<]+)</p>', html)
    assert nodata and all(text.strip() for text in nodata)


def test_the_trend_shows_twelve_months(staff, dossiers) -> None:
    html = page(login(staff["lead"]), f"/chi-so/?unit=C1&period={MARCH}")
    months = re.findall(r'<tr data-month="([\d/]+)">', html)
    assert months[0] == "04/2024" and months[-1] == "03/2025" and len(months) == 12


def test_the_page_takes_a_month_from_the_form(staff, dossiers) -> None:
    for typed in ("03/2025", "3/2025", "2025-03"):
        html = page(login(staff["lead"]), f"/chi-so/?unit=C1&thang={typed}")
        assert "Tháng 03/2025 (01/03/2025–31/03/2025)" in html
        assert 'value="03/2025"' in html
    page(login(staff["lead"]), "/chi-so/?unit=C1&thang=13/2025", 400)


def league_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-unit="([^"]+)" data-rank="(\d*)">', html)


def test_the_league_ranks_ties_equal_above_the_minimum(staff, dossiers, settings) -> None:
    settings.MOTCUA_INDEX_LEAGUE_MIN = 3
    client = login(staff["lead"])
    html = page(client, f"/chi-so/xep-hang/?unit=D1&period={MARCH}&cap=commune")
    assert league_rows(html) == [("C1", "1"), ("C2", "1")]  # the same figures: the same rank
    assert "ít nhất 3 hồ sơ" in html
    assert "Tháng 03/2025 (01/03/2025–31/03/2025)" in html  # the window under the table
    assert "Cách tính" in html
    settings.MOTCUA_INDEX_LEAGUE_MIN = 4
    html = page(client, f"/chi-so/xep-hang/?unit=D1&period={MARCH}&cap=commune")
    assert league_rows(html) == [("C1", ""), ("C2", "")]  # 3 dossiers each: not ranked


def row(code: str, points: float, dossiers: int) -> LeagueRow:
    return LeagueRow(code, f"Xã {code}", "commune", points, None, dossiers)  # type: ignore[arg-type]


def test_rank_rows_gives_1_2_2_4_and_leaves_small_units_unranked() -> None:
    rows = rank_rows(
        [
            row("A", 70.0, 50),
            row("B", 80.5, 50),
            row("C", 70.0, 40),
            row("D", 60.0, 31),
            row("E", 99.0, 29),
        ],
        30,
    )
    assert [(r.code, r.rank) for r in rows] == [("B", 1), ("A", 2), ("C", 2), ("D", 4), ("E", None)]


def test_the_published_score_is_shown_beside_ours_with_the_explaining_dossiers(
    province: Province, staff, dossiers
) -> None:
    PortalUnitMapping.objects.create(
        portal_unit_id="uuid-c1",
        portal_unit_code="H99.100",
        portal_unit_name="UBND xã Mỹ An",
        portal_level=PortalLevel.COMMUNE,
        unit=province.commune_a,
        method=MappingMethod.MANUAL,
    )
    PublishedFigure.objects.create(
        period_code=MARCH,
        first_day=dt.date(2025, 3, 1),
        last_day=dt.date(2025, 3, 31),
        portal_unit_id="uuid-c1",
        portal_unit_code="H99.100",
        portal_unit_name="UBND xã Mỹ An",
        portal_level=PortalLevel.COMMUNE,
        received=4,
        on_time=3,
        overdue=1,
        avg_processing_days=Decimal("2.5"),
        ratio=Decimal("75"),
        score=Decimal("15"),
        max_score=Decimal("20"),
        imported_at=dt.datetime(2025, 4, 2, tzinfo=dt.UTC),
    )
    client = login(staff["lead"])
    html = page(client, f"/chi-so/?unit=C1&period={MARCH}")
    assert "Số liệu Cổng Dịch vụ công quốc gia công bố" in html
    assert 'data-diff="received">−1<' in html  # 3 here, 4 published
    assert 'data-diff="on_time">−1<' in html
    assert 'data-diff="late">0<' in html
    assert 'data-diff="score">−1,67<' in html  # 13.33 − 15
    late = re.search(r'<a href="([^"]+)" data-explain="late">', html)[1]  # type: ignore[index]
    listed = page(client, late.replace("&amp;", "&"))
    assert 'data-count="1"' in listed and dossiers["C1"][0].code in listed
    unsynced = re.search(r'<a href="([^"]+)" data-explain="unsynced">', html)[1]  # type: ignore[index]
    page(client, unsynced.replace("&amp;", "&"))
    # Another commune has nothing published: no comparison.
    assert "Số liệu Cổng Dịch vụ công quốc gia công bố" not in page(
        client, f"/chi-so/?unit=C2&period={MARCH}"
    )


def test_the_nav_link_is_for_those_who_see_figures(staff, dossiers) -> None:
    assert 'href="/chi-so/"' in page(login(staff["desk"]), "/")
    assert 'href="/chi-so/"' not in page(login(staff["nobody"]), "/")
