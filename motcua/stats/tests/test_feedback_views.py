"""The feedback statistics page and its click-through lists, on the hand-counted example."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.conftest import Province
from motcua.dossiers.tests.factories import local
from motcua.stats.feedback import FIGURES
from motcua.stats.tests.feedback_rows import make_item
from motcua.stats.tests.test_feedback_worked_example import history  # noqa: F401

Q3 = {"period": "2023-Q3"}
LINK = re.compile(r'<a href="([^"]+)"(?: data-row="([^"]*)")? data-figure="([^"]+)"[^>]*>(\d+)</a>')
RANK = re.compile(r'data-row="([^"]*)" data-rank="(\d*)"')
COUNT = re.compile(r'data-count="(\d+)"')


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, **params: str) -> tuple[int, str]:
    response = client.get("/thong-ke/phan-anh/", params)
    return response.status_code, response.content.decode()


def listed(client: Client, href: str) -> tuple[int, str, int | None]:
    response = client.get(html.unescape(href))
    text = response.content.decode()
    match = COUNT.search(text)
    return response.status_code, text, int(match.group(1)) if match else None


def error_of(text: str) -> str:
    match = re.search(r'<div class="message message-error" role="alert">(.*?)</div>', text, re.S)
    assert match is not None
    return match.group(1)


def test_pages_need_sign_in(db: None) -> None:
    for url in ("/thong-ke/phan-anh/", "/thong-ke/phan-anh/danh-sach/?figure=received"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_page_shows_the_identity_with_the_numbers_of_the_api(
    history: dict[str, Any],  # noqa: F811
    people: dict,
) -> None:
    client = signed_in(people["olga"])
    status, text = page(client, unit="C1", **Q3)
    assert status == 200
    api = client.get("/api/v1/stats/feedback/", {"unit": "C1", **Q3}).json()
    totals = {fig: int(n) for _h, row, fig, n in LINK.findall(text) if not row}
    for key in (
        "carried_over",
        "received",
        "resolved",
        "forwarded",
        "redirected",
        "refused",
        "open_in_time",
        "open_overdue",
        "resolved_on_time",
        "resolved_late",
        "questions",
    ):
        assert totals[key] == api[key], key
    for channel, n in api["by_channel"].items():
        assert totals[f"channel:{channel}"] == n
    for subject, n in api["by_subject"].items():
        assert totals[f"subject:{subject}"] == n
    identity = re.search(r"<p class=\"identity\" data-identity>(.*?)</p>", text, re.S)
    assert identity is not None
    sides = identity.group(1).split("<strong>=</strong>")
    left = sum(int(n) for _h, _r, _f, n in LINK.findall(sides[0]))
    right = sum(int(n) for _h, _r, _f, n in LINK.findall(sides[1]))
    assert left == right == 12
    assert 'data-rate="resolution" data-value="44.44"' in text
    assert 'data-rate="on_time" data-value="55.56"' in text
    assert "4 / 9" in text and "5 / 9" in text  # rates beside their counts


def test_every_figure_links_to_as_many_items_as_it_counts(
    history: dict[str, Any],  # noqa: F811
    people: dict,
) -> None:
    client = signed_in(people["olga"])
    for unit in ("C1", "DT"):
        status, text = page(client, unit=unit, **Q3)
        assert status == 200
        links = LINK.findall(text)
        assert len(links) > 40
        # every non-zero figure, and a few zeros (an empty list is cheap to get wrong, too)
        zeros = [link for link in links if link[3] == "0"][::7]
        for href, row, figure, value in [*(link for link in links if link[3] != "0"), *zeros]:
            status, _body, count = listed(client, href)
            assert status == 200, (unit, row, figure)
            assert count == int(value), (unit, row, figure)


def test_every_clickable_figure_has_a_list(history: dict[str, Any], people: dict) -> None:  # noqa: F811
    client = signed_in(people["olga"])
    for figure in FIGURES:
        response = client.get(
            "/thong-ke/phan-anh/danh-sach/", {"unit": "C1", "figure": figure, **Q3}
        )
        assert response.status_code == 200, figure


def test_the_list_links_to_each_items_page(history: dict[str, Any], people: dict) -> None:  # noqa: F811
    client = signed_in(people["olga"])
    status, text, count = listed(
        client, "/thong-ke/phan-anh/danh-sach/?unit=C1&period=2023-Q3&figure=open_overdue"
    )
    assert status == 200 and count == 3
    for name in ("D", "L", "M"):
        code = history[name].code
        assert f'href="/pakn/{code}/"' in text
    assert history["I"].code not in text


def test_breakdowns_by_unit_and_officer_with_ranks(
    province: Province, people: dict, settings: Any
) -> None:
    settings.MOTCUA_FEEDBACK_RANKING_MIN = 3
    alice, bob = people["alice"], people["bob"]
    # C1: 3 items, all resolved on time by alice; C2: 4 items, 2 on time and 2 late by bob;
    # C3: 1 item (too few to rank), by nobody.
    for day in (3, 4, 5):
        make_item(
            province.commune_a,
            local(2023, 7, day, 9),
            state="published",
            finished=local(2023, 7, day + 1, 9),
            due=local(2023, 7, 24, 9),
            handler=alice,
        )
    for day, late in [(3, False), (4, False), (5, True), (6, True)]:
        make_item(
            province.commune_b,
            local(2023, 7, day, 9),
            state="closed",
            finished=local(2023, 8 if late else 7, 20, 9),
            due=local(2023, 7, 25, 9),
            handler=bob,
        )
    make_item(province.commune_c, local(2023, 7, 3, 9), due=local(2023, 12, 30))
    status, text = page(signed_in(people["olga"]), unit="DT", **Q3)
    assert status == 200
    ranks = dict(RANK.findall(text))
    # by unit: D1 has 7 items (5 on time of 7 in competence), D2 only 1 (not ranked)
    assert ranks["D1"] == "1" and ranks["D2"] == ""
    # by officer: alice 100% on time, bob 50%; the unassigned item is never ranked
    assert (ranks["alice"], ranks["bob"], ranks[""]) == ("1", "2", "")
    assert 'data-row="bob" data-rate="on_time" data-value="50.00"' in text
    assert "Chỉ xếp hạng đơn vị, cán bộ có ít nhất 3 phản ánh trong kỳ" in text


def test_figures_by_officer_are_for_leaders(province: Province, people: dict) -> None:
    """Figures by unit are for all who see the unit; figures naming colleagues for leaders."""
    make_item(
        province.commune_a,
        local(2023, 7, 3, 9),
        state="published",
        finished=local(2023, 7, 4, 9),
        due=local(2023, 7, 24, 9),
        handler=people["alice"],
    )
    officer_list = {"unit": "C1", "figure": "received", "by": "officer", "row": "alice", **Q3}
    alice = signed_in(people["alice"])  # one-stop officer of C1: no export right
    status, text = page(alice, unit="C1", **Q3)
    assert status == 200 and "Theo đơn vị" in text and "Theo cán bộ xử lý" not in text
    assert 'data-row="alice"' not in text
    assert alice.get("/thong-ke/phan-anh/danh-sach/", officer_list).status_code == 403
    api = alice.get("/api/v1/stats/feedback/", {"unit": "C1", "by": "officer", **Q3})
    assert api.status_code == 403
    assert (
        alice.get("/api/v1/stats/feedback/", {"unit": "C1", "by": "unit", **Q3}).status_code == 200
    )
    dana = signed_in(people["dana"])  # leader of the district above C1
    status, text = page(dana, unit="C1", **Q3)
    assert status == 200 and "Theo cán bộ xử lý" in text and 'data-row="alice"' in text
    _status, _text, count = listed(dana, "/thong-ke/phan-anh/danh-sach/?" + urlencode(officer_list))
    assert _status == 200 and count == 1
    api = dana.get("/api/v1/stats/feedback/", {"unit": "C1", "by": "officer", **Q3})
    assert api.status_code == 200 and [r["key"] for r in api.json()["rows"]] == ["alice"]


def test_the_dossier_statistics_page_links_here(province: Province, people: dict) -> None:
    response = signed_in(people["olga"]).get("/thong-ke/", {"unit": "DT", **Q3})
    text = response.content.decode()
    match = re.search(r'<a href="([^"]+)" data-link="feedback-statistics">', text)
    assert match is not None
    href = html.unescape(match.group(1))
    assert href.startswith("/thong-ke/phan-anh/") and "unit=DT" in href
    assert signed_in(people["olga"]).get(href).status_code == 200


@pytest.mark.parametrize("name", ["alice", "bob", "dana"])
def test_another_units_officer_sees_nothing_outside_the_scope(
    history: dict[str, Any],  # noqa: F811
    people: dict,
    name: str,
) -> None:
    """alice: commune A only; bob: commune B only; dana: district D1, not district D2."""
    client = signed_in(people[name])
    outside = {"alice": "C2", "bob": "C1", "dana": "D2"}[name]
    status, text = page(client, unit=outside, **Q3)
    assert status == 400
    assert "không thuộc phạm vi" in text and not LINK.search(text)
    unknown_status, unknown = page(client, unit="ZZ", **Q3)
    assert unknown_status == 400
    # the same answer as for an unknown unit
    assert error_of(unknown).replace("ZZ", outside) == error_of(text)
    for figure in ("received", "carried_over", "open_overdue"):
        response = client.get(
            "/thong-ke/phan-anh/danh-sach/", {"unit": outside, "figure": figure, **Q3}
        )
        assert response.status_code == 404
        body = response.content.decode()
        assert not any(item.code in body for item in history.values())
    api = client.get("/api/v1/stats/feedback/", {"unit": outside, **Q3})
    assert api.status_code == 400 and "received" not in api.json()
    if name == "bob":  # his own commune: only the forwarded copy, none of C1's items
        status, text, count = listed(
            client, "/thong-ke/phan-anh/danh-sach/?unit=C2&period=2023-Q3&figure=received"
        )
        assert status == 200 and count == 1 and history["F2"].code in text
        assert not any(item.code in text for key, item in history.items() if key != "F2")


def test_a_user_without_a_unit_sees_no_figures(history: dict[str, Any], people: dict) -> None:  # noqa: F811
    status, text = page(signed_in(people["nora"]), unit="C1", **Q3)
    assert status == 400 and not LINK.search(text)


def test_bad_input_gets_a_message(history: dict[str, Any], people: dict) -> None:  # noqa: F811
    client = signed_in(people["olga"])
    status, text = page(client, unit="C1", period="2023-Q9")
    assert status == 400 and "Quý phải là số từ 1 đến 4." in text
    status, text = page(client, unit="C1", period="quý ba")
    assert status == 400 and "không hợp lệ" in text
    status, _body, _ = listed(client, "/thong-ke/phan-anh/danh-sach/?unit=C1&figure=nope")
    assert status == 400
    status, _body, _ = listed(
        client,
        "/thong-ke/phan-anh/danh-sach/?unit=C1&period=2023-Q3&figure=received&by=officer&row=zz",
    )
    assert status == 404


def test_page_costs_a_fixed_number_of_queries(
    history: dict[str, Any],  # noqa: F811
    province: Province,
    people: dict,
) -> None:
    client = signed_in(people["olga"])
    make_item(province.commune_a, local(2023, 8, 1, 9), handler=people["alice"])
    page(client, unit="DT", **Q3)  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        page(client, unit="DT", **Q3)
    for day in range(1, 29):
        make_item(province.commune_b, local(2023, 8, day, 9), handler=people["bob"])
    with CaptureQueriesContext(connection) as many:
        page(client, unit="DT", **Q3)
    assert len(many) == len(few)
