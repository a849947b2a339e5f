"""The command-line and API contracts of `motcua stats dossiers`."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure

KEYS = ["period", "unit", "received", "resolved", "closed_other", "pending", "rates"]


def stats(*args: str) -> tuple[int, Any, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("stats", "dossiers", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    text = out.getvalue()
    return 0, (json.loads(text) if text.startswith("{") else text), err.getvalue()


@pytest.fixture
def some(province: Province) -> Any:
    root = make_user("root", is_superuser=True)
    proc = make_procedure(units=[province.commune_a, province.commune_c], amount=5)
    for unit, when in [
        (province.commune_a, local(2023, 7, 3, 9)),
        (province.commune_c, local(2023, 8, 1, 9)),
    ]:
        services.receive_dossier(
            actor=root, procedure=proc, receiving_unit=unit, applicant=APPLICANT, at=when
        )
    return root


def test_json_contract_exactly(some: Any) -> None:
    code, data, _ = stats(
        "--from", "2023-06-15", "--to", "2023-09-14", "--unit", "DT", "--format", "json"
    )
    assert code == 0
    assert list(data) == KEYS
    assert data["period"] == {"from": "2023-06-15", "to": "2023-09-14"}
    assert data["unit"] == "DT"
    assert list(data["received"]) == [
        "total",
        "carried_over",
        "new",
        "new_online",
        "new_direct",
        "new_postal",
    ]
    assert list(data["resolved"]) == ["total", "early", "on_time", "late"]
    assert list(data["closed_other"]) == ["refused", "withdrawn"]
    assert list(data["pending"]) == ["total", "within_deadline", "overdue"]
    assert list(data["rates"]) == ["online_share", "resolved_on_time_or_early"]
    assert data["received"]["total"] == 2
    assert data["pending"]["overdue"] == 2


def test_period_syntax_equals_from_to(some: Any) -> None:
    _, by_period, _ = stats("--period", "2023-Q3", "--unit", "DT")
    _, by_dates, _ = stats("--from", "2023-06-15", "--to", "2023-09-14", "--unit", "DT")
    assert by_period == by_dates
    _, calendar, _ = stats("--period", "2023-Q3", "--calendar", "--unit", "DT")
    assert calendar["period"] == {"from": "2023-07-01", "to": "2023-09-30"}


def test_breakdown_rows_add_up(some: Any) -> None:
    _, data, _ = stats("--period", "2023-Q3", "--unit", "DT", "--by", "unit")
    assert {r["key"] for r in data["rows"]} == {"D1", "D2"}
    for row in data["rows"]:
        assert set(KEYS[2:]) <= set(row) and {"key", "name"} <= set(row)
    assert sum(r["received"]["total"] for r in data["rows"]) == data["received"]["total"]
    for by in ["level", "field", "procedure"]:
        _, data, _ = stats("--period", "2023-Q3", "--unit", "DT", "--by", by)
        assert sum(r["received"]["total"] for r in data["rows"]) == data["received"]["total"] == 2


def test_table_format(some: Any) -> None:
    code, text, _ = stats("--period", "2023-Q3", "--unit", "DT", "--format", "table")
    assert code == 0
    assert "Quý III/2023 (15/06/2023–14/09/2023)" in text
    assert "Ủy ban nhân dân tỉnh Đồng Tháp" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2023-Q3", "--unit", "NOPE"], "unit 'NOPE' does not exist"),
        (
            ["--from", "2023-02-30", "--to", "2023-03-01", "--unit", "DT"],
            "--from: '2023-02-30' is not a date",
        ),
        (["--from", "2023-06-15", "--unit", "DT"], "--to: give --period, or both"),
        (["--period", "2023-Q5", "--unit", "DT"], "--period: '2023-Q5' is not a period"),
        (["--period", "2023-Q3"], "--unit: a unit code is required"),
        (["--period", "2026-Q1", "--unit", "D1"], "unit 'D1' does not exist between"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    province: Province, args: list[str], message: str
) -> None:
    code, _, err = stats(*args)
    assert code == 2
    assert message in err


def test_api_serves_the_same_object(some: Any, people: dict) -> None:
    _, cli, _ = stats("--period", "2023-Q3", "--unit", "DT", "--by", "unit")
    client = APIClient()
    client.force_authenticate(people["olga"])
    api = client.get("/api/v1/stats/dossiers/", {"period": "2023-Q3", "unit": "DT", "by": "unit"})
    assert api.status_code == 200
    assert api.json() == cli
    bad = client.get(
        "/api/v1/stats/dossiers/", {"from": "2023-13-01", "to": "2023-12-31", "unit": "DT"}
    )
    assert bad.status_code == 400 and "from" in bad.json()
    # a commune officer cannot read the province's figures; the answer reveals nothing
    client.force_authenticate(people["alice"])
    denied = client.get("/api/v1/stats/dossiers/", {"period": "2023-Q3", "unit": "DT"})
    unknown = client.get("/api/v1/stats/dossiers/", {"period": "2023-Q3", "unit": "ZZ"})
    assert denied.status_code == unknown.status_code == 400
    assert (
        APIClient().get("/api/v1/stats/dossiers/", {"period": "2023-Q3", "unit": "DT"}).status_code
        == 401
    )
