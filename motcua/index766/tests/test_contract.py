"""The contract of `motcua index services` and `GET /api/v1/index/services/`."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from motcua.conftest import REFORM, Province, make_unit
from motcua.dossiers.models import Dossier
from motcua.index766.tests.rows import at, dossier, procedure

GROUPS = ["transparency", "progress", "digitization", "online", "payment", "satisfaction"]
INDICATOR_KEYS = {"code", "numerator", "denominator", "ratio", "points", "max", "status", "data"}


def index(*args: str) -> tuple[int, Any, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("index", "services", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    text = out.getvalue()
    return 0, (json.loads(text) if text.startswith("{") else text), err.getvalue()


@pytest.fixture
def some(province: Province) -> Province:
    make_unit("N3", "Ủy ban nhân dân xã Mỹ Thọ", "commune", province.new, valid_from=REFORM)
    proc = procedure([province.new_commune, province.new_commune_2])
    Dossier.objects.bulk_create(
        [
            dossier(
                proc,
                province.new_commune,
                received=at(8, 3),
                due=at(8, 17),
                state="returned",
                finished=at(8, 10),
            ),
            dossier(
                proc, province.new_commune, received=at(8, 3), due=at(8, 7), state="in_progress"
            ),
            dossier(
                proc,
                province.new_commune_2,
                received=at(7, 30),
                due=at(8, 20),
                state="refused",
                finished=at(8, 21),
            ),
        ]
    )
    return province


def test_json_contract(some: Province) -> None:
    code, data, _ = index("--period", "2026-M08", "--unit", "DT", "--by", "unit")
    assert code == 0
    assert list(data) == ["unit", "from", "to", "total", "groups", "rows"]
    assert (data["unit"], data["from"], data["to"]) == ("DT", "2026-08-01", "2026-08-31")
    assert data["total"]["max"] == 100 and isinstance(data["total"]["points"], float)
    assert [g["code"] for g in data["groups"]] == GROUPS
    assert [g["max"] for g in data["groups"]] == [18, 20, 22, 12, 10, 18]
    for group in data["groups"]:
        assert group["indicators"]
        for indicator in group["indicators"]:
            assert set(indicator) >= INDICATOR_KEYS
            assert indicator["code"].startswith(group["code"] + ".")
            assert indicator["status"] in {"live", "doc", "estimated"}
    progress = data["groups"][1]
    assert progress["indicators"][0] == {
        "code": "progress.on_time",
        "numerator": 1,
        "denominator": 3,
        "ratio": 33.33,
        "points": 6.67,
        "max": 20,
        "status": "live",
        "data": "ok",
    }
    assert progress["points"] == 6.67
    # one row per unit of the next level, with or without dossiers (N3 has none)
    assert [r["unit"] for r in data["rows"]] == ["N1", "N2", "N3"]
    rows = {r["unit"]: r for r in data["rows"]}
    assert rows["N1"]["groups"][1]["indicators"][0]["numerator"] == 1
    assert rows["N2"]["groups"][1]["indicators"][0]["denominator"] == 1
    assert rows["N3"]["groups"][1]["indicators"][0]["data"] == "empty"
    assert set(rows["N1"]) == {"unit", "name", "total", "groups"}


def test_period_is_a_calendar_window_and_equals_from_to(some: Province) -> None:
    _, by_period, _ = index("--period", "2026-M08", "--unit", "DT")
    _, by_dates, _ = index("--from", "2026-08-01", "--to", "2026-08-31", "--unit", "DT")
    assert by_period == by_dates
    _, quarter, _ = index("--period", "2026-Q3", "--unit", "DT")
    assert (quarter["from"], quarter["to"]) == ("2026-07-01", "2026-09-30")


def test_table_format(some: Province) -> None:
    code, text, _ = index(
        "--period", "2026-M08", "--unit", "DT", "--by", "unit", "--format", "table"
    )
    assert code == 0
    assert "Chỉ số phục vụ (Quyết định 766) — Tháng 08/2026 (01/08/2026–31/08/2026)" in text
    assert "Hồ sơ giải quyết trước hạn, đúng hạn: 1/3 = 33.33% → 6.67/20 [live]" in text
    assert "chưa có dữ liệu" in text
    assert "N1" in text and "N3" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-M13", "--unit", "DT"], "--period: kỳ '2026-M13' không hợp lệ"),
        (["--from", "2026-02-30", "--to", "2026-03-01", "--unit", "DT"], "không phải là ngày"),
        (["--from", "2026-08-01", "--unit", "DT"], "cần --period, hoặc cả --from và --to"),
        (["--from", "2026-08-31", "--to", "2026-08-01", "--unit", "DT"], "trước ngày đầu"),
        (["--period", "2026-M08"], "--unit: cần mã đơn vị"),
        (["--period", "2026-M08", "--unit", "ZZ"], "không có đơn vị 'ZZ'"),
        (["--period", "2026-M08", "--unit", "DT", "--by", "field"], "chỉ chia theo unit"),
    ],
)
def test_bad_input_exits_2_in_vietnamese(province: Province, args: list[str], message: str) -> None:
    code, out, err = index(*args)
    assert code == 2
    assert message in err
    assert out == ""


def test_api_serves_the_same_object_within_scope(some: Province, people: dict) -> None:
    _, cli, _ = index("--period", "2026-M08", "--unit", "DT", "--by", "unit")
    client = APIClient()
    client.force_authenticate(people["adam"])  # administrator of the new province
    api = client.get("/api/v1/index/services/", {"period": "2026-M08", "unit": "DT", "by": "unit"})
    assert api.status_code == 200
    assert api.json() == cli
    bad = client.get("/api/v1/index/services/", {"period": "2026-M13", "unit": "DT"})
    assert bad.status_code == 400 and "không hợp lệ" in bad.json()["period"][0]
    # a commune specialist sees the commune, not the province: answered like an unknown unit
    client.force_authenticate(people["nina"])
    own = client.get("/api/v1/index/services/", {"period": "2026-M08", "unit": "N1"})
    assert own.status_code == 200 and own.json()["groups"][1]["indicators"][0]["denominator"] == 2
    denied = client.get("/api/v1/index/services/", {"period": "2026-M08", "unit": "DT"})
    unknown = client.get("/api/v1/index/services/", {"period": "2026-M08", "unit": "ZZ"})
    assert denied.status_code == unknown.status_code == 404
    assert denied.json() != api.json()
    anonymous = APIClient().get("/api/v1/index/services/", {"period": "2026-M08", "unit": "DT"})
    assert anonymous.status_code in {401, 403}


def test_openapi_documents_the_endpoint(db: None) -> None:
    schema = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    operation = paths["/api/v1/index/services/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"unit", "period", "from", "to", "by"}
