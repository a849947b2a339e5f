"""The statistics page, its click-through lists and the trend, on statistics.md's worked example."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.conftest import Province, make_user
from motcua.dossiers.tests.factories import APPLICANT
from motcua.lib.periods import parse_period
from motcua.stats.classification import FIGURES
from motcua.stats.selectors import dossier_statistics, dossiers_for_figure
from motcua.stats.tests.test_worked_example import march  # noqa: F401
from motcua.stats.views import COLUMNS

MARCH = "2025-M03"
LINK = re.compile(r'<a href="([^"]+)" data-row="([^"]*)" data-figure="([^"]+)"[^>]*>(\d+)</a>')
RATE = re.compile(r'data-row="([^"]*)" data-rate="([^"]+)" data-value="([^"]*)">([^<]*)</td>')
COUNT = re.compile(r'data-count="(\d+)"')
ISLAND = re.compile(r'<script id="trend-data" type="application/json">(.*?)</script>', re.S)
# Where each column of the page sits in the JSON contract.
JSON_PATH = {
    "received": ("received", "total"),
    "carried_over": ("received", "carried_over"),
    "new": ("received", "new"),
    "new_online": ("received", "new_online"),
    "new_direct": ("received", "new_direct"),
    "new_postal": ("received", "new_postal"),
    "resolved": ("resolved", "total"),
    "early": ("resolved", "early"),
    "on_time": ("resolved", "on_time"),
    "late": ("resolved", "late"),
    "refused": ("closed_other", "refused"),
    "withdrawn": ("closed_other", "withdrawn"),
    "pending": ("pending", "total"),
    "within_deadline": ("pending", "within_deadline"),
    "overdue": ("pending", "overdue"),
}
CASES = [
    ("C1", None, False),
    ("DT", "unit", False),
    ("D1", "unit", False),
    ("DT", "unit", True),  # today's Đồng Tháp: C1's dossiers fold into its successor N1
    ("C1", "level", False),
    ("C1", "field", False),
    ("C1", "procedure", False),
]


def query(unit: str, by: str | None, as_current: bool) -> dict[str, str]:
    return {
        "unit": unit,
        "period": MARCH,
        **({"by": by} if by else {}),
        **({"as_current": "1"} if as_current else {}),
    }


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, **params: str) -> tuple[int, str]:
    response = client.get("/thong-ke/", params)
    return response.status_code, response.content.decode()


def first(pattern: re.Pattern[str] | str, text: str) -> str:
    """Group 1 of the first match (the test fails if there is none)."""
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match[1]


def figure_links(text: str) -> dict[tuple[str, str], tuple[int, str]]:
    """(row key, figure) → (value, href) for every figure link of the page."""
    return {
        (row, figure): (int(value), html.unescape(href))
        for href, row, figure, value in LINK.findall(text)
    }


def page_blocks(text: str, row: str = "") -> dict[str, Any]:
    """The JSON blocks of one page row, rebuilt from its cells."""
    blocks: dict[str, Any] = {}
    for (key, figure), (value, _href) in figure_links(text).items():
        if key == row:
            block, name = JSON_PATH[figure]
            blocks.setdefault(block, {})[name] = value
    for key, rate_name, value, shown in RATE.findall(text):
        if key == row:
            blocks.setdefault("rates", {})[rate_name] = float(value) if value else shown
    return blocks


def json_blocks(data: dict[str, Any], *, zero_rates: dict[str, bool]) -> dict[str, Any]:
    """The figure blocks of the JSON, with "—" where the page must print a dash."""
    blocks = {k: data[k] for k in ("received", "resolved", "closed_other", "pending")}
    blocks["rates"] = {k: "—" if zero_rates[k] else v for k, v in data["rates"].items()}
    return blocks


def dash_rates(data: dict[str, Any]) -> dict[str, bool]:
    return {
        "online_share": data["received"]["new"] == 0,
        "resolved_on_time_or_early": data["resolved"]["total"] == 0,
    }


@pytest.fixture
def root(march: dict[str, Any]) -> Any:  # noqa: F811
    from motcua.people.models import User

    return User.objects.get(username="root")


def test_pages_need_sign_in(db: None) -> None:
    for url in ["/thong-ke/", "/thong-ke/ho-so/?figure=late"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize(("unit", "by", "as_current"), CASES)
def test_page_shows_the_numbers_of_the_json(
    root: Any, unit: str, by: str | None, as_current: bool
) -> None:
    status, text = page(signed_in(root), **query(unit, by, as_current))
    assert status == 200
    assert "Tháng 03/2025 (15/02/2025–14/03/2025)" in text
    period = parse_period(MARCH)
    data = dossier_statistics(code=unit, period=period, by=by, as_current=as_current).as_json()
    if as_current:
        assert [row["key"] for row in data["rows"]] == ["N1"]
    assert page_blocks(text) == json_blocks(data, zero_rates=dash_rates(data))
    assert page_blocks(text)["received"]["total"] == 10  # the worked example, whatever the unit
    for row in data.get("rows", []):
        assert page_blocks(text, row["key"]) == json_blocks(row, zero_rates=dash_rates(row))
    # The page links to the API with the same query; the API answers the same object.
    json_href = html.unescape(first(r'href="(/api/v1/stats/dossiers/\?[^"]+)"', text))
    assert signed_in(root).get(json_href).json() == data


def test_rates_follow_the_one_rounding_rule(root: Any) -> None:
    _, text = page(signed_in(root), unit="C1", period=MARCH)
    rates = {(row, name): (value, shown) for row, name, value, shown in RATE.findall(text)}
    assert rates[("", "online_share")] == ("42.86", "42,86%")  # 3 / 7, half-up
    assert rates[("", "resolved_on_time_or_early")] == ("50.00", "50,00%")
    _, text = page(signed_in(root), unit="C1", period="2025-M05")  # nothing new, nothing resolved
    assert {(name, shown) for _row, name, _value, shown in RATE.findall(text)} == {
        ("online_share", "—"),
        ("resolved_on_time_or_early", "—"),
    }


@pytest.mark.parametrize(("unit", "by", "as_current"), CASES)
def test_every_figure_links_to_as_many_dossiers_as_it_counts(
    root: Any, unit: str, by: str | None, as_current: bool
) -> None:
    client = signed_in(root)
    _, text = page(client, **query(unit, by, as_current))
    links = figure_links(text)
    rows = {row for row, _figure in links}
    assert {figure for row, figure in links if row == ""} == set(COLUMNS)
    assert len(links) == len(rows) * len(COLUMNS)
    stats = dossier_statistics(code=unit, period=parse_period(MARCH), as_current=as_current)
    for (row, figure), (value, href) in links.items():
        response = client.get(href)
        assert response.status_code == 200, href
        listed = response.content.decode()
        assert int(first(COUNT, listed)) == value, href
        assert f"{value} hồ sơ" in listed
        if row == "":  # the total's list is exactly `dossiers_for_figure`
            codes = set(dossiers_for_figure(stats, figure).values_list("code", flat=True))
            assert set(re.findall(r'href="/ho-so/([^/"]+)/"', listed)) == codes


def test_every_clickable_figure_has_a_list(root: Any) -> None:
    """`finished` is not a column but is clickable too: every FIGURES name answers."""
    client = signed_in(root)
    stats = dossier_statistics(code="C1", period=parse_period(MARCH))
    for figure in FIGURES:
        response = client.get("/thong-ke/ho-so/", {"unit": "C1", "period": MARCH, "figure": figure})
        assert int(first(COUNT, response.content.decode())) == getattr(stats.total, figure)


def test_list_is_paginated_and_counts_every_page(
    root: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("motcua.stats.views.PAGE_SIZE", 3)
    client = signed_in(root)
    seen: list[str] = []
    for number in range(1, 5):
        response = client.get(
            "/thong-ke/ho-so/",
            {"unit": "C1", "period": MARCH, "figure": "received", "trang": str(number)},
        )
        text = response.content.decode()
        assert "10 hồ sơ" in text
        seen += re.findall(r'href="/ho-so/([^/"]+)/"', text)
    assert len(seen) == len(set(seen)) == 10
    assert (
        "Trang 1 / 4"
        in client.get(
            "/thong-ke/ho-so/", {"unit": "C1", "period": MARCH, "figure": "received"}
        ).content.decode()
    )


def test_list_masks_personal_data(root: Any) -> None:
    response = signed_in(root).get(
        "/thong-ke/ho-so/", {"unit": "C1", "period": MARCH, "figure": "received"}
    )
    text = response.content.decode()
    assert "Người nộp M" in text
    assert APPLICANT["phone"] not in text and APPLICANT["id_number"] not in text
    assert "*******678" in text


def test_officers_of_the_unit_and_above_see_it(
    march: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
) -> None:
    for name in ("alice", "dana", "olga"):
        client = signed_in(people[name])
        status, text = page(client, unit="C1", period=MARCH)
        assert status == 200, name
        assert figure_links(text)[("", "late")][0] == 2
        listed = client.get(figure_links(text)[("", "late")][1]).content.decode()
        assert int(first(COUNT, listed)) == 2
        assert "ngoài phạm vi" not in listed


@pytest.mark.parametrize("name", ["bob", "ivan", "nora"])
def test_another_units_user_sees_neither_figures_nor_dossiers(
    march: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
    name: str,
) -> None:
    client = signed_in(people[name])
    status, text = page(client, unit="C1", period=MARCH)
    assert status == 400
    assert "không thuộc phạm vi" in text
    assert "data-figure" not in text and "trend-data" not in text
    assert 'value="C1"' not in text  # not even offered in the unit list
    response = client.get("/thong-ke/ho-so/", {"unit": "C1", "period": MARCH, "figure": "late"})
    assert response.status_code == 404
    listed = response.content.decode()
    assert "không thuộc phạm vi" in listed
    assert "Người nộp" not in listed and "/ho-so/" + march["M"].code not in listed
    # An unknown unit gets the same answer: the page does not tell which units exist.
    status, unknown = page(client, unit="XX", period=MARCH)
    assert status == 400 and "Không có đơn vị «XX» trong kỳ đã chọn" in unknown


def test_default_unit_is_the_top_of_the_users_scope(
    march: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
) -> None:
    status, text = page(signed_in(people["dana"]))
    assert status == 200
    assert '<option value="D1" selected>' in text
    assert '<option value="C1">' in text and '<option value="C3">' not in text
    status, text = page(signed_in(people["bob"]), period=MARCH)
    assert status == 200 and '<option value="C2" selected>' in text
    status, text = page(signed_in(people["nora"]))
    assert "chưa được giao đơn vị" in text and "data-figure" not in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "2025-Q5"}, "Quý phải là số từ 1 đến 4."),
        ({"period": "tháng ba"}, "Kỳ báo cáo «tháng ba» không hợp lệ"),
        ({"kind": "month", "year": "abc", "number": "3"}, "Năm «abc» không hợp lệ"),
        ({"kind": "month", "year": "2025", "number": "13"}, "Tháng phải là số từ 1 đến 12."),
        ({"kind": "half", "year": "2025", "number": "3"}, "6 tháng đầu năm"),
        ({"kind": "week", "year": "2025"}, "Hãy chọn loại kỳ"),
        ({"kind": "custom", "from": "2025-02-30", "to": "2025-03-14"}, "không phải là ngày hợp lệ"),
        ({"kind": "custom", "from": "2025-03-14", "to": "2025-02-15"}, "đứng trước ngày đầu kỳ"),
        ({"kind": "custom", "from": "2025-03-14"}, "Ngày cuối kỳ: hãy nhập ngày."),
        ({"period": MARCH, "by": "tinh"}, "Không có cách chia «tinh»"),
    ],
)
def test_bad_input_gets_a_vietnamese_message(
    root: Any, params: dict[str, str], message: str
) -> None:
    client = signed_in(root)
    status, text = page(client, unit="C1", **params)
    assert status == 400
    assert message in html.unescape(text)
    assert "data-figure" not in text
    response = client.get("/thong-ke/ho-so/", {"unit": "C1", "figure": "late", **params})
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())


def test_unknown_figure_is_a_400_with_a_message(root: Any) -> None:
    response = signed_in(root).get(
        "/thong-ke/ho-so/", {"unit": "C1", "period": MARCH, "figure": "tre_han"}
    )
    assert response.status_code == 400
    assert "Không có số liệu «tre_han»" in html.unescape(response.content.decode())


def test_unknown_breakdown_row_is_a_404(root: Any) -> None:
    response = signed_in(root).get(
        "/thong-ke/ho-so/",
        {"unit": "DT", "period": MARCH, "figure": "late", "by": "unit", "row": "D2"},
    )
    assert response.status_code == 404  # D2 had no dossiers: no such row


def test_the_form_and_the_period_syntax_agree(root: Any) -> None:
    client = signed_in(root)
    _, by_syntax = page(client, unit="C1", period=MARCH)
    _, by_form = page(client, unit="C1", kind="month", year="2025", number="3")
    _, by_dates = page(
        client, unit="C1", kind="custom", **{"from": "2025-02-15", "to": "2025-03-14"}
    )
    assert page_blocks(by_syntax) == page_blocks(by_form) == page_blocks(by_dates)
    assert "Tháng 03/2025 (15/02/2025–14/03/2025)" in by_form
    assert "Từ ngày 15/02/2025 đến ngày 14/03/2025" in by_dates
    _, calendar = page(client, unit="C1", kind="month", year="2025", number="3", calendar="1")
    assert "Tháng 03/2025 (01/03/2025–31/03/2025)" in calendar
    _, quarter = page(client, unit="C1", kind="quarter", year="2025", number="1")
    assert "Quý I/2025 (15/12/2024–14/03/2025)" in quarter


def test_trend_island_has_six_periods(root: Any) -> None:
    _, text = page(signed_in(root), unit="C1", period=MARCH)
    data = json.loads(first(ISLAND, text))
    periods = [*parse_period(MARCH).previous(5), parse_period(MARCH)]
    assert len(data["labels"]) == len(data["periods"]) == 6
    assert data["labels"][0] == "Tháng 10/2024" and data["labels"][-1] == "Tháng 03/2025"
    assert [p["from"] for p in data["periods"]] == [p.first.isoformat() for p in periods]
    series = {s["key"]: s["data"] for s in data["series"]}
    assert list(series) == ["received", "resolved_on_time_or_early", "late", "overdue"]
    for i, period in enumerate(periods):
        total = dossier_statistics(code="C1", period=period).total
        assert series["received"][i] == total.received
        assert series["resolved_on_time_or_early"][i] == total.early + total.on_time
        assert series["late"][i] == total.late
        assert series["overdue"][i] == total.overdue
    assert series["received"][-1] == 10 and series["late"][-1] == 2


def test_trend_of_a_unit_that_did_not_exist_yet_shows_dashes(
    march: dict[str, Any],  # noqa: F811
    province: Province,
) -> None:
    admin = make_user("root2", is_superuser=True)
    _, text = page(signed_in(admin), unit="N1", period="2025-Q4")  # N1 exists from 01/07/2025
    data = json.loads(first(ISLAND, text))
    assert data["series"][0]["data"][:3] == [None, None, None]
    # N1 took over C1: the worked example's dossiers still open (G, H, I, J and L) carry over.
    assert data["series"][0]["data"][-1] == 5


def test_page_works_without_javascript(root: Any) -> None:
    _, text = page(signed_in(root), unit="C1", period=MARCH)
    assert 'class="compact stats-table"' in text
    assert 'class="compact trend-table"' in text
    assert '<div id="trend-chart" class="trend-chart" hidden' in text
    # No inline script: only vendored/static files and the JSON data island.
    for tag in re.findall(r"<script[^>]*>", text):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert "/static/vendor/chartjs/chart.umd.min.js" in text
    assert "/static/stats/trend.js" in text
    # The trend table links its figures too.
    assert 'href="/thong-ke/ho-so/?unit=C1&amp;period=2024-M10&amp;figure=received"' in text


def test_page_costs_a_fixed_number_of_queries(root: Any) -> None:
    """Session and user (2), the unit choices (3), then per period its scope (4) and one
    aggregate (over the roll-up): the chosen period (5) and the 5 earlier ones of the trend (25)."""
    client = signed_in(root)
    with CaptureQueriesContext(connection) as queries:
        status, _ = page(client, unit="C1", period=MARCH)
    assert status == 200
    aggregates = [q for q in queries.captured_queries if "stats_dossierrollup" in q["sql"]]
    assert len(aggregates) == 6
    assert len(queries.captured_queries) <= 2 + 3 + 6 * 5


def test_the_form_defaults_to_a_unit_in_force_not_a_closed_predecessor(
    province: Province,
) -> None:
    from motcua.conftest import LAST_OLD_DAY, REFORM, make_unit
    from motcua.people.choices import Role
    from motcua.stats.views import unit_options
    from motcua.units.models import UnitSuccession

    office = make_unit("VP2", "Văn phòng mới", "department", province.new, valid_from=REFORM)
    centre = make_unit("HCC2", "Trung tâm mới", "subunit", office, valid_from=REFORM)
    merged = make_unit("SNV0", "Sở cũ", "department", province.old, valid_to=LAST_OLD_DAY)
    UnitSuccession.objects.create(predecessor=merged, successor=office, effective_date=REFORM)
    officer = make_user("desk2", (centre, Role.ONE_STOP_OFFICER))
    assert [o.code for o in unit_options(officer)] == ["HCC2", "SNV0"]


def test_custom_days_are_typed_the_vietnamese_way(root: Any) -> None:
    """dd/mm/yyyy gives the figures of the same days in ISO, and the form shows them back so."""
    client = signed_in(root)
    typed = page(client, unit="C1", kind="custom", **{"from": "15/02/2025", "to": "14/03/2025"})
    iso = page(client, unit="C1", kind="custom", **{"from": "2025-02-15", "to": "2025-03-14"})
    assert typed[0] == iso[0] == 200
    figures = [(row, figure, value) for _, row, figure, value in LINK.findall(typed[1])]
    assert figures and figures == [(r, f, v) for _, r, f, v in LINK.findall(iso[1])]
    assert 'name="from" value="15/02/2025"' in typed[1]
    assert 'name="from" value="15/02/2025"' in iso[1]
    assert "from=2025-02-15" in html.unescape(typed[1])  # click-throughs speak ISO
    bad = page(client, unit="C1", kind="custom", **{"from": "30/02/2025", "to": "14/03/2025"})
    assert bad[0] == 400 and "dạng ngày/tháng/năm" in html.unescape(bad[1])
