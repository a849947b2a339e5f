"""The command-line and API contracts of `motcua stats feedback`."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from motcua.cli import main
from motcua.conftest import Province
from motcua.dossiers.tests.factories import local
from motcua.feedback.choices import Channel
from motcua.stats.tests.feedback_rows import make_item

KEYS = [
    "period",
    "unit",
    "carried_over",
    "received",
    "resolved",
    "resolved_on_time",
    "resolved_late",
    "forwarded",
    "redirected",
    "refused",
    "open_in_time",
    "open_overdue",
    "by_channel",
    "by_subject",
]
ROW_KEYS = ["key", "name", *KEYS[2:], "in_competence", "rates", "ranked", "rank"]


def stats(*args: str) -> tuple[int, Any, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("stats", "feedback", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    text = out.getvalue()
    return 0, (json.loads(text) if text.startswith("{") else text), err.getvalue()


@pytest.fixture
def some(province: Province, people: dict) -> None:
    """Two items at C1 (one resolved late by alice), one at C3, and a quick answer."""
    make_item(
        province.commune_a,
        local(2023, 7, 3, 9),
        state="published",
        finished=local(2023, 7, 30, 9),
        due=local(2023, 7, 24, 9),
        channel="hotline",
        subject="regulation",
        handler=people["alice"],
    )
    make_item(province.commune_a, local(2023, 8, 1, 9), due=local(2023, 8, 22, 9))
    make_item(province.commune_c, local(2023, 6, 1, 9), due=local(2023, 6, 22, 9))
    make_item(
        province.commune_c,
        local(2023, 7, 5, 9),
        kind="question",
        state="closed",
        finished=local(2023, 7, 5, 9),
        channel="hotline",
    )


def test_json_contract_exactly(some: None) -> None:
    code, data, _ = stats("--period", "2023-Q3", "--unit", "DT", "--format", "json")
    assert code == 0
    assert list(data) == KEYS
    assert data["period"] == {"from": "2023-06-15", "to": "2023-09-14"}
    assert data["unit"] == "DT"
    assert list(data["by_channel"]) == list(Channel.values)
    assert list(data["by_subject"]) == ["regulation", "conduct", "other", "unclassified"]
    assert {k: v for k, v in data.items() if isinstance(v, int)} == {
        "carried_over": 1,
        "received": 2,
        "resolved": 1,
        "resolved_on_time": 0,
        "resolved_late": 1,
        "forwarded": 0,
        "redirected": 0,
        "refused": 0,
        "open_in_time": 0,
        "open_overdue": 2,
    }
    assert data["by_channel"]["hotline"] == 1 and data["by_channel"]["portal"] == 1
    assert data["by_subject"] == {"regulation": 1, "conduct": 0, "other": 0, "unclassified": 1}
    assert "questions" not in data  # quick answers are not part of the command's contract


def test_the_period_object_and_unit_match_the_dossier_command(some: None) -> None:
    out = io.StringIO()
    call_command("stats", "dossiers", "--period", "2023-Q3", "--unit", "DT", stdout=out)
    dossiers = json.loads(out.getvalue())
    _, data, _ = stats("--period", "2023-Q3", "--unit", "DT")
    assert (data["period"], data["unit"]) == (dossiers["period"], dossiers["unit"])


def test_period_syntax_equals_from_to(some: None) -> None:
    _, by_period, _ = stats("--period", "2023-Q3", "--unit", "DT")
    _, by_dates, _ = stats("--from", "2023-06-15", "--to", "2023-09-14", "--unit", "DT")
    assert by_period == by_dates
    _, calendar, _ = stats("--period", "2023-Q3", "--calendar", "--unit", "DT")
    assert calendar["period"] == {"from": "2023-07-01", "to": "2023-09-30"}
    assert (calendar["carried_over"], calendar["received"]) == (1, 2)  # C3's item is June's


def test_breakdown_rows_add_up_and_carry_rates(some: None) -> None:
    for by, keys in [("unit", {"D1", "D2"}), ("officer", {"alice", ""})]:
        _, data, _ = stats("--period", "2023-Q3", "--unit", "DT", "--by", by)
        assert list(data) == [*KEYS, "rows"]
        assert {r["key"] for r in data["rows"]} == keys
        for row in data["rows"]:
            assert list(row) == ROW_KEYS
            assert list(row["rates"]) == ["resolution", "on_time"]
            assert row["rank"] is None and row["ranked"] is False  # fewer than 10 items
        for key in KEYS[2:12]:
            assert sum(r[key] for r in data["rows"]) == data[key], (by, key)
    _, data, _ = stats("--period", "2023-Q3", "--unit", "DT", "--by", "officer")
    alice = next(r for r in data["rows"] if r["key"] == "alice")
    assert alice["name"] == "Nguyễn Thị An"
    assert (alice["in_competence"], alice["rates"]) == (1, {"resolution": 100.0, "on_time": 0.0})


def test_table_format(some: None) -> None:
    code, text, _ = stats("--period", "2023-Q3", "--unit", "DT", "--format", "table")
    assert code == 0
    assert "Thống kê phản ánh, kiến nghị — Quý III/2023 (15/06/2023–14/09/2023)" in text
    assert "Ủy ban nhân dân tỉnh Đồng Tháp" in text
    assert "Kỳ trước 1 + tiếp nhận 2 = giải quyết 1 + chuyển 0" in text
    code, text, _ = stats(
        "--period", "2023-Q3", "--unit", "DT", "--by", "unit", "--format", "table"
    )
    assert code == 0 and "Ủy ban nhân dân huyện Tháp Mười" in text and "Hạng" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2023-Q3", "--unit", "NOPE"], "unit 'NOPE' does not exist"),
        (
            ["--from", "2023-02-30", "--to", "2023-03-01", "--unit", "DT"],
            "--from: '2023-02-30' is not a date",
        ),
        (["--from", "2023-06-15", "--unit", "DT"], "--to: give --period, or both"),
        (["--to", "2023-06-15", "--unit", "DT"], "--from: give --period, or both"),
        (
            ["--from", "2023-06-15", "--to", "2023-06-01", "--unit", "DT"],
            "--to: 2023-06-01 is before --from 2023-06-15",
        ),
        (
            ["--period", "2023-Q3", "--from", "2023-06-15", "--to", "2023-06-16", "--unit", "DT"],
            "--period: give either --period or --from/--to",
        ),
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
    assert err.startswith("motcua stats feedback: ")


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--by", "field"], "--by"),
        (["--format", "xml"], "--format"),
        (["--bogus", "1"], "--bogus"),
    ],
)
def test_bad_flags_exit_2_through_the_motcua_command(
    province: Province, capsys: pytest.CaptureFixture[str], args: list[str], flag: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["stats", "feedback", "--period", "2023-Q3", "--unit", "DT", *args])
    assert exc.value.code == 2
    assert flag in capsys.readouterr().err


def test_api_serves_the_same_object_plus_questions(some: None, people: dict) -> None:
    client = APIClient()
    client.force_authenticate(people["olga"])
    for by in (None, "unit", "officer"):
        extra = ["--by", by] if by else []
        _, cli, _ = stats("--period", "2023-Q3", "--unit", "DT", *extra)
        api = client.get(
            "/api/v1/stats/feedback/",
            {"period": "2023-Q3", "unit": "DT", **({"by": by} if by else {})},
        )
        assert api.status_code == 200
        body = api.json()
        assert body.pop("questions") == 1
        assert body == cli
    bad = client.get(
        "/api/v1/stats/feedback/", {"from": "2023-13-01", "to": "2023-12-31", "unit": "DT"}
    )
    assert bad.status_code == 400 and "from" in bad.json()
    wrong_by = client.get("/api/v1/stats/feedback/", {"period": "2023-Q3", "unit": "DT", "by": "x"})
    assert wrong_by.status_code == 400 and "by" in wrong_by.json()


def test_api_reveals_nothing_outside_the_scope(some: None, people: dict) -> None:
    client = APIClient()
    client.force_authenticate(people["alice"])  # commune A only
    mine = client.get("/api/v1/stats/feedback/", {"period": "2023-Q3", "unit": "C1"})
    assert mine.status_code == 200 and mine.json()["received"] == 2
    denied = client.get("/api/v1/stats/feedback/", {"period": "2023-Q3", "unit": "DT"})
    unknown = client.get("/api/v1/stats/feedback/", {"period": "2023-Q3", "unit": "ZZ"})
    neighbour = client.get("/api/v1/stats/feedback/", {"period": "2023-Q3", "unit": "C3"})
    assert denied.status_code == unknown.status_code == neighbour.status_code == 400
    assert "received" not in denied.json() and "received" not in neighbour.json()
    assert (
        APIClient().get("/api/v1/stats/feedback/", {"period": "2023-Q3", "unit": "DT"}).status_code
        == 401
    )
