"""A small criteria set and the people of the PAR Index process, for its tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.conftest import make_user
from motcua.par.models import CriteriaSet, Round
from motcua.par.process import plan_round
from motcua.par.services import NodeSpec, save_criteria_set
from motcua.people.models import Role

CODE = "DT-SO-2025"
PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name: str = "ke-hoach.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    """An evidence file that passes motcua/lib/filecheck.py."""
    return SimpleUploadedFile(name, data)


def days(n: int) -> dt.date:
    """Today plus `n` days (local)."""
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def pset(province: Any, settings: Any, tmp_path: Any) -> CriteriaSet:
    """Two fields, three leaves (1.1 of 1, 1.2 of 2, 2.1 of 2), no rounds yet."""
    settings.MEDIA_ROOT = tmp_path
    nodes = [
        NodeSpec("1", "", "Công tác chỉ đạo, điều hành cải cách hành chính", D("3")),
        NodeSpec(
            "1.1",
            "1",
            "Ban hành kế hoạch cải cách hành chính",
            D("1"),
            evidence_requirement="Kế hoạch cải cách hành chính năm của đơn vị",
        ),
        NodeSpec("1.2", "1", "Báo cáo cải cách hành chính đúng hạn", D("2")),
        NodeSpec("2", "", "Hiện đại hóa hành chính", D("2")),
        NodeSpec("2.1", "2", "Tỷ lệ hồ sơ giải quyết trực tuyến", D("2")),
    ]
    criteria_set, _ = save_criteria_set(
        code=CODE, year=2025, unit_type="department", survey_max=D(0), nodes=nodes, actor=None
    )
    return criteria_set


@pytest.fixture
def staff(province: Any) -> dict[str, Any]:
    """sam: an officer of VP; lea: its leader; hana: an appraiser of the Department of Home
    Affairs (a province-wide role); nina: an officer of another unit."""
    return {
        "sam": make_user("sam", (province.office, Role.SPECIALIST), full_name="Trần Văn Sâm"),
        "lea": make_user("lea", (province.office, Role.LEADER), full_name="Lê Thị Lan"),
        "hana": make_user("hana", (province.office, Role.PROVINCIAL_OFFICE), full_name="Hà Nội Vụ"),
        "nina": make_user("nina", (province.new_commune, Role.SPECIALIST)),
    }


def open_rounds(criteria_set: CriteriaSet, *kinds: str) -> list[Round]:
    """Plan each round from yesterday to a week ahead (open today)."""
    return [
        plan_round(
            criteria_set=criteria_set, kind=k, opens_on=days(-1), deadline=days(7), actor=None
        )
        for k in kinds
    ]
