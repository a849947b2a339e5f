"""Phú Thọ after the 2025 reform, as motcua would hold it: the province, its 15 departments
named as the portal names them (without the portal's suffix), its 148 communes from the NSO
list (`shared/data/admin-units-2025/`). For the published-figures tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from motcua.units.models import Unit

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
PUBLISHED = DATA / "qd766-phutho-2026-08" / "dvc-progress-tree_month-all.json"
UNITS = DATA / "admin-units-2025" / "full_json_generated_data_vn_units_2026-07-25__20_49_07.json"
REFORM = dt.date(2025, 7, 1)


def published() -> dict:
    """The portal's file, parsed."""
    return json.loads(PUBLISHED.read_text(encoding="utf-8"))


def build_phutho() -> Unit:
    """Create the province with its departments and communes; return the province."""
    province = Unit.objects.create(
        code="000.00.00.H44",
        name="Ủy ban nhân dân tỉnh Phú Thọ",
        level="province",
        valid_from=REFORM,
    )
    children = published()["data"]["children"]
    departments = []
    for number, row in enumerate(c for c in children if c["level"] == "PROVINCE"):
        name = row["departmentName"].split(" - ")[0].strip()
        departments.append(
            Unit(
                code=f"000.{number + 1:02d}.00.H44",
                name=name,
                level="department",
                parent=province,
                valid_from=REFORM,
            )
        )
    Unit.objects.bulk_create(departments)
    (entry,) = [p for p in json.loads(UNITS.read_text(encoding="utf-8")) if p["Code"] == "25"]
    Unit.objects.bulk_create(
        Unit(
            code=f"H44.X{w['Code']}",
            name=w["FullName"],
            level="commune",
            parent=province,
            admin_code=w["Code"],
            valid_from=REFORM,
        )
        for w in entry["Wards"]
    )
    return province
